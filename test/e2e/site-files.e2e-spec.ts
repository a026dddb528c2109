import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * What a browser or crawler asks of the board beyond its pages (issue 23): gzip for HTML, an
 * icon instead of a 404, a robots.txt that keeps the notices out of search engines, and a
 * description on every board page.
 */
describe('the board: gzip, favicon, robots.txt, meta description', () => {
  let test: TestApp;

  let port: number;

  beforeAll(async () => {
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    port = (test.app.getHttpServer().address() as AddressInfo).port;
  });

  /** The bytes as they come over the wire (superagent would unzip them by itself). */
  function rawGet(
    route: string,
    headers: Record<string, string>,
  ): Promise<{ status?: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: route, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      }).on('error', reject);
    });
  }

  afterAll(async () => {
    await test?.close();
  });

  it('serves /board gzipped to a client that accepts gzip, plain to one that does not', async () => {
    const gzipped = await rawGet('/board', { 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(gzipped.body).toString('utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(gzipped.body.length).toBeLessThan(Buffer.byteLength(html));

    const plain = await rawGet('/board', { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(html);
    // JSON is not compressed (the filter takes HTML only).
    const json = await rawGet('/docs-json', { 'Accept-Encoding': 'gzip' });
    expect(json.headers['content-encoding']).toBeUndefined();
  });

  it('gzips the desk’s pages too, and leaves the API’s answers alone', async () => {
    const login = await rawGet('/desk/login', { 'Accept-Encoding': 'gzip' });
    expect(login.status).toBe(200);
    expect(login.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(login.body).toString('utf8')).toMatch(/^<!doctype html>/i);
    // Outside /board and /desk the compression middleware is not mounted at all: a large
    // HTML-free answer and the health check go out as they are.
    for (const url of ['/health', '/docs']) {
      const response = await rawGet(url, { 'Accept-Encoding': 'gzip' });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBeUndefined();
    }
  });

  it('/favicon.ico is a small ICO image, not a 404', async () => {
    const response = await rawGet('/favicon.ico', {});
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/x-icon');
    const icon = response.body;
    // ICONDIR: reserved 0, type 1 (icon), one image of 16×16.
    expect([icon.readUInt16LE(0), icon.readUInt16LE(2), icon.readUInt16LE(4)]).toEqual([0, 1, 1]);
    expect([icon[6], icon[7]]).toEqual([16, 16]);
    expect(icon.length).toBeLessThan(2048);
  });

  it('/robots.txt disallows everything, as text/plain', async () => {
    const response = await test.http().get('/robots.txt').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toBe('User-agent: *\nDisallow: /\n');
  });

  it('board pages carry a meta description', async () => {
    const board = await test.http().get('/board').expect(200);
    expect(board.text).toMatch(/<meta name="description" content="[^"]*公示[^"]*">/);
    const missing = await test
      .http()
      .get('/board/notices/00000000-0000-4000-8000-000000000000')
      .expect(404);
    expect(missing.text).toMatch(/<meta name="description" content="[^"]+">/);
  });
});

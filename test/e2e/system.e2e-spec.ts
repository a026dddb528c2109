import { createTestApp, type TestApp } from '../support/test-app';

describe('system routes', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(async () => {
    await test.close();
  });

  it('GET /health answers ok when the database is up', async () => {
    const response = await test.http().get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await test.http().get('/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const document = await test.http().get('/docs-json').expect(200);
    const paths = Object.keys((document.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/health',
        '/auth/login',
        '/regions',
        '/organisations',
        '/users',
        '/audit-log/verify',
      ]),
    );
  });

  it('answers an unknown route with a problem document, not a stack trace', async () => {
    const response = await test.http().get('/no/such/route').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: '不存在' });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const response = await test
      .http()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "admin",')
      .expect(400);
    expect(response.body).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await test
      .http()
      .post('/auth/login')
      .send({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' })
      .expect(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('echoes a valid X-Request-Id and makes one up otherwise', async () => {
    const given = await test.http().get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await test
      .http()
      .get('/health')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers (helmet)', async () => {
    const response = await test.http().get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

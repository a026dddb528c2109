import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app';

/**
 * An HTTP client for race tests: keep-alive sockets, many requests in flight at once (supertest
 * opens a connection per request, which serialises a race). `warm()` opens the sockets and the
 * app's pool connections first, so that opening them does not serialise the race either
 * (quality.md: race tests pass on broken code when the pool is cold).
 */
export class RaceClient {
  private constructor(
    private readonly port: number,
    private readonly agent: http.Agent,
  ) {}

  static async start(test: TestApp, maxSockets = 64): Promise<RaceClient> {
    const server = test.app.getHttpServer();
    if (!server.listening) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }
    const { port } = server.address() as AddressInfo;
    return new RaceClient(port, new http.Agent({ keepAlive: true, maxSockets }));
  }

  post(
    path: string,
    body: object,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; code?: string }> {
    return this.send('POST', path, JSON.stringify(body), {
      'Content-Type': 'application/json',
      ...headers,
    });
  }

  get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; code?: string }> {
    return this.send('GET', path, '', headers);
  }

  /** A multipart upload of one file field. */
  upload(
    path: string,
    field: string,
    file: Buffer,
    fileName: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; code?: string }> {
    const boundary = `race${Math.random().toString(16).slice(2)}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.send('POST', path, body, {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      ...headers,
    });
  }

  send(
    method: string,
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; code?: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers,
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text, code: codeOf(text) }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Requests that touch the pool (refused logins), before the race. */
  async warm(requests = 20): Promise<void> {
    await Promise.all(
      Array.from({ length: requests }, () =>
        this.post('/auth/login', { username: 'x', password: 'y' }),
      ),
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

function codeOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

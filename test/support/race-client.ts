import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

export interface Answer {
  status: number;
  text: string;
  code?: string;
}

/** One request of a race: a body is needed (its last byte is the barrier). */
export interface RaceRequest {
  method?: 'POST' | 'PUT' | 'PATCH';
  path: string;
  /** JSON (an object) or raw bytes with their own Content-Type in `headers`. */
  body: object | Buffer;
  headers?: Record<string, string>;
}

/** A request whose headers and body but its last byte are sent; `release()` sends that byte. */
interface Held {
  sent: Promise<void>;
  release: () => void;
  answer: Promise<Answer>;
}

/**
 * An HTTP client for race tests: keep-alive sockets, many requests in flight at once (supertest
 * opens a connection per request, which serialises a race). Use it through {@link race}.
 */
export class RaceClient {
  private constructor(
    readonly port: number,
    private readonly agent: http.Agent,
  ) {}

  /** A client of the app in this process (listening on a free port if it is not yet). */
  static async start(test: TestApp, maxSockets = 64): Promise<RaceClient> {
    const server = test.app.getHttpServer();
    // Warming a thousand sockets takes longer than the default 5 s keep-alive: the server would
    // close the first ones while the client still counts on them (ECONNRESET).
    server.keepAliveTimeout = 120_000;
    if (!server.listening) {
      // A backlog for a thousand connections opened at once (the default, 511, resets some).
      await new Promise<void>((resolve) =>
        server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
      );
    }
    const { port } = server.address() as AddressInfo;
    return RaceClient.of(port, maxSockets);
  }

  /** A client of an app listening on `port` (another process). */
  static of(port: number, maxSockets = 64): RaceClient {
    return new RaceClient(port, new http.Agent({ keepAlive: true, maxSockets }));
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send('GET', path, '', headers);
  }

  send(
    method: string,
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const held = this.hold(method, path, Buffer.from(body), headers);
    held.release();
    return held.answer;
  }

  /**
   * Opens `sockets` keep-alive sockets and, through them, the app's pool connections: as many
   * requests at once to `/health` (public, not throttled, one query each). Before a race, so that
   * opening connections does not serialise it (quality.md).
   */
  async warm(sockets = 64): Promise<void> {
    const answers = await Promise.all(Array.from({ length: sockets }, () => this.get('/health')));
    const bad = answers.filter((answer) => answer.status !== 200);
    if (bad.length > 0) throw new Error(`warming: ${bad.length} × ${bad[0].status} from /health`);
  }

  /** Sends everything of the request but the last byte of its body. */
  hold(method: string, path: string, body: Buffer, headers: Record<string, string>): Held {
    let release: () => void = () => undefined;
    let sent: Promise<void> = Promise.resolve();
    const answer = new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers: { ...headers, 'Content-Length': String(body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, text, code: codeOf(text) });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      const last = Math.max(body.length - 1, 0);
      sent = new Promise((done) => request.write(body.subarray(0, last), () => done()));
      release = () => request.end(body.subarray(last));
    });
    return { sent, release, answer };
  }

  close(): void {
    this.agent.destroy();
  }
}

function multipart(
  field: string,
  file: Buffer,
  fileName: string,
  headers: Record<string, string>,
): [Buffer, Record<string, string>] {
  const boundary = `race${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return [body, { 'Content-Type': `multipart/form-data; boundary=${boundary}`, ...headers }];
}

/** A multipart upload as a {@link RaceRequest}. */
export function uploadRequest(
  path: string,
  file: Buffer,
  fileName: string,
  headers: Record<string, string> = {},
): RaceRequest {
  const [body, withType] = multipart('file', file, fileName, headers);
  return { path, body, headers: withType };
}

function codeOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/** Connections the app's pool holds open (idle or busy). */
function poolSize(dataSource: DataSource): number {
  const driver = dataSource.driver as unknown as { master?: { totalCount?: number } };
  return driver.master?.totalCount ?? 0;
}

/**
 * Opens the connections of the app's own pool (queries over HTTP are too short to need more than
 * a few): as many at once as the race needs, up to the pool's size, each held 20 ms. Checked.
 */
async function warmPool(dataSource: DataSource, requests: number): Promise<void> {
  const options = dataSource.options as { extra?: { max?: number } };
  const wanted = Math.min(requests, options.extra?.max ?? 10);
  await Promise.all(
    Array.from({ length: wanted }, () => dataSource.query('SELECT pg_sleep(0.02)')),
  );
  const open = poolSize(dataSource);
  if (open < wanted) throw new Error(`race: the pool has ${open} connections, wanted ${wanted}`);
}

/**
 * The one way the battery races requests (quality.md: race tests pass on broken code when the
 * pool is cold):
 *
 * 1. an HTTP agent with a socket per request;
 * 2. the sockets warmed through `/health`, which is public and not throttled (warming through
 *    the login route got 429 for half of it before the pool was touched), and the app's pool
 *    opened to the race's width and checked (an app in this process; see {@link warmPool});
 * 3. every request sent but the last byte of its body, so that none can start (the app reads the
 *    whole body first); then, once all are on the wire, the last bytes released together.
 *
 * `target` is an app in this process, or the port of one in another process.
 */
export async function race(target: TestApp | number, requests: RaceRequest[]): Promise<Answer[]> {
  const sockets = Math.max(requests.length, 16);
  const client =
    typeof target === 'number'
      ? RaceClient.of(target, sockets)
      : await RaceClient.start(target, sockets);
  try {
    await client.warm(sockets);
    if (typeof target !== 'number') await warmPool(target.dataSource, requests.length);
    const held = requests.map((request) => {
      const isJson = !Buffer.isBuffer(request.body);
      const body = isJson ? Buffer.from(JSON.stringify(request.body)) : (request.body as Buffer);
      const headers = isJson
        ? { 'Content-Type': 'application/json', ...request.headers }
        : (request.headers ?? {});
      return client.hold(request.method ?? 'POST', request.path, body, headers);
    });
    await Promise.all(held.map((request) => request.sent));
    // Let the app read every held request up to its last byte before any is released.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const request of held) request.release();
    return await Promise.all(held.map((request) => request.answer));
  } finally {
    client.close();
  }
}

/** How many answers had each status (and code): `{ '201': 1, '409 PAYOUT_EXISTS': 99 }`. */
export function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const key = answer.code ? `${answer.status} ${answer.code}` : String(answer.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** BATTERY_SIZE=long (`npm run test:long`): the large sizes; otherwise the everyday ones. */
export function batterySize(everyday: number, long: number): number {
  return process.env.BATTERY_SIZE === 'long' ? long : everyday;
}

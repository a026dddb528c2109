/**
 * HTTP for the benchmarks: an app's address with its keep-alive agent (`Endpoint`), a bare
 * request for load generators in worker threads (`request`), and `expectStatus` for supertest.
 * Node built-ins only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** What a session needs to send: its bearer header (test/support/api.ts `Session`). */
export interface Authorised {
  auth: { Authorization: string };
}

export interface Reply {
  status: number;
  /** Parsed JSON when the answer is JSON, the text otherwise. */
  body: any;
  /** The answer's bytes as they came. */
  raw: Buffer;
  /** From the call to the first byte of the body and to its end. */
  firstByteMs: number;
  ms: number;
}

export interface FilePart {
  name: string;
  type: string;
  data: Buffer;
}

export interface SendOptions {
  session?: Authorised;
  json?: unknown;
  multipart?: { fields: Record<string, string>; file: FilePart };
  headers?: Record<string, string>;
}

/** A multipart/form-data body: the fields, then the file as `file`. */
export function multipartBody(multipart: NonNullable<SendOptions['multipart']>): {
  payload: Buffer;
  contentType: string;
} {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(multipart.fields))
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  const { file } = multipart;
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** One app instance's address, with its own keep-alive agent. */
export class Endpoint {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly port: number) {}

  send(method: string, path: string, options: SendOptions = {}): Promise<Reply> {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.session) headers.authorization = options.session.auth.Authorization;
    let payload: Buffer | undefined;
    if (options.multipart) {
      const body = multipartBody(options.multipart);
      payload = body.payload;
      headers['content-type'] = body.contentType;
    } else if (options.json !== undefined) {
      payload = Buffer.from(JSON.stringify(options.json));
      headers['content-type'] = 'application/json';
    }
    if (payload) headers['content-length'] = payload.length;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers },
        (response) => {
          const chunks: Buffer[] = [];
          let firstByteMs = NaN;
          response.on('data', (chunk: Buffer) => {
            if (chunks.length === 0) firstByteMs = performance.now() - started;
            chunks.push(chunk);
          });
          response.on('end', () => {
            const raw = Buffer.concat(chunks);
            let body: unknown = raw.toString();
            if (String(response.headers['content-type']).includes('json') && raw.length > 0) {
              try {
                body = JSON.parse(body as string);
              } catch {
                // not JSON after all: the text
              }
            }
            const ms = performance.now() - started;
            resolve({ status: response.statusCode ?? 0, body, raw, firstByteMs, ms });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** `send`, and throws with the answer unless its status is `expected`. */
  async call(
    what: string,
    expected: number,
    method: string,
    path: string,
    options: SendOptions = {},
  ): Promise<any> {
    const reply = await this.send(method, path, options);
    if (reply.status !== expected)
      throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * One request for a load generator: never throws (a network error is status 0); the body is
 * kept only for answers of `keepBodyFrom` or more (error samples).
 */
export function request(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  body?: string,
  keepBodyFrom = 0,
): Promise<Answer> {
  return new Promise((resolve) => {
    const outgoing = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
          : {},
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (status >= keepBodyFrom) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString() }));
        response.on('error', (error) => resolve({ status: 0, body: error.message }));
      },
    );
    outgoing.on('error', (error) => resolve({ status: 0, body: error.message }));
    outgoing.end(body);
  });
}

/** Awaits a supertest request; anything but `status` throws with the problem body. */
export async function expectStatus(
  what: string,
  pending: PromiseLike<{ status: number; body: any }>,
  status = 200,
): Promise<{ status: number; body: any }> {
  const response = await pending;
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

export type Call = (
  step: string,
  expected: number,
  method: string,
  path: string,
  options: SendOptions,
) => Promise<any>;

/** A `Call` on one endpoint: every answer's status checked. */
export function callOn(endpoint: Endpoint): Call {
  return (step, expected, method, path, options) =>
    endpoint.call(step, expected, method, path, options);
}

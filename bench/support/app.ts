/**
 * The app under benchmark: in this process (`startApp`, the real AppModule through
 * test/support/test-app.ts, listening on 127.0.0.1 and a free port) or as child processes
 * (`startInstance`: bench/support/instance.ts, the same app in its own process and event loop,
 * on the same database). The app's modules are loaded on first use only.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RateLimitConfig } from '../../src/config/app-config';
import type { RuntimeConfig } from '../../src/config/config.module';
import type { Api } from '../../test/support/api';
import type { TestApp } from '../../test/support/test-app';
import { Endpoint } from './http';

/** What a benchmark may set of the app's configuration (JSON: it also goes to child processes). */
export type AppOverrides = Partial<Omit<RuntimeConfig, 'databaseUrl'>>;

/**
 * Sessions last a day, not the tests' hour: a long benchmark (the scheduler's, over an hour on a
 * loaded machine) must not see its logins expire between two runs.
 */
const BENCH_DEFAULTS: AppOverrides = { jwtTtlSeconds: 24 * 3600 };

/**
 * A benchmark's whole load comes from one address: the objection throttle lifted, the login
 * limits as in production.
 */
export const ONE_ADDRESS_RATE_LIMITS: RateLimitConfig = {
  loginFailuresPerUsername: 10,
  loginFailuresPerClient: 50,
  objectionsPerClient: Number.MAX_SAFE_INTEGER,
  objectionsPerNotice: Number.MAX_SAFE_INTEGER,
};

export interface BenchApp {
  test: TestApp;
  port: number;
  endpoint: Endpoint;
  /** test/support/api.ts builders (regions, organisations, users, logins) on this app. */
  api: Api;
  close: () => Promise<void>;
}

/** The app in this process on `databaseUrl`, listening on 127.0.0.1 and a free port. */
export async function startApp(
  databaseUrl: string,
  overrides: AppOverrides = {},
): Promise<BenchApp> {
  const { startTestApp } = await import('../../test/support/test-app.js');
  const { Api } = await import('../../test/support/api.js');
  const test = await startTestApp({ ...BENCH_DEFAULTS, ...overrides, databaseUrl });
  await test.app.listen(0, '127.0.0.1');
  const port = (test.app.getHttpServer().address() as AddressInfo).port;
  const endpoint = new Endpoint(port);
  return {
    test,
    port,
    endpoint,
    api: new Api(test),
    close: async () => {
      endpoint.agent.destroy();
      await test.close();
    },
  };
}

export interface Instance {
  child: ChildProcess;
  pid: number;
  endpoint: Endpoint;
}

/**
 * The app in a child process on `databaseUrl`. Give every instance of a database the same
 * `jwtSecret`, so that a session works on any of them.
 */
export async function startInstance(
  databaseUrl: string,
  overrides: AppOverrides & { jwtSecret: string },
  { stdout = 'inherit' }: { stdout?: 'inherit' | 'ignore' } = {},
): Promise<Instance> {
  const child = fork(path.join(__dirname, 'instance.js'), [], {
    env: {
      ...process.env,
      BENCH_APP_CONFIG: JSON.stringify({ ...BENCH_DEFAULTS, ...overrides, databaseUrl }),
    },
    // 'ignore': an instance that logs every request (written, then dropped by the OS).
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`app instance exited with ${code}`)));
    child.once('error', reject);
  });
  return { child, pid: child.pid as number, endpoint: new Endpoint(port) };
}

/** Asks the instance to close (its HTTP server drains), SIGKILL after 15 s. */
export async function stopInstance(instance: Instance): Promise<void> {
  instance.endpoint.agent.destroy();
  if (instance.child.exitCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.send('stop');
  const timeout = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timeout);
}

/** "PostgreSQL 18.1 …" as the server says, for the report's machine line. */
export async function postgresVersion(test: TestApp): Promise<string> {
  const [row] = await test.dataSource.query<{ version: string }[]>('SELECT version()');
  return row.version.split(',')[0];
}

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** The production entry of a build (`npm run build`'s `dist/src/main.js`). */
export const MAIN = 'src/main.js';

/**
 * Compiles the app as `npm run build` does (tsconfig.build.json) into a folder of its own under
 * .tmp/ and returns it; `remove()` deletes it. Once per test file (it takes a while). With
 * `testEntries`, the test entries of test/support/entries/ too (the app with a fault injected,
 * e.g. `test/support/entries/crash-after-payout-commit.js`), from the same sources.
 */
export function buildApp(
  name: string,
  { testEntries = false }: { testEntries?: boolean } = {},
): { dir: string; remove: () => void } {
  const dir = path.join(root, '.tmp', `${name}-${process.pid}`);
  const project = testEntries ? 'test/support/entries/tsconfig.json' : 'tsconfig.build.json';
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', project, '--outDir', dir],
    { cwd: root, stdio: 'inherit' },
  );
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment of a child app: this process's, without the test run's database and admin,
 * on a free port, logging at info (the Ready line names the port); `env` on top. A key set to
 * undefined is removed.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'TEST_PG_ADMIN_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'])
    delete base[name];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/**
 * The built app (`node <build>/src/main.js`, or another `entry` of the build) as a child process:
 * started and waited for until it logs "Ready"; `stop()` sends a signal and waits for the exit;
 * `restart()` starts it again with the same environment (changed by `env`), from the production
 * entry unless told otherwise. Its log lines are kept in `lines`.
 */
export class AppProcess {
  readonly lines: string[] = [];
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly build: string,
    private readonly env: Record<string, string | undefined>,
    private readonly entry: string,
    private child?: ChildProcess,
    public port = 0,
  ) {}

  static async start(
    build: string,
    env: Record<string, string | undefined>,
    readyWithinMs = 60_000,
    entry = MAIN,
  ): Promise<AppProcess> {
    const app = new AppProcess(build, env, entry);
    await app.launch(readyWithinMs);
    return app;
  }

  /** Resolves when the process exits (by itself or by a signal). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) throw new Error('not started');
    return this.exit;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(
    signal: 'SIGTERM' | 'SIGKILL' | 'SIGINT' = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exited = this.exited();
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return exited;
  }

  /** Stops it if it runs (SIGTERM), then starts it again on the same data. */
  async restart(env: Record<string, string | undefined> = {}, entry = MAIN): Promise<AppProcess> {
    if (this.child?.exitCode === null && this.child.signalCode === null) await this.stop();
    const next = new AppProcess(this.build, { ...this.env, ...env }, entry);
    await next.launch(60_000);
    return next;
  }

  private launch(readyWithinMs: number): Promise<void> {
    const child = spawn(process.execPath, [path.join(this.build, this.entry)], {
      cwd: root,
      env: childEnv(this.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no Ready line in ${readyWithinMs} ms:\n${this.lines.join('\n')}`)),
        readyWithinMs,
      );
      const onData = (chunk: Buffer): void => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          this.lines.push(line);
          const port = /"port":(\d+).*"msg":"Ready/.exec(line)?.[1];
          if (port) {
            clearTimeout(timer);
            this.port = Number(port);
            resolve();
          }
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void this.exit?.then(({ code, signal }) => {
        clearTimeout(timer);
        if (this.port === 0)
          reject(new Error(`exited with ${code ?? signal}:\n${this.lines.join('\n')}`));
      });
    });
  }
}

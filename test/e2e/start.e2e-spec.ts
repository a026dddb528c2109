import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLogService } from '../../src/modules/audit-log/audit-log.service';
import { NoticeSchedulerService } from '../../src/modules/notices/notice-scheduler.service';
import { Api } from '../support/api';
import { AppProcess, buildApp, childEnv } from '../support/app-process';
import { contractWithRunningNotices } from '../support/lifecycle';
import { createTestDatabase, startTestApp } from '../support/test-app';

/**
 * The one-command start, as a newcomer meets it: the compiled app with no DATABASE_URL starts
 * an embedded PostgreSQL under DATA_DIR, serves, stops cleanly on SIGINT, starts again on the
 * same data, and recovers from a PostgreSQL orphaned by a killed Node process. And two processes
 * on one database, one of them killed with SIGKILL while it fires timers.
 */
const root = path.resolve(__dirname, '..', '..');
let build: { dir: string; remove: () => void };
let dataDir: string;

/** The built app on the embedded PostgreSQL under this test's DATA_DIR, with the demo. */
function start(extra: Record<string, string> = {}): Promise<AppProcess> {
  return AppProcess.start(build.dir, { DATA_DIR: dataDir, SEED_DEMO: '1', ...extra });
}

function childEnvOf(extra: Record<string, string>): NodeJS.ProcessEnv {
  return childEnv({ DATA_DIR: dataDir, SEED_DEMO: '1', ...extra });
}

const exitCode = async (running: AppProcess, signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL') =>
  (await running.stop(signal)).code;

/** PIDs of postgres processes serving this test's data folder. */
function postgresOf(folder: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function json(
  port: number,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('npm start: the compiled service on an embedded PostgreSQL', () => {
  beforeAll(() => {
    build = buildApp('start-test');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-start-'));
    fs.chmodSync(dataDir, 0o755);
  }, 120_000);

  afterAll(() => {
    for (const pid of postgresOf(dataDir)) process.kill(pid, 'SIGKILL');
    build.remove();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /health and /docs, loads the demo, and leaves nothing running after SIGINT', async () => {
    const running = await start();
    expect(await json(running.port, '/health')).toEqual({
      status: 200,
      body: { status: 'ok', db: 'up' },
    });
    expect((await json(running.port, '/docs')).status).toBe(200);
    expect(
      (await json(running.port, '/auth/login', { username: 'agri', password: 'Demo-2014' })).status,
    ).toBe(200);
    expect(running.lines.join('\n')).toMatch(/data in .*agri-subsidy-start-/);
    // The first start (migrations, demo) warns about nothing, e.g. pg's DeprecationWarning for
    // a query sent on a client that is running one.
    expect(running.lines.filter((line) => /Warning/.test(line))).toEqual([]);
    expect(postgresOf(dataDir).length).toBeGreaterThan(0);

    expect(await exitCode(running, 'SIGINT')).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 90_000);

  it('starts again on the same data: no migration, no second demo, the same admin', async () => {
    const running = await start();
    const log = running.lines.join('\n');
    expect(log).toMatch(/Schema is up to date/);
    expect(log).not.toMatch(/Loaded the Qiaocheng 2014 demo/);
    const password = fs.readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim();
    expect((await json(running.port, '/auth/login', { username: 'admin', password })).status).toBe(
      200,
    );
    expect(await exitCode(running, 'SIGTERM')).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 90_000);

  it('ADMIN_PASSWORD for "admin" removes the generated admin-password, which no longer opens', async () => {
    const file = path.join(dataDir, 'admin-password');
    const generated = fs.readFileSync(file, 'utf8').trim();
    const running = await start({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'chosen-admin-2026' });
    expect(fs.existsSync(file)).toBe(false);
    expect(running.lines.join('\n')).toMatch(/Removed .*admin-password/);
    const login = (password: string) =>
      json(running.port, '/auth/login', { username: 'admin', password });
    expect((await login('chosen-admin-2026')).status).toBe(200);
    expect((await login(generated)).status).toBe(401);
    expect(await exitCode(running, 'SIGTERM')).toBe(0);
  }, 90_000);

  it('recovers from a PostgreSQL orphaned by a killed Node process', async () => {
    const killed = await start();
    await killed.stop('SIGKILL');
    expect(postgresOf(dataDir).length).toBeGreaterThan(0); // the orphan lives on

    const running = await start();
    expect(running.lines.join('\n')).toMatch(/left running on .* by an earlier run/);
    expect((await json(running.port, '/health')).status).toBe(200);
    expect(await exitCode(running, 'SIGINT')).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 90_000);

  it('two processes on one database, one killed mid-batch: every due timer fires once, none left', async () => {
    // The survivor runs in this process; the other is this build, in a child process.
    const database = await createTestDatabase();
    const survivor = await startTestApp({ databaseUrl: database.url, testClock: true });
    const childDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-killed-'));
    try {
      const contractId = await contractWithRunningNotices(survivor, new Api(survivor), 300);
      await survivor.dataSource.query(
        `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + $1`,
        [8 * 24 * 3600 * 1000],
      );
      const fired = async () =>
        (
          await survivor.dataSource.query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM timer WHERE contract_id = $1 AND fired_at IS NOT NULL',
            [contractId],
          )
        )[0].n;

      // The child fires due timers as it starts; it is killed once it has fired some.
      const child = spawn(process.execPath, [path.join(build.dir, 'src', 'main.js')], {
        cwd: root,
        env: childEnvOf({
          DATABASE_URL: database.url,
          DATA_DIR: childDataDir,
          TEST_CLOCK: '1',
          SEED_DEMO: '0',
          SCHEDULER_INTERVAL_MS: '0',
          LOG_LEVEL: 'error',
        }),
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const deadline = Date.now() + 60_000;
      while ((await fired()) < 30 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill('SIGKILL');
      await exited;
      const byChild = await fired();
      console.log(`two processes: the child fired ${byChild} of 300 timers before SIGKILL`);
      expect(byChild).toBeGreaterThanOrEqual(30);
      expect(byChild).toBeLessThan(300);

      // The survivor fires the rest; timers the killed process held come free when PostgreSQL
      // notices the dead connections.
      const scheduler = survivor.app.get(NoticeSchedulerService);
      for (let run = 0; run < 50 && (await fired()) < 300; run++) {
        await scheduler.runDue();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [facts] = await survivor.dataSource.query<
        { applied: number; left: number; elapsed: number; villages: number }[]
      >(
        `SELECT (SELECT count(*)::int FROM timer WHERE contract_id = $1 AND outcome = 'applied') AS applied,
                (SELECT count(*)::int FROM timer WHERE contract_id = $1 AND fired_at IS NULL) AS left,
                (SELECT count(*)::int FROM audit_event WHERE entity_id = $1::text AND action = 'notice.elapsed') AS elapsed,
                (SELECT count(DISTINCT village_code)::int FROM contract_history
                  WHERE contract_id = $1 AND event = 'notice.elapsed' AND village_code IS NOT NULL) AS villages`,
        [contractId],
      );
      expect(facts).toEqual({ applied: 300, left: 0, elapsed: 300, villages: 300 });
      expect(await survivor.app.get(AuditLogService).verify()).toMatchObject({ ok: true });
    } finally {
      await survivor.close();
      await database.drop();
      fs.rmSync(childDataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses a bad variable with one clear line naming it', () => {
    let output = '';
    let status: number | null = 0;
    try {
      execFileSync(process.execPath, [path.join(build.dir, 'src', 'main.js')], {
        env: childEnvOf({ PORT: 'eighty' }),
        stdio: 'pipe',
      });
    } catch (error) {
      const failure = error as { status: number | null; stderr: Buffer };
      status = failure.status;
      output = failure.stderr.toString('utf8');
    }
    expect(status).toBe(1);
    expect(output.trim()).toBe(
      'Configuration error: PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
  });
});

/**
 * `npm start` itself (not node): a signal to the npm process stops node and PostgreSQL, as the
 * README promises. npm forwards SIGTERM and SIGINT to the script's process, which is node (the
 * start script `exec`s it), so nothing is left behind.
 */
describe('npm start: a signal to the npm process stops everything', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to npm: node and PostgreSQL are gone',
    async (signal) => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-npm-start-'));
      fs.chmodSync(folder, 0o755);
      const npm = spawn('npm', ['start'], {
        cwd: root,
        env: childEnv({ DATA_DIR: folder, SEED_DEMO: '0' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
      try {
        let log = '';
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no Ready line:\n${log}`)), 100_000);
          const onData = (chunk: Buffer): void => {
            log += chunk.toString('utf8');
            const found = /"port":(\d+).*"msg":"Ready/.exec(log)?.[1];
            if (found) {
              clearTimeout(timer);
              resolve(Number(found));
            }
          };
          npm.stdout.on('data', onData);
          npm.stderr.on('data', onData);
        });
        expect((await json(port, '/health')).status).toBe(200);
        const postmaster = Number(
          fs.readFileSync(path.join(folder, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
        );
        const node = nodeOf(folder);
        expect(node).toHaveLength(1);
        expect(alive(postmaster)).toBe(true);

        npm.kill(signal);
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && (alive(postmaster) || alive(node[0])))
          await new Promise((resolve) => setTimeout(resolve, 200));
        expect({ node: alive(node[0]), postgres: alive(postmaster) }).toEqual({
          node: false,
          postgres: false,
        });
        expect(postgresOf(folder)).toEqual([]);
        await exited;
      } finally {
        if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
        for (const pid of [...nodeOf(folder), ...postgresOf(folder)]) process.kill(pid, 'SIGKILL');
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
    150_000,
  );
});

/** Whether a process is there (a zombie counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The node processes (main.js) whose environment names this data folder. */
function nodeOf(folder: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return (
          fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/src/main.js') &&
          fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`DATA_DIR=${folder}\0`)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Api } from '../support/api';
import { AppProcess, buildApp } from '../support/app-process';
import { toRunningNotice } from '../support/lifecycle';
import { payableContracts, type PayableWorld } from '../support/payable';
import { createTestDatabase, startTestApp } from '../support/test-app';

/**
 * The built app as a child process (quality.md: crash after commit, durable timer restart).
 *
 * Crash after commit: the built app, in a child process started from a test entry that replaces
 * one provider (test/support/entries/crash-after-payout-commit.ts: the hook called after a payout
 * commits kills the process), dies by SIGKILL after the payout's transaction commits and before
 * it answers. The client sees the connection drop and retries
 * with the same key on the restarted app: it gets the stored answer, and there is one payout.
 *
 * Durable timer restart: the app stopped (SIGTERM) while a village notice runs; 8 days pass; the
 * notice clears once, by the scheduler's run at the next start.
 */
describe('the built app, stopped, killed and restarted', () => {
  const jwtSecret = 'a-secret-the-test-and-its-child-processes-share';
  let build: { dir: string; remove: () => void };
  let database: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  let world: PayableWorld;
  let notice: { id: string; noticeId: string };

  beforeAll(async () => {
    build = buildApp('crash-test', { testEntries: true });
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-crash-'));
    // The world is made in this process, then the database is handed to the child.
    const maker = await startTestApp({ databaseUrl: database.url, testClock: true, jwtSecret });
    try {
      world = await payableContracts(maker, new Api(maker), 1);
      notice = await toRunningNotice(maker, new Api(maker));
    } finally {
      await maker.close();
    }
  }, 240_000);
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    build.remove();
  });

  const payout = (port: number, key: string) =>
    fetch(`http://127.0.0.1:${port}/contracts/${world.contractIds[0]}/payouts`, {
      method: 'POST',
      headers: {
        ...world.finance.auth,
        'Content-Type': 'application/json',
        'Idempotency-Key': key,
      },
      body: JSON.stringify({ note: '拨付' }),
    });

  const env = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    TEST_CLOCK: '1',
    SEED_DEMO: '0',
    SCHEDULER_INTERVAL_MS: '0',
  });

  it('the app killed after the payout commits: the retry with the same key gets the stored answer; 1 payout', async () => {
    const crashing = await AppProcess.start(
      build.dir,
      env(),
      60_000,
      'test/support/entries/crash-after-payout-commit.js',
    );
    const first = await payout(crashing.port, 'crash-key').then(
      (response) => `answered ${response.status}`,
      (error: Error) =>
        `no answer (${(error.cause as Error | undefined)?.message ?? error.message})`,
    );
    const exit = await crashing.exited();
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const stored = async () =>
        (
          await db.query<{ payouts: number; status: number; body: { id: string } | null }>(
            `SELECT (SELECT count(*)::int FROM payout WHERE contract_id = $1) AS payouts,
                    k.response_status AS status, k.response_body::json AS body
               FROM idempotency_key k WHERE k.key = 'crash-key'`,
            [world.contractIds[0]],
          )
        ).rows[0];
      const afterCrash = await stored();
      console.log(
        `crash after commit: the first request got ${first}; the app exited by ${exit.signal ?? exit.code}; ${afterCrash.payouts} payout committed`,
      );
      expect(first).toMatch(/^no answer/);
      expect(exit.signal).toBe('SIGKILL');
      expect(afterCrash).toMatchObject({ payouts: 1, status: 201 });

      const restarted = await crashing.restart(); // the production entry
      try {
        const retry = await payout(restarted.port, 'crash-key');
        const body = (await retry.json()) as { id: string; contractId: string; amountFen: number };
        const other = await payout(restarted.port, 'another-key');
        const afterRetry = await stored();
        console.log(
          `crash after commit: the retry got ${retry.status} with payout ${body.id === afterCrash.body?.id ? 'the stored' : 'another'}; another key got ${other.status}; ${afterRetry.payouts} payout`,
        );
        expect(retry.status).toBe(201);
        expect(body).toEqual(afterCrash.body);
        expect(body).toMatchObject({
          contractId: world.contractIds[0],
          amountFen: world.subsidyFen.get(world.contractIds[0]),
        });
        expect(other.status).toBe(409);
        expect(afterRetry.payouts).toBe(1);
      } finally {
        expect(await restarted.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      }
    } finally {
      await db.end();
    }
  }, 180_000);

  it('durable timer restart: a notice due while the app was down clears once, at the next start', async () => {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const facts = async () =>
        (
          await db.query<{ state: string; elapsed: number; fired: number }>(
            `SELECT n.state,
                    (SELECT count(*)::int FROM contract_history
                      WHERE contract_id = $1 AND event = 'notice.elapsed' AND village_code IS NOT NULL) AS elapsed,
                    (SELECT count(*)::int FROM timer WHERE notice_id = $2 AND fired_at IS NOT NULL) AS fired
               FROM notice n WHERE n.id = $2`,
            [notice.id, notice.noticeId],
          )
        ).rows[0];
      const running = await AppProcess.start(build.dir, env());
      expect(await running.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await facts()).toEqual({ state: 'running', elapsed: 0, fired: 0 });
      // Eight days pass while it is down.
      await db.query(
        `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + $1`,
        [8 * 24 * 3600 * 1000],
      );
      const restarted = await running.restart();
      try {
        const deadline = Date.now() + 30_000;
        while ((await facts()).state === 'running' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const after = await facts();
        console.log(
          `durable timer restart: after the restart the notice is ${after.state}, elapsed ${after.elapsed} time(s)`,
        );
        expect(after).toEqual({ state: 'cleared', elapsed: 1, fired: 1 });
      } finally {
        expect(await restarted.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      }
      // And once only: a second start finds nothing to fire.
      const again = await restarted.restart();
      await again.stop('SIGTERM');
      expect(await facts()).toEqual({ state: 'cleared', elapsed: 1, fired: 1 });
    } finally {
      await db.end();
    }
  }, 180_000);
});

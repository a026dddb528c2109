import { Client } from 'pg';
import {
  NoticeSchedulerService,
  TIMER_BATCH_SIZE,
} from '../../src/modules/notices/notice-scheduler.service';
import { Api } from '../support/api';
import { contractWithRunningNotices } from '../support/lifecycle';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The scheduler's liveness (quality.md, "timers"): a due timer that someone else holds, or whose
 * contract someone else holds, never holds back the other due timers. Each test holds a lock in a
 * transaction of its own connection (as another instance firing that timer, or a long command on
 * that contract would), runs the scheduler and waits a bounded time for the others; then lets go
 * and checks that every timer fired exactly once.
 */
describe('scheduler liveness: a held timer or contract does not hold back the others', () => {
  let test: TestApp;
  let api: Api;
  let scheduler: NoticeSchedulerService;
  let holder: Client;
  const DEADLINE_MS = 15_000;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    scheduler = test.app.get(NoticeSchedulerService);
    holder = new Client({ connectionString: test.databaseUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await test.close();
  });

  /** Moves the shared clock past every running notice's end (8 days). */
  async function eightDaysLater(): Promise<void> {
    await test.dataSource.query(
      `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + $1`,
      [8 * 24 * 3600 * 1000],
    );
  }

  const unfired = async (contractIds: string[]) =>
    (
      await test.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM timer WHERE contract_id = ANY($1) AND fired_at IS NULL',
        [contractIds],
      )
    )[0].n;

  /** Per contract: its applied timers and its notice.elapsed history rows of a village. */
  const firedOnce = async (contractId: string) =>
    (
      await test.dataSource.query<{ applied: number; events: number }[]>(
        `SELECT (SELECT count(*)::int FROM timer WHERE contract_id = $1 AND outcome = 'applied') AS applied,
                (SELECT count(*)::int FROM contract_history
                  WHERE contract_id = $1 AND event = 'notice.elapsed' AND village_code IS NOT NULL) AS events`,
        [contractId],
      )
    )[0];

  /** Resolves 'in time' when `condition` holds within the deadline, 'late' otherwise. */
  async function within(condition: () => Promise<boolean>): Promise<'in time' | 'late'> {
    const until = Date.now() + DEADLINE_MS;
    while (Date.now() < until) {
      if (await condition()) return 'in time';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return 'late';
  }

  it('the oldest due timer held by another transaction: the scheduler fires all the others and returns', async () => {
    // One contract, 3 × TIMER_BATCH_SIZE village notices: more than one batch of every loop.
    const villages = 3 * TIMER_BATCH_SIZE;
    const contractId = await contractWithRunningNotices(test, api, villages);
    await eightDaysLater();
    const [oldest] = await test.dataSource.query<{ id: string }[]>(
      `SELECT id FROM timer WHERE contract_id = $1 ORDER BY due_at, id LIMIT 1`,
      [contractId],
    );
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM timer WHERE id = $1 FOR UPDATE', [oldest.id]);
    let run: Promise<number> | undefined;
    try {
      run = scheduler.runDue();
      let returned = false;
      void run.then(
        () => (returned = true),
        () => (returned = true),
      );
      // SKIP LOCKED: every claim passes over the held timer. Without it, every loop waits behind it.
      const inTime = await within(async () => returned);
      const left = await unfired([contractId]);
      console.log(`held timer: ${villages - left} of the ${villages - 1} others fired, ${inTime}`);
      expect(inTime).toBe('in time');
      expect(await run).toBe(villages - 1);
      expect(await unfired([contractId])).toBe(1);
    } finally {
      await holder.query('ROLLBACK');
      await run;
    }
    expect(await scheduler.runDue()).toBe(1);
    expect(await firedOnce(contractId)).toEqual({ applied: villages, events: villages });
  });

  it('a contract held by another transaction: the timers of other contracts in the same batch fire meanwhile', async () => {
    // The held contract's 2 timers are the oldest: they open the first batch, with 40 of the other.
    const held = await contractWithRunningNotices(test, api, 2);
    const other = await contractWithRunningNotices(test, api, TIMER_BATCH_SIZE + 8);
    await eightDaysLater();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM contract WHERE id = $1 FOR UPDATE', [held]);
    let run: Promise<number> | undefined;
    try {
      run = scheduler.runDue();
      // A batch that waited for the held contract would hold its other timers back with it.
      const inTime = await within(async () => (await unfired([other])) === 0);
      const left = await unfired([other]);
      console.log(
        `held contract: ${TIMER_BATCH_SIZE + 8 - left} of the other contract's ${TIMER_BATCH_SIZE + 8} timers fired, ${inTime}`,
      );
      expect(inTime).toBe('in time');
      expect(await unfired([held])).toBe(2);
    } finally {
      await holder.query('ROLLBACK');
    }
    // Let go: the held contract's timers fire, each once, in the same run.
    expect(await run).toBe(TIMER_BATCH_SIZE + 10);
    expect(await unfired([held, other])).toBe(0);
    expect(await firedOnce(held)).toEqual({ applied: 2, events: 2 });
    expect(await firedOnce(other)).toEqual({
      applied: TIMER_BATCH_SIZE + 8,
      events: TIMER_BATCH_SIZE + 8,
    });
  });
});

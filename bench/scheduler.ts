/**
 * The notice scheduler: many 7-day notices due at once (docs/benchmarks.md, "Notice scheduler").
 *
 *   npm run bench:scheduler
 *
 * Starts its own PostgreSQL (embedded, fsync on) and the real app on 127.0.0.1 with the test
 * clock. For every run and every batch size (BENCH_BATCH_SIZES, alternating), setup over HTTP and
 * not timed: contracts of 3 task lines × 3 villages are awarded, signed, given their papers and
 * register, claimed and verified village by village, until BENCH_NOTICES (10000) village notices
 * run, each with its durable timer. Timed: the scheduler's batch size set
 * (NoticeSchedulerService.batchSize; 1 = one timer a transaction, the baseline), then one
 * `POST /__test__/clock {advanceDays: 7}`, which fires every due timer before it answers.
 * Checked each time: every timer fired exactly once (one `notice.elapsed` audit event per
 * notice, no timer left), every notice cleared; at the end, the audit chain verifies.
 *
 * Settings (environment): BENCH_NOTICES (10000), BENCH_BATCH_SIZES (1,32), BENCH_RUNS (1),
 * BENCH_SETUP_DRIVERS (8).
 */
import { performance } from 'node:perf_hooks';
import { startApp } from './support/app';
import { runBench } from './support/run';
import { cpuMeter, fmt, log, machineLine, median, printTable } from './support/stats';
import { buildWorld, contractsInState } from './support/world';

const NOTICES = Number(process.env.BENCH_NOTICES ?? 10_000);
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? '1,32').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const SETUP_DRIVERS = Number(process.env.BENCH_SETUP_DRIVERS ?? 8);
const NOTICES_PER_CONTRACT = 9;
const CONTRACTS_PER_TENDER = 24;

interface Fired {
  batchSize: number;
  due: number;
  fired: number;
  seconds: number;
  nodeMsPerTimer: number;
  postgresMsPerTimer: number;
  nodeCores: number;
  postgresCores: number;
  checks: Record<string, boolean>;
}

void runBench({ name: 'scheduler' }, async ({ pg, databaseUrl, cleanup }) => {
  const { NoticeSchedulerService } =
    await import('../src/modules/notices/notice-scheduler.service.js');
  const bench = await startApp(databaseUrl, { testClock: true });
  cleanup(bench.close);
  const { test, endpoint } = bench;
  const scheduler = test.app.get(NoticeSchedulerService);
  const world = await buildWorld(bench.api, 3 * CONTRACTS_PER_TENDER);
  const admin = world.people.admin;
  const count = async (sql: string) => (await test.dataSource.query<{ n: number }[]>(sql))[0].n;

  const fireOnce = async (label: string, batchSize: number): Promise<Fired> => {
    // --- setup, not timed
    const setupStarted = performance.now();
    const contracts = await contractsInState(
      test,
      endpoint,
      world,
      'inService',
      Math.ceil(NOTICES / NOTICES_PER_CONTRACT),
      {
        label,
        width: SETUP_DRIVERS,
        progress: (done) => log(`${label}: ${done} contracts with their village notices`),
      },
    );
    const due = await count('SELECT count(*)::int AS n FROM timer WHERE fired_at IS NULL');
    const eventsBefore = await count(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'notice.elapsed'`,
    );
    log(
      `${label}: ${contracts.length} contracts, ${due} running notices with their timers, in ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    // --- timed: one advance of 7 days fires them all
    scheduler.batchSize = batchSize;
    const meter = cpuMeter(pg.dataDir);
    const reply = await endpoint.send('POST', '/__test__/clock', {
      session: admin,
      json: { advanceDays: 7 },
    });
    const cpu = meter.stop();
    if (reply.status !== 200)
      throw new Error(`clock: ${reply.status} ${JSON.stringify(reply.body)}`);
    const fired = (reply.body as { fired: number }).fired;

    // --- checks
    const [facts] = await test.dataSource.query<
      { left: number; applied: number; events: number; running: number }[]
    >(
      `SELECT (SELECT count(*)::int FROM timer WHERE fired_at IS NULL) AS left,
              (SELECT count(*)::int FROM timer WHERE outcome = 'applied') AS applied,
              (SELECT count(*)::int FROM audit_event WHERE action = 'notice.elapsed') AS events,
              (SELECT count(*)::int FROM notice WHERE state = 'running') AS running`,
    );
    const appliedBefore = eventsBefore; // every earlier timer was applied (checked then)
    const result: Fired = {
      batchSize,
      due,
      fired,
      seconds: cpu.wallMs / 1000,
      nodeMsPerTimer: cpu.nodeMs / fired,
      postgresMsPerTimer: cpu.postgresMs / fired,
      nodeCores: cpu.nodeMs / cpu.wallMs,
      postgresCores: cpu.postgresMs / cpu.wallMs,
      checks: {
        'all fired in the advance': fired === due,
        'no timer left': facts.left === 0,
        'each fired once (one notice.elapsed event per timer, all applied)':
          facts.events - eventsBefore === due && facts.applied - appliedBefore === due,
        'every notice cleared': facts.running === 0,
      },
    };
    log(
      `${label}: batch ${batchSize}: fired ${fired} timers in ${fmt(result.seconds, 2)} s = ${fmt(fired / result.seconds)} timers/s; cores busy ${fmt(result.nodeCores, 2)} + ${fmt(result.postgresCores, 2)}`,
    );
    return result;
  };

  const results: Fired[] = [];
  for (let run = 1; run <= RUNS; run++)
    for (const batchSize of BATCH_SIZES)
      results.push(await fireOnce(`r${run}b${batchSize}`, batchSize));
  const chain = await endpoint.send('GET', '/audit-log/verify', { session: admin });
  const chainOk = (chain.body as { ok: boolean }).ok === true;

  console.log(
    `\nNotice scheduler: ${results[0].due} notices due at once, one app process, ${RUNS} run(s) per batch size, alternating (medians)`,
  );
  const rows = [
    [
      'batch size',
      'runs s',
      'median s',
      'timers/s',
      'node CPU ms/timer',
      'pg CPU ms/timer',
      'cores busy node + pg',
      'vs batch 1',
    ],
  ];
  const baseline = median(results.filter((r) => r.batchSize === 1).map((r) => r.seconds));
  for (const batchSize of BATCH_SIZES) {
    const mine = results.filter((r) => r.batchSize === batchSize);
    const m = (pick: (r: Fired) => number) => median(mine.map(pick));
    const seconds = m((r) => r.seconds);
    rows.push([
      String(batchSize),
      mine.map((r) => fmt(r.seconds, 2)).join(', '),
      fmt(seconds, 2),
      fmt(m((r) => r.fired / r.seconds)),
      fmt(
        m((r) => r.nodeMsPerTimer),
        2,
      ),
      fmt(
        m((r) => r.postgresMsPerTimer),
        2,
      ),
      `${fmt(
        m((r) => r.nodeCores),
        2,
      )} + ${fmt(
        m((r) => r.postgresCores),
        2,
      )}`,
      Number.isFinite(baseline) ? `${fmt(baseline / seconds, 2)}× faster` : '-',
    ]);
  }
  printTable(rows, 1);
  const best = Math.min(...results.map((r) => r.seconds));
  console.log(
    `target: all cleared in < 30 s: best ${fmt(best)} s -> ${best < 30 ? 'met' : 'NOT met'}`,
  );
  let ok = chainOk;
  for (const result of results)
    for (const [name, passed] of Object.entries(result.checks)) {
      if (!passed) {
        ok = false;
        console.log(`check FAILED (batch ${result.batchSize}): ${name}`);
      }
    }
  console.log(
    `checks: every run's timers fired once, every notice cleared -> ${ok ? 'ok' : 'FAILED'}; audit chain ok=${chainOk}`,
  );
  console.log(machineLine());
  return ok;
});

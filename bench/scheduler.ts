/**
 * The notice scheduler: many 7-day notices due at once (docs/benchmarks.md, "Notice scheduler").
 *
 *   npm run bench:scheduler
 *
 * Starts its own PostgreSQL (embedded, fsync on) and the real app on 127.0.0.1 with the test
 * clock. Setup, over HTTP and not timed: contracts of 3 task lines × 3 villages are awarded,
 * signed, given their papers and register, claimed and verified village by village, until
 * BENCH_NOTICES (10000) village notices run, each with its durable timer. Timed: one
 * `POST /__test__/clock {advanceDays: 7}`, which fires every due timer before it answers.
 * Checked: every timer fired exactly once (one `notice.elapsed` audit event per notice, no timer
 * left), every notice cleared, the audit chain verifies.
 *
 * Settings (environment): BENCH_NOTICES (10000), BENCH_SETUP_DRIVERS (8).
 */
import { performance } from 'node:perf_hooks';
import { startApp } from './support/app';
import { runBench } from './support/run';
import { cpuMeter, fmt, log, machineLine } from './support/stats';
import { buildWorld, contractsInState } from './support/world';

const NOTICES = Number(process.env.BENCH_NOTICES ?? 10_000);
const SETUP_DRIVERS = Number(process.env.BENCH_SETUP_DRIVERS ?? 8);
const NOTICES_PER_CONTRACT = 9;
const CONTRACTS_PER_TENDER = 24;

void runBench({ name: 'scheduler' }, async ({ pg, databaseUrl, cleanup }) => {
  const bench = await startApp(databaseUrl, { testClock: true });
  cleanup(bench.close);
  const { test, endpoint } = bench;

  // --- setup, not timed
  const setupStarted = performance.now();
  const world = await buildWorld(bench.api, 3 * CONTRACTS_PER_TENDER);
  const contracts = await contractsInState(
    test,
    endpoint,
    world,
    'inService',
    Math.ceil(NOTICES / NOTICES_PER_CONTRACT),
    {
      label: 's',
      width: SETUP_DRIVERS,
      progress: (done) => log(`setup: ${done} contracts with their village notices`),
    },
  );
  const [{ due }] = await test.dataSource.query<{ due: number }[]>(
    'SELECT count(*)::int AS due FROM timer WHERE fired_at IS NULL',
  );
  log(
    `setup: ${contracts.length} contracts, ${due} running notices with their timers, in ${fmt((performance.now() - setupStarted) / 1000)} s`,
  );

  // --- timed: one advance of 7 days fires them all
  const meter = cpuMeter(pg.dataDir);
  const reply = await endpoint.send('POST', '/__test__/clock', {
    session: world.people.admin,
    json: { advanceDays: 7 },
  });
  const cpu = meter.stop();
  const seconds = cpu.wallMs / 1000;
  if (reply.status !== 200) throw new Error(`clock: ${reply.status} ${JSON.stringify(reply.body)}`);
  const fired = (reply.body as { fired: number }).fired;

  // --- checks
  const [facts] = await test.dataSource.query<
    { left: number; fired_once: number; events: number; cleared: number; running: number }[]
  >(
    `SELECT (SELECT count(*)::int FROM timer WHERE fired_at IS NULL) AS left,
            (SELECT count(*)::int FROM timer WHERE fired_at IS NOT NULL AND outcome = 'applied') AS fired_once,
            (SELECT count(*)::int FROM audit_event WHERE action = 'notice.elapsed') AS events,
            (SELECT count(*)::int FROM notice WHERE state = 'cleared') AS cleared,
            (SELECT count(*)::int FROM notice WHERE state = 'running') AS running`,
  );
  const chain = await endpoint.send('GET', '/audit-log/verify', { session: world.people.admin });
  const checks = {
    'all fired in the advance': fired === due,
    'no timer left': facts.left === 0,
    'each fired once (one notice.elapsed event per timer)':
      facts.events === due && facts.fired_once === due,
    'every notice cleared': facts.cleared === due && facts.running === 0,
    'audit chain ok': (chain.body as { ok: boolean }).ok === true,
  };

  console.log(`\nNotice scheduler: ${due} notices due at once, one app process`);
  console.log(`fired ${fired} timers in ${fmt(seconds)} s = ${fmt(fired / seconds)} timers/s`);
  console.log(
    `CPU per timer: node ${fmt(cpu.nodeMs / fired)} ms, postgres ${fmt(cpu.postgresMs / fired)} ms (cores busy ${fmt(cpu.nodeMs / cpu.wallMs)} + ${fmt(cpu.postgresMs / cpu.wallMs)})`,
  );
  console.log(
    `target: all cleared in < 30 s: ${fmt(seconds)} s -> ${seconds < 30 ? 'met' : 'NOT met'}`,
  );
  for (const [name, ok] of Object.entries(checks))
    console.log(`check: ${name}: ${ok ? 'ok' : 'FAILED'}`);
  console.log(machineLine());
  return !Object.values(checks).includes(false);
});

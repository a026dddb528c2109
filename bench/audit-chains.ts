/**
 * The objection burst across 100 districts: one audit chain lock vs one per district
 * (docs/benchmarks.md, "Audit chains per district").
 *
 *   npm run bench:chains
 *
 * Starts its own PostgreSQL (embedded, fsync on) in a temporary folder and the real app on
 * 127.0.0.1. Setup (over HTTP, not timed): BENCH_DISTRICTS (100) districts, each the Qiaocheng
 * case with its first contract taken to a running village notice (`toRunningNotice`, as the
 * e2e tests do). Then, alternating, BENCH_RUNS (3) times:
 *
 * - one chain: the link trigger rewritten to take one lock for every chain, as before
 *   migration AuditChainPerDistrict (`pg_advisory_xact_lock(7340001, 0)`), the same rewrite
 *   that the negative control of test/e2e/audit-chain-districts.e2e-spec.ts uses;
 * - per district: the trigger as migrated (`pg_advisory_xact_lock(7340001, hashtext(chain))`).
 *
 * Each phase: BENCH_CLIENTS (32) closed-loop clients in a worker thread, client i filing
 * objections round robin on the notices i, i + 32, … (so spread over the districts, never two
 * clients on one contract), each request with its own phone number; the objection throttle is
 * lifted for the run (one address sends ~1,000 a second);
 * BENCH_WARMUP_MS (2000) then BENCH_DURATION_MS (10000) measured. Every 201 is a persisted
 * `objection.filed` transition with its audit row, linked at COMMIT. A sampler counts the app's
 * connections waiting on an advisory lock (the chain lock) every 20 ms.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, Worker } from 'node:worker_threads';
import type { TestApp } from '../test/support/test-app';
import { ONE_ADDRESS_RATE_LIMITS, postgresVersion, startApp } from './support/app';
import { request } from './support/http';
import { answers, closedLoop, type LoadResult, runInWorker, servePhases } from './support/load';
import { runBench } from './support/run';
import { cpuMeter, fmt, log, machineLine, median } from './support/stats';

const DISTRICTS = Number(process.env.BENCH_DISTRICTS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const SETUP_CONCURRENCY = 6;

const PER_CHAIN_LOCK = 'pg_advisory_xact_lock(7340001, hashtext(NEW.chain))';
const ONE_LOCK = 'pg_advisory_xact_lock(7340001, 0)';

// --- load generator (worker thread) ----------------------------------------------------------

interface PhaseSpec {
  port: number;
  noticeIds: string[];
  phoneBase: number;
}

function runPhase(spec: PhaseSpec): Promise<LoadResult> {
  const clients = Math.min(CLIENTS, spec.noticeIds.length);
  const mine = Array.from({ length: clients }, (_, index) =>
    spec.noticeIds.filter((_, n) => n % CLIENTS === index),
  );
  let phone = spec.phoneBase;
  return closedLoop(
    { clients, warmupMs: WARMUP_MS, durationMs: DURATION_MS },
    (client, turn, agent) =>
      request(
        agent,
        spec.port,
        'POST',
        `/public/notices/${mine[client][turn % mine[client].length]}/objections`,
        JSON.stringify({
          name: '压测村民',
          phone: `139${String(phone++).padStart(8, '0')}`,
          text: '压测：我家的地只收了一半',
        }),
      ),
  );
}

servePhases(runPhase);

// --- orchestration (main thread) ---------------------------------------------------------------

type Mode = 'one chain' | 'per district';

interface Measured extends LoadResult {
  mode: Mode;
  /** Mean connections waiting on an advisory lock, sampled every 20 ms. */
  lockWaiters: number;
  postgresMsPerRequest: number;
}

async function setLinkLock(test: TestApp, lock: string): Promise<void> {
  const [{ definition }] = await test.dataSource.query<{ definition: string }[]>(
    `SELECT pg_get_functiondef('audit_event_link'::regproc) AS definition`,
  );
  const changed = definition.replace(/PERFORM pg_advisory_xact_lock\([^;]*\);/, `PERFORM ${lock};`);
  if (!changed.includes(lock)) throw new Error('the link trigger has no advisory lock to replace');
  await test.dataSource.query(changed);
}

async function prepare(test: TestApp): Promise<string[]> {
  const { Api } = await import('../test/support/api.js');
  const { toRunningNotice } = await import('../test/support/lifecycle.js');
  const api = new Api(test);
  const noticeIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_CONCURRENCY }, async () => {
      while (next < DISTRICTS) {
        next += 1;
        noticeIds.push((await toRunningNotice(test, api)).noticeId);
        if (noticeIds.length % 20 === 0) log(`setup: ${noticeIds.length} districts`);
      }
    }),
  );
  return noticeIds;
}

async function main(): Promise<void> {
  await runBench({ name: 'chains' }, async ({ pg, databaseUrl, cleanup }) => {
    // The burst comes from one address at ~1,000/s: the objection throttle would answer 429.
    const bench = await startApp(databaseUrl, {
      testClock: true,
      rateLimits: ONE_ADDRESS_RATE_LIMITS,
    });
    cleanup(bench.close);
    const { test, port } = bench;
    let failed = false;
    const setupStarted = performance.now();
    const noticeIds = await prepare(test);
    const [{ districts }] = await test.dataSource.query<{ districts: number }[]>(
      `SELECT count(DISTINCT n.district_code)::int AS districts FROM notice n WHERE n.id = ANY($1)`,
      [noticeIds],
    );
    log(
      `setup: ${noticeIds.length} running notices in ${districts} districts, ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    const worker = new Worker(__filename);
    cleanup(() => worker.terminate());
    const sampler = test.dataSource;
    const phase = async (mode: Mode, phoneBase: number): Promise<Measured> => {
      await setLinkLock(test, mode === 'one chain' ? ONE_LOCK : PER_CHAIN_LOCK);
      const samples: number[] = [];
      let sampling = true;
      const sampling$ = (async () => {
        while (sampling) {
          const [{ n }] = await sampler.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`,
          );
          samples.push(n);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const meter = cpuMeter(pg.dataDir);
      const result = await runInWorker<PhaseSpec, LoadResult>(worker, {
        port,
        noticeIds,
        phoneBase,
      });
      const cpu = meter.stop();
      sampling = false;
      await sampling$;
      return {
        ...result,
        mode,
        lockWaiters: samples.reduce((sum, n) => sum + n, 0) / Math.max(1, samples.length),
        postgresMsPerRequest: cpu.postgresMs / answers(result),
      };
    };

    await phase('per district', 1); // priming, not reported
    const runs: Record<Mode, Measured>[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const one = await phase('one chain', run * 20_000_000);
      const per = await phase('per district', run * 20_000_000 + 10_000_000);
      runs.push({ 'one chain': one, 'per district': per });
      for (const result of [one, per]) {
        log(
          `run ${run} ${result.mode.padEnd(12)} ${fmt(result.rps, 0)} req/s  p50 ${fmt(result.p50, 1)} ms  p99 ${fmt(result.p99, 1)} ms  errors ${result.errors}  lock waiters ${fmt(result.lockWaiters, 1)}  pg ${fmt(result.postgresMsPerRequest, 2)} ms/req`,
        );
        for (const sample of result.errorSamples) log(`  error sample: ${sample.slice(0, 200)}`);
        if (result.errors > 0) failed = true;
      }
      log(`run ${run}: per district / one chain = ${fmt(per.rps / one.rps, 2)}×`);
    }
    await setLinkLock(test, PER_CHAIN_LOCK);

    const admin = await bench.api.admin();
    const report = await test.http().get('/audit-log/verify').set(admin.auth);
    const chain = report.body as { ok: boolean; events: number; chains: unknown[] };
    if (!chain.ok) failed = true;

    const med = (mode: Mode, pick: (result: Measured) => number) =>
      median(runs.map((run) => pick(run[mode])));
    console.log('');
    console.log(
      `Objection burst over ${districts} districts: ${CLIENTS} closed-loop clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s measured, ${RUNS} alternating runs (medians)`,
    );
    console.log('mode          req/s   p50 ms   p99 ms   lock waiters   pg CPU ms/req');
    for (const mode of ['one chain', 'per district'] as const) {
      console.log(
        `${mode.padEnd(12)}  ${fmt(
          med(mode, (r) => r.rps),
          0,
        ).padStart(5)}   ${fmt(
          med(mode, (r) => r.p50),
          1,
        ).padStart(6)}   ${fmt(
          med(mode, (r) => r.p99),
          1,
        ).padStart(6)}   ${fmt(
          med(mode, (r) => r.lockWaiters),
          1,
        ).padStart(12)}   ${fmt(
          med(mode, (r) => r.postgresMsPerRequest),
          2,
        ).padStart(13)}`,
      );
    }
    const ratio = median(runs.map((run) => run['per district'].rps / run['one chain'].rps));
    const p99Ratio = median(runs.map((run) => run['one chain'].p99 / run['per district'].p99));
    console.log(
      `ratio per district / one chain: throughput ${fmt(ratio, 2)}×, p99 one chain / per district ${fmt(p99Ratio, 2)}× (median of the run-by-run ratios)`,
    );
    console.log(
      `audit chains: ok=${chain.ok}, ${chain.events} events in ${chain.chains.length} chains`,
    );
    console.log(machineLine(`${await postgresVersion(test)} (fsync on)`));
    return !failed;
  });
}

if (isMainThread) void main();

/**
 * Writes at province size (docs/benchmarks.md, "Province scale"), on a copy of the province of
 * bench/support/province.ts (CREATE DATABASE … TEMPLATE; the province stays as loaded):
 *
 *   npm run bench:province:burst      (BENCH_PHASE=chains|processes|all, default all)
 *
 * chains: the objection burst of bench/audit-chains.ts (its modes and its load generator, which
 * this file starts as a worker), on one running village notice of each of the 100 districts'
 * generated contracts instead of 100 small districts built over HTTP: one chain lock for every
 * district vs one per district, BENCH_RUNS (3) alternating runs after a priming one, the app in
 * this process.
 *
 * processes: the same burst (per-district chains) against 1 and then 2 app processes (forked,
 * bench/support/instance.ts), alternating, BENCH_RUNS (3) rounds after a priming one. With 2,
 * half the clients go to each (one load generator thread per process, BENCH_CLIENTS ÷ 2 clients
 * each). Two cores cannot show throughput scaling, so what it reports is what a transition
 * costs: CPU of the app processes and of PostgreSQL per 201, from /proc, and the backends
 * waiting on a lock (any heavyweight lock: advisory, row, transaction id), sampled every 20 ms.
 *
 * Checks: every answer 201, the objections stored = the 201 answers, every chain verifies.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { ONE_LOCK, PER_CHAIN_LOCK, setLinkLock, type PhaseSpec } from './audit-chains';
import {
  ONE_ADDRESS_RATE_LIMITS,
  startApp,
  startInstance,
  stopInstance,
  type Instance,
} from './support/app';
import { answers, runInWorker, type LoadResult } from './support/load';
import { copyProvince, runOnProvince } from './support/province';
import { fmt, log, median, postgresCpuMs, printTable, processCpuMs } from './support/stats';

const PHASE = process.env.BENCH_PHASE ?? 'all';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const LOAD_FILE = path.join(__dirname, 'audit-chains.js');

interface Measured {
  results: LoadResult[];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Mean backends waiting on a lock (advisory, or any heavyweight lock), every 20 ms. */
  advisoryWaiters: number;
  lockWaiters: number;
  appMsPerTransition: number;
  postgresMsPerTransition: number;
  created: number;
}

/** Runs one phase on each worker at once (one per app), sampling lock waits meanwhile. */
async function burst(
  sampler: Client,
  pgDataDir: string,
  load: { worker: Worker; spec: PhaseSpec }[],
  appPids: number[],
): Promise<Measured> {
  const advisory: number[] = [];
  const locks: number[] = [];
  let sampling = true;
  const sampled = (async () => {
    while (sampling) {
      const { rows } = await sampler.query<{ advisory: number; locks: number }>(
        `SELECT count(*) FILTER (WHERE wait_event = 'advisory')::int AS advisory, count(*)::int AS locks
           FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
      );
      advisory.push(rows[0].advisory);
      locks.push(rows[0].locks);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const appCpu = (): number => appPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const app0 = appCpu();
  const pg0 = postgresCpuMs(pgDataDir);
  const results = await Promise.all(
    load.map(({ worker, spec }) => runInWorker<PhaseSpec, LoadResult>(worker, spec)),
  );
  const appMs = appCpu() - app0;
  const pgMs = postgresCpuMs(pgDataDir) - pg0;
  sampling = false;
  await sampled;
  const created = results.reduce((sum, result) => sum + (result.statuses['201'] ?? 0), 0);
  const all = results.reduce((sum, result) => sum + answers(result), 0);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    results,
    rps: results.reduce((sum, result) => sum + result.rps, 0),
    p50: median(results.map((result) => result.p50)),
    p99: Math.max(...results.map((result) => result.p99)),
    errors: results.reduce((sum, result) => sum + result.errors, 0) + (all - created),
    advisoryWaiters: mean(advisory),
    lockWaiters: mean(locks),
    appMsPerTransition: appMs / created,
    postgresMsPerTransition: pgMs / created,
    created,
  };
}

const loadWorker = (clients: number): Worker =>
  new Worker(LOAD_FILE, { env: { ...process.env, BENCH_CLIENTS: String(clients) } });

function report(title: string, modes: string[], runs: Record<string, Measured>[]): void {
  console.log(`\n${title}`);
  const pick = (mode: string, value: (m: Measured) => number) =>
    median(runs.map((run) => value(run[mode])));
  const rows = [
    [
      '',
      'req/s',
      'p50 ms',
      'p99 ms',
      'advisory waits',
      'lock waits',
      'app CPU ms/201',
      'PG CPU ms/201',
    ],
  ];
  for (const mode of modes)
    rows.push([
      mode,
      fmt(
        pick(mode, (m) => m.rps),
        0,
      ),
      fmt(pick(mode, (m) => m.p50)),
      fmt(pick(mode, (m) => m.p99)),
      fmt(pick(mode, (m) => m.advisoryWaiters)),
      fmt(pick(mode, (m) => m.lockWaiters)),
      fmt(
        pick(mode, (m) => m.appMsPerTransition),
        2,
      ),
      fmt(
        pick(mode, (m) => m.postgresMsPerTransition),
        2,
      ),
    ]);
  printTable(rows, 1);
  const [a, b] = modes;
  console.log(
    `${b} / ${a}, median of the run-by-run ratios: throughput ${fmt(median(runs.map((run) => run[b].rps / run[a].rps)), 2)}×, p99 ${fmt(median(runs.map((run) => run[b].p99 / run[a].p99)), 2)}×`,
  );
}

function logRun(run: number, mode: string, m: Measured): void {
  log(
    `run ${run} ${mode}: ${fmt(m.rps, 0)} req/s, p50 ${fmt(m.p50)} ms, p99 ${fmt(m.p99)} ms, errors ${m.errors}, advisory waits ${fmt(m.advisoryWaiters)}, lock waits ${fmt(m.lockWaiters)}, app ${fmt(m.appMsPerTransition, 2)} / pg ${fmt(m.postgresMsPerTransition, 2)} ms per 201`,
  );
  for (const sample of m.results.flatMap((result) => result.errorSamples).slice(0, 3))
    log(`  error sample: ${sample.slice(0, 200)}`);
}

async function main(): Promise<void> {
  await runOnProvince(async (province, cleanup) => {
    const copy = await copyProvince(province, 'province_burst');
    cleanup(copy.drop);
    const pgDataDir = path.join(province.home, 'pg');
    const sampler = new Client({ connectionString: copy.url });
    await sampler.connect();
    cleanup(() => sampler.end());
    const stops = { push: cleanup };
    let ok = true;
    let phone = 1;
    const { rows } = await sampler.query<{ id: string }>(
      `SELECT DISTINCT ON (district_code) id FROM notice
        WHERE state = 'running' AND kind = 'village' ORDER BY district_code, id`,
    );
    const noticeIds = rows.map((row) => row.id);
    log(`burst: ${noticeIds.length} running village notices, one per district`);
    const spec = (port: number): PhaseSpec => ({
      port,
      noticeIds,
      phoneBase: (phone += 5_000_000),
    });
    let filed = 0;

    if (PHASE === 'chains' || PHASE === 'all') {
      const bench = await startApp(copy.url, { rateLimits: ONE_ADDRESS_RATE_LIMITS });
      stops.push(bench.close);
      const worker = loadWorker(CLIENTS);
      stops.push(() => worker.terminate());
      const phase = async (lock: string) => {
        await setLinkLock(bench.test, lock);
        return burst(sampler, pgDataDir, [{ worker, spec: spec(bench.port) }], [process.pid]);
      };
      filed += (await phase(PER_CHAIN_LOCK)).created; // priming
      const runs: Record<string, Measured>[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const one = await phase(ONE_LOCK);
        const per = await phase(PER_CHAIN_LOCK);
        runs.push({ 'one chain': one, 'per district': per });
        logRun(run, 'one chain', one);
        logRun(run, 'per district', per);
        filed += one.created + per.created;
        if (one.errors + per.errors > 0) ok = false;
      }
      await setLinkLock(bench.test, PER_CHAIN_LOCK);
      report(
        `Objection burst over ${noticeIds.length} districts at province size, ${CLIENTS} clients (app CPU = this process: app and load generator)`,
        ['one chain', 'per district'],
        runs,
      );
    }

    if (PHASE === 'processes' || PHASE === 'all') {
      const jwtSecret = randomBytes(32).toString('hex');
      const instances: Instance[] = [];
      for (let i = 0; i < 2; i++) {
        const instance = await startInstance(copy.url, {
          jwtSecret,
          rateLimits: ONE_ADDRESS_RATE_LIMITS,
        });
        instances.push(instance);
        stops.push(() => stopInstance(instance));
      }
      const whole = loadWorker(CLIENTS);
      const halves = [loadWorker(CLIENTS / 2), loadWorker(CLIENTS / 2)];
      for (const worker of [whole, ...halves]) stops.push(() => worker.terminate());
      const one = () =>
        burst(
          sampler,
          pgDataDir,
          [{ worker: whole, spec: spec(instances[0].endpoint.port) }],
          [instances[0].pid],
        );
      const two = () =>
        burst(
          sampler,
          pgDataDir,
          halves.map((worker, i) => ({ worker, spec: spec(instances[i].endpoint.port) })),
          instances.map((instance) => instance.pid),
        );
      filed += (await one()).created + (await two()).created; // priming
      const runs: Record<string, Measured>[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const single = await one();
        const pair = await two();
        runs.push({ '1 process': single, '2 processes': pair });
        logRun(run, '1 process', single);
        logRun(run, '2 processes', pair);
        filed += single.created + pair.created;
        if (single.errors + pair.errors > 0) ok = false;
      }
      report(
        `1 vs 2 app processes, objection burst over ${noticeIds.length} districts, ${CLIENTS} clients in all (app CPU = the app processes only)`,
        ['1 process', '2 processes'],
        runs,
      );
    }

    const [{ stored }] = (
      await sampler.query<{ stored: number }>(
        `SELECT count(*)::int AS stored FROM objection WHERE name = '压测村民'`,
      )
    ).rows;
    const check = await startApp(copy.url);
    stops.push(check.close);
    const admin = await check.api.admin();
    const verify = await check.test.http().get('/audit-log/verify').set(admin.auth);
    const chain = verify.body as { ok: boolean; events: number; chains: unknown[] };
    console.log(
      `\nchecks: objections stored ${stored} = 201 answers ${filed}: ${stored === filed}; audit chains ok=${chain.ok} (${chain.events} events in ${chain.chains.length} chains)`,
    );
    if (stored !== filed || !chain.ok) ok = false;
    return ok;
  });
}

void main();

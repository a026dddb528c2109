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
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { TestApp } from '../test/support/test-app';
import { fmt, log, median, percentile, postgresCpuMs } from './measure';

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

interface PhaseResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errorSamples: string[];
}

function post(agent: http.Agent, port: number, url: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: url,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', (error) => resolve({ status: 0, body: error.message }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
    request.end(body);
  });
}

async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let phone = spec.phoneBase;
  const measureFrom = performance.now() + WARMUP_MS;
  const measureTo = measureFrom + DURATION_MS;
  const client = async (index: number): Promise<void> => {
    const mine = spec.noticeIds.filter((_, n) => n % CLIENTS === index);
    for (let turn = 0; performance.now() < measureTo; turn++) {
      const body = JSON.stringify({
        name: '压测村民',
        phone: `139${String(phone++).padStart(8, '0')}`,
        text: '压测：我家的地只收了一半',
      });
      const sent = performance.now();
      const answer = await post(
        agent,
        spec.port,
        `/public/notices/${mine[turn % mine.length]}/objections`,
        body,
      );
      const done = performance.now();
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const ok = answer.status === 201;
      if (!ok && errorSamples.length < 5) errorSamples.push(`${answer.status} ${answer.body}`);
      if (sent >= measureFrom && done <= measureTo) {
        latencies.push(done - sent);
        if (!ok) errors += 1;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(CLIENTS, spec.noticeIds.length) }, (_, i) => client(i)),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / (DURATION_MS / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    statuses,
    errorSamples,
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (spec: PhaseSpec) => {
    void runPhase(spec).then((result) => port.postMessage(result));
  });
}

// --- orchestration (main thread) ---------------------------------------------------------------

type Mode = 'one chain' | 'per district';

interface Measured extends PhaseResult {
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
  const { EmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const { createTestDatabase, startTestApp } = await import('../test/support/test-app.js');
  const { Api } = await import('../test/support/api.js');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-chains-'));
  fs.chmodSync(home, 0o755);
  const pgDataDir = path.join(home, 'pg');
  let postgres: Awaited<ReturnType<typeof EmbeddedPostgres.start>> | undefined;
  let test: TestApp | undefined;
  let worker: Worker | undefined;
  let failed = false;
  try {
    postgres = await EmbeddedPostgres.start({
      dataDir: pgDataDir,
      ephemeral: false,
      log: (message) => log(message),
    });
    process.env.TEST_PG_ADMIN_URL = postgres.url();
    const database = await createTestDatabase();
    // The burst comes from one address at ~1,000/s: the objection throttle would answer 429.
    const { DEFAULT_RATE_LIMITS } = await import('../src/config/app-config.js');
    test = await startTestApp({
      databaseUrl: database.url,
      testClock: true,
      rateLimits: {
        ...DEFAULT_RATE_LIMITS,
        objectionsPerClient: Number.MAX_SAFE_INTEGER,
        objectionsPerNotice: Number.MAX_SAFE_INTEGER,
      },
    });
    await test.app.listen(0, '127.0.0.1');
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    const setupStarted = performance.now();
    const noticeIds = await prepare(test);
    const [{ districts }] = await test.dataSource.query<{ districts: number }[]>(
      `SELECT count(DISTINCT n.district_code)::int AS districts FROM notice n WHERE n.id = ANY($1)`,
      [noticeIds],
    );
    log(
      `setup: ${noticeIds.length} running notices in ${districts} districts, ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    worker = new Worker(__filename);
    const sampler = test.dataSource;
    const phase = async (mode: Mode, phoneBase: number): Promise<Measured> => {
      await setLinkLock(test as TestApp, mode === 'one chain' ? ONE_LOCK : PER_CHAIN_LOCK);
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
      const postgresBefore = postgresCpuMs(pgDataDir);
      const result = await new Promise<PhaseResult>((resolve, reject) => {
        worker!.once('message', resolve);
        worker!.once('error', reject);
        worker!.postMessage({ port, noticeIds, phoneBase } satisfies PhaseSpec);
      });
      sampling = false;
      await sampling$;
      const answers = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
      return {
        ...result,
        mode,
        lockWaiters: samples.reduce((sum, n) => sum + n, 0) / Math.max(1, samples.length),
        postgresMsPerRequest: (postgresCpuMs(pgDataDir) - postgresBefore) / answers,
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

    const admin = await new Api(test).admin();
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
    const pg = await test.dataSource.query<{ version: string }[]>('SELECT version()');
    console.log(
      `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((load) => fmt(load, 2))
        .join(' ')}; node ${process.version}; ${pg[0].version.split(',')[0]} (fsync on)`,
    );
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await worker?.terminate();
    await test?.close().catch((error: unknown) => console.error(error));
    await postgres?.stop().catch((error: unknown) => console.error(error));
    fs.rmSync(home, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

if (isMainThread) void main();

/**
 * Lifecycle transitions through HTTP (docs/benchmarks.md, "Lifecycle transitions").
 *
 *   npm run bench:lifecycle                             # both phases
 *   BENCH_PHASE=transitions|lifecycles npm run bench:lifecycle
 *
 * Starts its own PostgreSQL (embedded, fsync on) in a temporary folder and the real app on
 * 127.0.0.1, then runs the phases that BENCH_PHASE (all) names, in this order:
 *
 * 1. transitions (this file), below;
 * 2. lifecycles: full lifecycles award → paid, 3 task lines × 3 villages, contracts per minute
 *    with 1 and 2 app processes (bench/lifecycle-full.ts).
 *
 * The transition phase prepares 32 contracts with a running village notice each, then alternates:
 *
 * - baseline:   GET /health (a bare `SELECT 1`), 32 closed-loop clients;
 * - transition: POST /public/notices/:id/objections, 32 clients each on its own contract: one
 *               persisted `objection.filed` transition per request (row lock, machine step,
 *               snapshot, history and audit rows, one transaction).
 *
 * The load generator runs in a worker thread of this process (its own event loop), so that
 * building requests and parsing answers does not queue behind the app's work.
 *
 * Settings (environment): BENCH_RUNS (3), BENCH_CLIENTS (32), BENCH_WARMUP_MS (2000),
 * BENCH_DURATION_MS (10000), BENCH_PRIMING_MS (4000: one unreported round of both phases first,
 * so that run 1 does not pay for the JIT and cold caches), BENCH_CPU_PROFILE (a file name: the
 * app thread's CPU profile over the measured transition phases, for Chrome DevTools or
 * `node bench/profile-summary.js`), BENCH_PG_STATEMENTS=1 (load pg_stat_statements and print
 * where PostgreSQL spent its time during the measured transition phases).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { isMainThread, Worker } from 'node:worker_threads';
import type { TestApp } from '../test/support/test-app';
import { ONE_ADDRESS_RATE_LIMITS, postgresVersion, startApp } from './support/app';
import { expectStatus, request } from './support/http';
import {
  answers,
  closedLoop,
  type LoadResult,
  type LoadWindow,
  runInWorker,
  servePhases,
} from './support/load';
import { runBench } from './support/run';
import { cpuMeter, fmt, log, machineLine, median, printTable } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const PRIMING_MS = Number(process.env.BENCH_PRIMING_MS ?? 4_000);
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE;
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 50;

// ---------------------------------------------------------------------------------------------
// Load generator (worker thread)
// ---------------------------------------------------------------------------------------------

interface PhaseSpec extends LoadWindow {
  kind: 'baseline' | 'transition';
  port: number;
  /** transition: one notice per client. */
  noticeIds: string[];
  /** transition: first value of the phone counter (distinct phones for the throttler). */
  phoneBase: number;
}

interface PhaseResult extends LoadResult {
  kind: PhaseSpec['kind'];
  /** Filled by the main thread: CPU time per answer over the whole phase (warm-up included). */
  cpu?: CpuShare;
}

interface CpuShare {
  /** This node process: the app, its libuv threads and the load generator's thread. */
  nodeMsPerRequest: number;
  /** All PostgreSQL processes (Linux /proc; NaN elsewhere). */
  postgresMsPerRequest: number;
  /** Cores busy on average: node, PostgreSQL. */
  nodeCores: number;
  postgresCores: number;
}

async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  let phone = spec.phoneBase;
  const result = await closedLoop(spec, (client, _turn, agent) =>
    spec.kind === 'baseline'
      ? request(agent, spec.port, 'GET', '/health', undefined, 300)
      : request(
          agent,
          spec.port,
          'POST',
          `/public/notices/${spec.noticeIds[client]}/objections`,
          JSON.stringify({
            name: '压测村民',
            phone: `139${String(phone++).padStart(8, '0')}`,
            text: '压测：我家的地只收了一半',
          }),
          300,
        ),
  );
  return { kind: spec.kind, ...result };
}

servePhases(runPhase);

// ---------------------------------------------------------------------------------------------
// Orchestration (main thread)
// ---------------------------------------------------------------------------------------------

const PHASES = ['transitions', 'lifecycles', 'all'] as const;
const PHASE = (process.env.BENCH_PHASE ?? 'all') as (typeof PHASES)[number];

async function main(): Promise<void> {
  if (!PHASES.includes(PHASE)) {
    console.error(`BENCH_PHASE must be one of ${PHASES.join(', ')}, not ${PHASE}`);
    process.exitCode = 2;
    return;
  }
  await runBench(
    {
      name: 'lifecycle',
      settings: PG_STATEMENTS
        ? {
            shared_preload_libraries: 'pg_stat_statements',
            'pg_stat_statements.track_planning': 'on',
          }
        : undefined,
    },
    async ({ pg, databaseUrl, cleanup }) => {
      // One secret for every app instance on the database (the lifecycle phase starts more).
      const jwtSecret = randomBytes(32).toString('hex');
      const bench = await startApp(databaseUrl, {
        testClock: true,
        jwtSecret,
        rateLimits: ONE_ADDRESS_RATE_LIMITS,
      });
      cleanup(bench.close);
      const { test, port } = bench;
      log(`app listening on 127.0.0.1:${port}; BENCH_PHASE=${PHASE}`);
      let ok = true;
      if (PHASE !== 'lifecycles') {
        const started = performance.now();
        if (!(await runTransitions(test, port, pg.dataDir))) ok = false;
        log(`transitions phase: ${fmt((performance.now() - started) / 1000)} s`);
      }
      if (PHASE !== 'transitions') {
        const started = performance.now();
        const { runFullLifecycles } = await import('./lifecycle-full.js');
        if (!(await runFullLifecycles({ test, jwtSecret, pgDataDir: pg.dataDir }))) ok = false;
        log(`lifecycles phase: ${fmt((performance.now() - started) / 1000)} s`);
      }
      return ok;
    },
  );
}

/** Where PostgreSQL spent its time (pg_stat_statements since the last reset), per statement. */
async function printStatements(test: TestApp): Promise<void> {
  const rows = await test.dataSource.query<
    { calls: string; exec: number; plan: number; rows: string; query: string }[]
  >(
    `SELECT calls, total_exec_time AS exec, total_plan_time AS plan, rows,
            regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`,
  );
  log('pg_stat_statements over the phase (ms in all, then per call):');
  for (const row of rows) {
    const calls = Number(row.calls);
    log(
      `  ${fmt(row.exec + row.plan)} ms  calls ${calls}  exec ${fmt(row.exec / calls)}  plan ${fmt(row.plan / calls)}  ${row.query.slice(0, 160)}`,
    );
  }
}

/** The transition phase: persisted objections vs GET /health. False when a check failed. */
async function runTransitions(test: TestApp, port: number, pgDataDir: string): Promise<boolean> {
  const { Api } = await import('../test/support/api.js');
  const { awardQiaocheng, buildQiaocheng } = await import('../test/support/qiaocheng.js');
  const { addRows, uploadClaimAttachments } = await import('../test/support/lifecycle.js');
  let worker: Worker | undefined;
  let failed = false;
  try {
    // --- setup: 32 contracts, each signed, worked, claimed and verified: one running notice.
    const api = new Api(test);
    const admin = await api.admin();
    const groups = Math.ceil(CLIENTS / 3);
    const setupStarted = performance.now();
    const prepared = await Promise.all(
      Array.from({ length: groups }, async () => {
        const q = await buildQiaocheng(api);
        const { contractIds } = await awardQiaocheng(api, q);
        const notices: { contractId: string; noticeId: string }[] = [];
        for (const [index, contractId] of contractIds.entries()) {
          const village = q.villages[index].code;
          const coop = q.coops[index];
          const http = () => test.http();
          await expectStatus(
            'sign',
            http()
              .post(`/contracts/${contractId}/sign`)
              .set(q.agri.auth)
              .send({
                contractNo: `谯农服合〔2015〕bench-${index}-${q.district}`,
                signedOn: '2015-06-01',
              }),
          );
          await addRows(test, coop, contractId, village, 'wheat_harvest', [250, 300, 125]);
          await uploadClaimAttachments(test, coop, contractId);
          await expectStatus(
            'claim',
            http().post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`).set(coop.auth),
          );
          const verifier = await api.user('village_verifier', { regionCode: village });
          const verified = await expectStatus(
            'village verification',
            http()
              .post(
                `/contracts/${contractId}/task-lines/wheat_harvest/villages/${village}/verification`,
              )
              .set(verifier.auth)
              .send({}),
          );
          notices.push({ contractId, noticeId: verified.body.noticeId as string });
        }
        return notices;
      }),
    );
    const contracts = prepared.flat().slice(0, CLIENTS);
    const noticeIds = contracts.map((contract) => contract.noticeId);
    const contractIds = contracts.map((contract) => contract.contractId);
    if (new Set(contractIds).size !== CLIENTS) throw new Error('contracts are not distinct');
    log(
      `setup: ${CLIENTS} contracts with a running notice each in ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    const snapshotBytes = async (): Promise<number> => {
      const [row] = await test.dataSource.query<{ bytes: string }[]>(
        'SELECT avg(pg_column_size(snapshot))::int AS bytes FROM contract WHERE id = ANY($1)',
        [contractIds],
      );
      return Number(row.bytes);
    };
    const snapshotAtStart = await snapshotBytes();

    // --- the load generator: this same file in a worker thread.
    worker = new Worker(__filename);
    const phase = async (
      spec: Omit<PhaseSpec, 'port' | 'clients' | 'warmupMs' | 'durationMs'> &
        Partial<Pick<PhaseSpec, 'warmupMs' | 'durationMs'>>,
    ): Promise<PhaseResult> => {
      const profiler =
        CPU_PROFILE && spec.kind === 'transition' && spec.phoneBase > 0 ? new Session() : undefined;
      if (profiler) {
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
      }
      const statements = PG_STATEMENTS && spec.kind === 'transition' && spec.phoneBase > 0;
      if (statements) {
        await test.dataSource.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await test.dataSource.query('SELECT pg_stat_statements_reset()');
      }
      const meter = cpuMeter(pgDataDir);
      const result = await runInWorker<PhaseSpec, PhaseResult>(worker as Worker, {
        port,
        clients: CLIENTS,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        ...spec,
      });
      const { wallMs: wall, nodeMs, postgresMs } = meter.stop();
      if (profiler && CPU_PROFILE) {
        const { profile } = await profiler.post('Profiler.stop');
        profiler.disconnect();
        const file = CPU_PROFILE.replace(
          /(\.cpuprofile)?$/,
          `-${spec.phoneBase / 10_000_000}.cpuprofile`,
        );
        fs.writeFileSync(file, JSON.stringify(profile));
        log(`CPU profile of the transition phase: ${file}`);
      }
      if (statements) await printStatements(test);
      const count = answers(result);
      result.cpu = {
        nodeMsPerRequest: nodeMs / count,
        postgresMsPerRequest: postgresMs / count,
        nodeCores: nodeMs / wall,
        postgresCores: postgresMs / wall,
      };
      return result;
    };

    const runs: { baseline: PhaseResult; transition: PhaseResult; snapshotBytes: number }[] = [];
    let created = 0;
    if (PRIMING_MS > 0) {
      for (const kind of ['baseline', 'transition'] as const) {
        const priming = await phase({
          kind,
          noticeIds,
          phoneBase: 0,
          warmupMs: 0,
          durationMs: PRIMING_MS,
        });
        created += priming.statuses['201'] ?? 0;
      }
      log(`priming round done (${PRIMING_MS / 1000} s of each phase, not reported)`);
    }
    for (let run = 1; run <= RUNS; run++) {
      const baseline = await phase({ kind: 'baseline', noticeIds: [], phoneBase: 0 });
      log(describePhase(run, baseline));
      const transition = await phase({
        kind: 'transition',
        noticeIds,
        phoneBase: run * 10_000_000,
      });
      log(describePhase(run, transition));
      created += transition.statuses['201'] ?? 0;
      for (const sample of [...baseline.errorSamples, ...transition.errorSamples])
        log(`  error sample: ${sample}`);
      const bytes = await snapshotBytes();
      runs.push({ baseline, transition, snapshotBytes: bytes });
      log(
        `run ${run}: ratio transition/baseline = ${fmt((100 * transition.rps) / baseline.rps)} %; mean snapshot ${bytes} B`,
      );
    }

    // --- checks: every 201 stored, the audit chain intact.
    const [stored] = await test.dataSource.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM objection WHERE notice_id = ANY($1)',
      [noticeIds],
    );
    const objections = Number(stored.count);
    const chain = await expectStatus(
      'audit-log verify',
      test.http().get('/audit-log/verify').set(admin.auth),
    );
    const chainBody = chain.body as { ok: boolean; events: number };

    // --- report
    const med = (pick: (run: (typeof runs)[number]) => number): number => median(runs.map(pick));
    const ratio = med((r) => r.transition.rps / r.baseline.rps);
    const columns: [string, (result: PhaseResult) => number, number][] = [
      ['req/s', (result) => result.rps, 0],
      ['p50 ms', (result) => result.p50, 2],
      ['p99 ms', (result) => result.p99, 2],
      ['max ms', (result) => result.max, 1],
      ['errors', (result) => result.errors, 0],
      ['node CPU ms/req', (result) => result.cpu?.nodeMsPerRequest ?? NaN, 2],
      ['pg CPU ms/req', (result) => result.cpu?.postgresMsPerRequest ?? NaN, 2],
    ];
    const kinds = [
      ['baseline', 'GET /health'],
      ['transition', 'POST objection'],
    ] as const;
    const rows: string[][] = [['run', 'endpoint', ...columns.map(([name]) => name), 'ratio']];
    for (const [index, r] of runs.entries()) {
      for (const [kind, endpoint] of kinds) {
        rows.push([
          String(index + 1),
          endpoint,
          ...columns.map(([, get, digits]) => fmt(get(r[kind]), digits)),
          kind === 'transition' ? `${fmt((100 * r.transition.rps) / r.baseline.rps)} %` : '',
        ]);
      }
    }
    for (const [kind, endpoint] of kinds) {
      rows.push([
        'median',
        endpoint,
        ...columns.map(([, get, digits]) =>
          fmt(
            med((r) => get(r[kind])),
            digits,
          ),
        ),
        kind === 'transition' ? `${fmt(100 * ratio)} %` : '',
      ]);
    }

    console.log('');
    console.log(
      `Lifecycle transitions: ${CLIENTS} closed-loop clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s measured per phase, ${RUNS} alternating runs`,
    );
    printTable(rows);
    console.log('');
    const p99 = med((r) => r.transition.p99);
    console.log(
      `target: transition throughput >= ${100 * TARGET_RATIO} % of baseline: ${fmt(100 * ratio)} % -> ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
    );
    console.log(
      `target: transition p99 < ${TARGET_P99_MS} ms: ${fmt(p99, 2)} ms -> ${p99 < TARGET_P99_MS ? 'met' : 'NOT met'}`,
    );
    console.log(
      `objections stored ${objections}, 201 answers ${created} -> ${objections === created ? 'consistent' : 'MISMATCH'}`,
    );
    console.log(
      `audit chain: ok=${chainBody.ok}, ${chainBody.events} events; mean contract snapshot ${snapshotAtStart} B before, ${runs[runs.length - 1]?.snapshotBytes} B after`,
    );
    console.log(machineLine(`${await postgresVersion(test)} (fsync on)`));
    for (const [index, r] of runs.entries()) {
      console.log(
        `run ${index + 1} statuses: baseline ${JSON.stringify(r.baseline.statuses)}, transition ${JSON.stringify(r.transition.statuses)}`,
      );
    }
    if (objections !== created || !chainBody.ok) failed = true;
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await worker?.terminate();
  }
  return !failed;
}

function describePhase(run: number, result: PhaseResult): string {
  const name = result.kind === 'baseline' ? 'GET /health    ' : 'POST objection ';
  const cpu = result.cpu;
  const cpuText = cpu
    ? `  CPU/req: node ${fmt(cpu.nodeMsPerRequest, 2)} ms, postgres ${fmt(cpu.postgresMsPerRequest, 2)} ms (cores busy ${fmt(cpu.nodeCores, 2)} + ${fmt(cpu.postgresCores, 2)})`
    : '';
  return `run ${run} ${name} ${fmt(result.rps, 0).padStart(6)} req/s  p50 ${fmt(result.p50, 2)} ms  p99 ${fmt(result.p99, 2)} ms  errors ${result.errors}${cpuText}`;
}

if (isMainThread) void main();

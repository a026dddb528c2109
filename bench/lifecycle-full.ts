/**
 * Full lifecycles through HTTP, award → paid (docs/benchmarks.md, "Full lifecycles"); the second
 * phase of bench/lifecycle.ts (`BENCH_PHASE=lifecycles|all`).
 *
 * Setup (not timed), through the in-process app: one district and town with 3 × BENCH_CONTRACTS
 * villages, 8 cooperatives, one village verifier per village, five town acceptors covering the
 * four roles, a district agriculture official, two finance officials (one approves the audit,
 * the other issues the payout). Then, for every run, a project whose open tender has
 * BENCH_CONTRACTS lots of 3 villages × 3 tasks, one bid per lot, the opening and the awards:
 * BENCH_CONTRACTS contracts in `awarded`, each with 3 task lines × 3 villages.
 *
 * The app runs in separate processes (bench/lifecycle-instance.ts, `startTestApp` on the same
 * database and JWT secret), so that "1 vs 2 app processes" means two event loops. Timed part:
 * BENCH_DRIVERS closed-loop drivers in this process take the next contract of the run and drive
 * it from `awarded` to `paid` over HTTP (keep-alive), with the drivers split evenly between the
 * instances of the run:
 *
 *   sign → 3 claim attachments → register CSV (18 rows: 2 plots per village, each with the three
 *   tasks) → per task: claim, then one verification per village (its own verifier) → [7 days] →
 *   per task: an acceptance record and 5 signatures (4 roles) → audit approvals by agriculture
 *   and finance → media notice → [7 days] → payout (Idempotency-Key, by the other finance
 *   official; amount checked against the subsidy computed here) → confirm.
 *
 * The clock is global (app_clock), so a coordinator moves it, on demand: a driver that needs 7
 * days to pass asks for an advance that starts after its request; requests that arrive while an
 * advance runs are served together by the next one (group-commit style). An advance is
 * `POST /__test__/clock {advanceDays: 7}` on one instance of the run (in turn), which fires every
 * due timer before answering, then `{advanceHours: 0}` on each other instance, which makes it
 * re-read the offset (each instance caches it) and fire what is left.
 *
 * While a run goes, a separate connection samples pg_stat_activity every 50 ms: what the app's
 * busy connections are doing (running, waiting on a lock, idle in a transaction waiting for Node).
 *
 * Settings: BENCH_CONTRACTS (24), BENCH_DRIVERS (8), BENCH_LIFECYCLE_RUNS (5 per instance count),
 * BENCH_INSTANCES (1,2), BENCH_LIFECYCLE_PRIMING (8 contracts, unreported, on every instance).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Api, type Session } from '../test/support/api';
import { TASKS } from '../test/support/qiaocheng';
import type { TestApp } from '../test/support/test-app';
import { type Instance, ONE_ADDRESS_RATE_LIMITS, startInstance, stopInstance } from './support/app';
import { type Endpoint, expectStatus, type SendOptions } from './support/http';
import {
  fmt,
  log,
  machineCpuMs,
  median,
  percentile,
  postgresCpuMs,
  processCpuMs,
} from './support/stats';
import {
  awardBatch,
  type Batch,
  buildWorld,
  COOPS,
  type LifecycleContract,
  type People,
  toVillageNotices,
} from './support/world';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 24);
const DRIVERS = Number(process.env.BENCH_DRIVERS ?? 8);
const RUNS = Number(process.env.BENCH_LIFECYCLE_RUNS ?? 5);
const INSTANCE_COUNTS = (process.env.BENCH_INSTANCES ?? '1,2')
  .split(',')
  .map((value) => Number(value.trim()));
const PRIMING = Number(process.env.BENCH_LIFECYCLE_PRIMING ?? 8);

// ---------------------------------------------------------------------------------------------
// The clock coordinator and the drivers (timed)
// ---------------------------------------------------------------------------------------------

class ClockCoordinator {
  advances = 0;
  requests = 0;
  fired = 0;
  /** Wall time during which an advance was running. */
  busyMs = 0;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private turn = 0;

  constructor(
    private readonly endpoints: Endpoint[],
    private readonly admin: Session,
  ) {}

  /** Resolves after an advance of 7 days that started after this call, every due timer fired. */
  request(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.inFlight) {
      this.queued = this.inFlight.then(() => {
        this.queued = undefined;
        return this.start();
      });
      return this.queued;
    }
    return this.start();
  }

  /** Every instance re-reads the shared offset (and fires what is due). */
  async refreshAll(): Promise<void> {
    for (const endpoint of this.endpoints) await this.post(endpoint, { advanceHours: 0 });
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.advance().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  private async advance(): Promise<void> {
    const started = performance.now();
    const first = this.turn++ % this.endpoints.length;
    await this.post(this.endpoints[first], { advanceDays: 7 });
    for (const [index, endpoint] of this.endpoints.entries())
      if (index !== first) await this.post(endpoint, { advanceHours: 0 });
    this.advances += 1;
    this.busyMs += performance.now() - started;
  }

  private async post(endpoint: Endpoint, json: object): Promise<void> {
    this.requests += 1;
    const reply = await endpoint.send('POST', '/__test__/clock', { session: this.admin, json });
    if (reply.status !== 200)
      throw new Error(`clock: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.fired += (reply.body as { fired: number }).fired;
  }
}

interface LifecycleTiming {
  ms: number;
  clockWaitMs: number;
  requests: number;
}

/** What a step of a lifecycle calls: one request, its answer's status checked. */
async function driveLifecycle(
  contract: LifecycleContract,
  endpoint: Endpoint,
  people: People,
  clock: ClockCoordinator,
  steps: Map<string, number[]>,
): Promise<LifecycleTiming> {
  const started = performance.now();
  let requests = 0;
  let clockWaitMs = 0;
  const call = async (
    step: string,
    expected: number,
    method: string,
    path: string,
    options: SendOptions,
  ): Promise<any> => {
    requests += 1;
    const sent = performance.now();
    const reply = await endpoint.send(method, path, options);
    const list = steps.get(step) ?? [];
    list.push(performance.now() - sent);
    steps.set(step, list);
    if (reply.status !== expected)
      throw new Error(
        `${step} (contract ${contract.label}/L${contract.lot}): ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    return reply.body;
  };
  const waitForClock = async (): Promise<void> => {
    const asked = performance.now();
    await clock.request();
    clockWaitMs += performance.now() - asked;
  };
  const base = `/contracts/${contract.id}`;
  const { agri, finance, payer, opener, signers } = people;

  await toVillageNotices(contract, people, call);
  await waitForClock(); // the 9 village notices run out
  for (const task of TASKS) {
    const record = await call(
      'acceptance record',
      201,
      'POST',
      `${base}/task-lines/${task.code}/acceptance`,
      {
        session: opener,
        json: { villages: contract.accepted[task.code] },
      },
    );
    let last: any;
    for (const signer of signers) {
      last = await call(
        'acceptance signature',
        200,
        'POST',
        `/acceptance-records/${record.id}/signatures`,
        {
          session: signer,
          json: { decision: 'pass' },
        },
      );
    }
    if (!last?.complete) throw new Error(`acceptance not complete: ${JSON.stringify(last)}`);
  }
  await call('audit approval', 200, 'POST', `${base}/audit/approvals`, {
    session: agri,
    json: {},
  });
  const audited = await call('audit approval', 200, 'POST', `${base}/audit/approvals`, {
    session: finance,
    json: {},
  });
  if (audited.state !== 'audited' || audited.subsidyFen !== contract.expectedFen)
    throw new Error(
      `audit: state ${audited.state}, subsidyFen ${audited.subsidyFen}, expected ${contract.expectedFen}`,
    );
  await call('media notice', 200, 'POST', `${base}/media-notice`, {
    session: agri,
    json: { mediaName: '《亳州晚报》', publishedOn: '2015-07-20' },
  });
  await waitForClock(); // the media notice runs out: payable
  const payout = await call('payout', 201, 'POST', `${base}/payouts`, {
    session: payer,
    json: {},
    headers: { 'idempotency-key': `bench-${contract.id}` },
  });
  if (payout.amountFen !== contract.expectedFen)
    throw new Error(`payout ${payout.amountFen} fen, expected ${contract.expectedFen}`);
  await call('payout confirm', 200, 'POST', `/payouts/${payout.id}/confirm`, {
    session: payer,
    json: { bankReference: `NX-${contract.label}-${contract.lot}` },
  });
  return { ms: performance.now() - started, clockWaitMs, requests };
}

interface RunResult {
  label: string;
  instances: number;
  contracts: number;
  wallMs: number;
  perMinute: number;
  /** Whole lifecycles, ms, ascending. */
  latencies: number[];
  clockWaitMs: number[];
  requests: number;
  clock: { advances: number; requests: number; fired: number; busyMs: number };
  /** Cores busy on average; `others`: the rest of the machine (other sessions), `steal`: the hypervisor. */
  cores: { app: number; postgres: number; driver: number; others: number; steal: number };
  /** CPU ms per lifecycle: the app processes, PostgreSQL. */
  cpuPerContract: { app: number; postgres: number };
  load: number[];
  events: number;
  historyRows: number;
  auditEvents: number;
  /** pg_stat_activity samples of the app's non-idle connections: what they were doing. */
  activity: ActivitySample;
}

interface ActivitySample {
  samples: number;
  /** Sum over samples of the busy connections, by what they did. */
  byKind: Record<string, number>;
}

/** Samples pg_stat_activity every 50 ms until stopped. */
function sampleActivity(databaseUrl: string): { stop: () => Promise<ActivitySample> } {
  const result: ActivitySample = { samples: 0, byKind: {} };
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-sampler' });
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = await client.query<{ state: string; type: string | null; event: string | null }>(
        `SELECT state, wait_event_type AS type, wait_event AS event FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'agri-subsidy' AND state <> 'idle'`,
      );
      result.samples += 1;
      for (const row of rows.rows) {
        const kind =
          row.state === 'active'
            ? row.type
              ? `waiting ${row.type}:${row.event}`
              : 'running'
            : row.state === 'idle in transaction'
              ? 'idle in transaction (waiting for Node)'
              : row.state;
        result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.finally(() => client.end());
      return result;
    },
  };
}

async function runBatch(
  test: TestApp,
  batch: Batch,
  instances: Instance[],
  drivers: number,
  people: People,
  pgDataDir: string,
  steps: Map<string, number[]>,
): Promise<RunResult> {
  const ids = batch.contracts.map((contract) => contract.id);
  const counts = async () => {
    const [row] = await test.dataSource.query<
      { versions: number; history: number; audit: number }[]
    >(
      `SELECT (SELECT coalesce(sum(version), 0)::int FROM contract WHERE id = ANY($1)) AS versions,
              (SELECT count(*)::int FROM contract_history WHERE contract_id = ANY($1)) AS history,
              (SELECT count(*)::int FROM audit_event) AS audit`,
      [ids],
    );
    return row;
  };
  const clock = new ClockCoordinator(
    instances.map((instance) => instance.endpoint),
    people.admin,
  );
  await clock.refreshAll();
  clock.requests = 0;
  clock.fired = 0;
  const before = await counts();

  const latencies: number[] = [];
  const clockWaits: number[] = [];
  let requests = 0;
  let next = 0;
  let failure: Error | undefined;
  const appBefore = instances.map((instance) => processCpuMs(instance.pid));
  const pgBefore = postgresCpuMs(pgDataDir);
  const nodeBefore = process.cpuUsage();
  const machineBefore = machineCpuMs();
  const sampler = sampleActivity(test.databaseUrl);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: drivers }, async (_, driver) => {
      const endpoint = instances[driver % instances.length].endpoint;
      while (next < batch.contracts.length && failure === undefined) {
        const contract = batch.contracts[next++];
        try {
          const timing = await driveLifecycle(contract, endpoint, people, clock, steps);
          latencies.push(timing.ms);
          clockWaits.push(timing.clockWaitMs);
          requests += timing.requests;
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const activity = await sampler.stop();
  const node = process.cpuUsage(nodeBefore);
  const machine = machineCpuMs();
  const appMs = instances.reduce(
    (sum, instance, index) => sum + processCpuMs(instance.pid) - appBefore[index],
    0,
  );
  const pgMs = postgresCpuMs(pgDataDir) - pgBefore;
  if (failure !== undefined) throw failure;
  const after = await counts();
  latencies.sort((a, b) => a - b);
  const n = batch.contracts.length;
  return {
    label: batch.label,
    instances: instances.length,
    contracts: n,
    wallMs,
    perMinute: (n * 60_000) / wallMs,
    latencies,
    clockWaitMs: clockWaits,
    requests,
    clock: {
      advances: clock.advances,
      requests: clock.requests,
      fired: clock.fired,
      busyMs: clock.busyMs,
    },
    cores: {
      app: appMs / wallMs,
      postgres: pgMs / wallMs,
      driver: (node.user + node.system) / 1000 / wallMs,
      others:
        (machine.busy - machineBefore.busy - appMs - pgMs - (node.user + node.system) / 1000) /
        wallMs,
      steal: (machine.steal - machineBefore.steal) / wallMs,
    },
    cpuPerContract: { app: appMs / n, postgres: pgMs / n },
    load: os.loadavg(),
    events: (after.versions - before.versions) / n,
    historyRows: (after.history - before.history) / n,
    auditEvents: (after.audit - before.audit) / n,
    activity,
  };
}

function describeRun(result: RunResult): string {
  return (
    `${result.label}: ${result.instances} instance(s), ${result.contracts} contracts in ${fmt(result.wallMs / 1000)} s = ` +
    `${fmt(result.perMinute)} contracts/min; lifecycle p50 ${fmt(percentile(result.latencies, 0.5) / 1000, 2)} s, ` +
    `p99 ${fmt(percentile(result.latencies, 0.99) / 1000, 2)} s; clock wait p50 ${fmt(median(result.clockWaitMs) / 1000, 2)} s; ` +
    `${result.clock.advances} advances, ${result.clock.fired} timers fired; cores app ${fmt(result.cores.app, 2)} ` +
    `pg ${fmt(result.cores.postgres, 2)} driver ${fmt(result.cores.driver, 2)} others ${fmt(result.cores.others, 2)} steal ${fmt(result.cores.steal, 2)}; load ${result.load.map((l) => fmt(l, 2)).join(' ')}`
  );
}

// ---------------------------------------------------------------------------------------------
// The phase
// ---------------------------------------------------------------------------------------------

export async function runFullLifecycles(context: {
  test: TestApp;
  jwtSecret: string;
  pgDataDir: string;
}): Promise<boolean> {
  const { test, jwtSecret, pgDataDir } = context;
  const maxInstances = Math.max(...INSTANCE_COUNTS);
  if (INSTANCE_COUNTS.some((count) => !(count >= 1)) || !(CONTRACTS >= 1) || !(DRIVERS >= 1))
    throw new Error('BENCH_INSTANCES, BENCH_CONTRACTS and BENCH_DRIVERS must be positive');
  const api = new Api(test);
  const instances: Instance[] = [];
  let failed = false;
  const setupStarted = performance.now();
  const starting = Array.from({ length: maxInstances }, () =>
    startInstance(test.databaseUrl, {
      jwtSecret,
      testClock: true,
      rateLimits: ONE_ADDRESS_RATE_LIMITS,
    }),
  );
  try {
    // --- setup, not timed
    const world = await buildWorld(api, 3 * Math.max(CONTRACTS, PRIMING));
    const schedule: { instances: number; batch: Batch }[] = [];
    const priming = PRIMING > 0 ? await awardBatch(test, world, 'priming', PRIMING) : undefined;
    for (let run = 1; run <= RUNS; run++) {
      for (const count of INSTANCE_COUNTS) {
        schedule.push({
          instances: count,
          batch: await awardBatch(test, world, `run${run}-x${count}`, CONTRACTS),
        });
      }
    }
    for (const instance of await Promise.allSettled(starting)) {
      if (instance.status === 'fulfilled') instances.push(instance.value);
      else throw instance.reason;
    }
    log(
      `lifecycles setup: ${world.villages.length} villages, ${COOPS} cooperatives, ${world.people.verifiers.size + 5 + 3 + COOPS} users, ` +
        `${schedule.length} × ${CONTRACTS}${priming ? ` + ${PRIMING}` : ''} contracts awarded, ` +
        `${instances.length} app processes (pids ${instances.map((instance) => instance.pid).join(', ')}) in ${fmt((performance.now() - setupStarted) / 1000)} s`,
    );

    // --- timed
    const steps = new Map<string, number[]>();
    if (priming) {
      const result = await runBatch(
        test,
        priming,
        instances,
        Math.min(DRIVERS, PRIMING),
        world.people,
        pgDataDir,
        new Map(),
      );
      log(`priming (not reported) ${describeRun(result)}`);
    }
    const results: RunResult[] = [];
    for (const { instances: count, batch } of schedule) {
      const result = await runBatch(
        test,
        batch,
        instances.slice(0, count),
        DRIVERS,
        world.people,
        pgDataDir,
        steps,
      );
      log(describeRun(result));
      results.push(result);
    }

    // --- checks
    const allIds = [...(priming?.contracts ?? []), ...schedule.flatMap((s) => s.batch.contracts)];
    const ids = allIds.map((contract) => contract.id);
    const states = await test.dataSource.query<{ state: string; n: number }[]>(
      'SELECT state, count(*)::int AS n FROM contract WHERE id = ANY($1) GROUP BY state',
      [ids],
    );
    const [money] = await test.dataSource.query<
      { payouts: string; subsidies: string; confirmed: number; paid: number }[]
    >(
      `SELECT (SELECT coalesce(sum(amount_fen), 0)::text FROM payout WHERE state = 'confirmed') AS payouts,
              (SELECT count(*)::int FROM payout WHERE state = 'confirmed') AS confirmed,
              (SELECT coalesce(sum(subsidy_fen), 0)::text FROM contract WHERE state = 'paid') AS subsidies,
              (SELECT count(*)::int FROM contract WHERE state = 'paid') AS paid`,
    );
    const expectedFen = allIds.reduce((sum, contract) => sum + contract.expectedFen, 0);
    const [timers] = await test.dataSource.query<{ pending: number }[]>(
      'SELECT count(*)::int AS pending FROM timer WHERE contract_id = ANY($1) AND fired_at IS NULL',
      [ids],
    );
    const chain = await expectStatus(
      'audit-log verify',
      test.http().get('/audit-log/verify').set(world.people.admin.auth),
    );
    const chainBody = chain.body as { ok: boolean; events: number };
    const allPaid = states.length === 1 && states[0].state === 'paid' && states[0].n === ids.length;
    const moneyOk =
      money.payouts === money.subsidies &&
      money.payouts === String(expectedFen) &&
      money.confirmed === ids.length &&
      money.paid === ids.length;

    // --- report
    const table: string[][] = [
      [
        'run',
        'app procs',
        'contracts',
        'wall s',
        'contracts/min',
        'p50 s',
        'p99 s',
        'clock wait p50 s',
        'advances',
        'clock busy %',
        'app CPU ms/contract',
        'pg CPU ms/contract',
        'app cores',
        'pg cores',
        'driver cores',
        'other cores',
        'steal',
        'load 1m',
      ],
    ];
    const row = (name: string, count: number, picked: RunResult[]): string[] => {
      const pooled = picked.flatMap((result) => result.latencies).sort((a, b) => a - b);
      const med = (get: (result: RunResult) => number) => median(picked.map(get));
      return [
        name,
        String(count),
        String(med((result) => result.contracts)),
        fmt(med((result) => result.wallMs / 1000)),
        fmt(med((result) => result.perMinute)),
        fmt(percentile(pooled, 0.5) / 1000, 2),
        fmt(percentile(pooled, 0.99) / 1000, 2),
        fmt(median(picked.flatMap((result) => result.clockWaitMs)) / 1000, 2),
        fmt(
          med((result) => result.clock.advances),
          0,
        ),
        fmt(med((result) => (100 * result.clock.busyMs) / result.wallMs)),
        fmt(
          med((result) => result.cpuPerContract.app),
          0,
        ),
        fmt(
          med((result) => result.cpuPerContract.postgres),
          0,
        ),
        fmt(
          med((result) => result.cores.app),
          2,
        ),
        fmt(
          med((result) => result.cores.postgres),
          2,
        ),
        fmt(
          med((result) => result.cores.driver),
          2,
        ),
        fmt(
          med((result) => result.cores.others),
          2,
        ),
        fmt(
          med((result) => result.cores.steal),
          2,
        ),
        fmt(
          med((result) => result.load[0]),
          2,
        ),
      ];
    };
    for (const result of results) table.push(row(result.label, result.instances, [result]));
    const perCount = new Map<number, number>();
    for (const count of INSTANCE_COUNTS) {
      const picked = results.filter((result) => result.instances === count);
      table.push(row(`median (${picked.length} runs)`, count, picked));
      perCount.set(count, median(picked.map((result) => result.perMinute)));
    }
    const widths = table[0].map((_, column) =>
      Math.max(...table.map((line) => line[column].length)),
    );
    console.log('');
    console.log(
      `Full lifecycles award → paid through HTTP: 3 task lines × 3 villages, 18 register rows; ${CONTRACTS} contracts per run, ${DRIVERS} drivers, clock advanced on demand; runs alternate ${INSTANCE_COUNTS.join('/')} app processes`,
    );
    for (const line of table)
      console.log(line.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    console.log(
      '(p50/p99 of the median rows: over the pooled lifecycles of those runs; p99 of one run = its slowest lifecycle)',
    );
    if (perCount.has(1)) {
      const width = INSTANCE_COUNTS.length;
      const single = INSTANCE_COUNTS.indexOf(1);
      for (const [position, count] of INSTANCE_COUNTS.entries()) {
        if (count === 1) continue;
        // Runs alternate, so each run with `count` processes has a 1-process neighbour of the same round.
        const pairs = Array.from(
          { length: RUNS },
          (_, run) =>
            results[run * width + position].perMinute / results[run * width + single].perMinute,
        );
        const perMinute = perCount.get(count) as number;
        console.log(
          `scaling: ${count} app processes vs 1: medians ${fmt(perMinute)} vs ${fmt(perCount.get(1) as number)} contracts/min = ${fmt(perMinute / (perCount.get(1) as number), 2)} ×; ` +
            `per round ${pairs.map((ratio) => fmt(ratio, 2)).join(', ')} (median ${fmt(median(pairs), 2)} ×)`,
        );
      }
    }
    for (const count of INSTANCE_COUNTS) {
      const picked = results.filter((result) => result.instances === count);
      const samples = picked.reduce((sum, result) => sum + result.activity.samples, 0);
      const byKind: Record<string, number> = {};
      for (const result of picked)
        for (const [kind, n] of Object.entries(result.activity.byKind))
          byKind[kind] = (byKind[kind] ?? 0) + n;
      const busy = Object.values(byKind).reduce((sum, n) => sum + n, 0);
      console.log(
        `app connections (${count} process(es), ${samples} samples): on average ${fmt(busy / samples, 2)} busy: ` +
          Object.entries(byKind)
            .sort((x, y) => y[1] - x[1])
            .map(([kind, n]) => `${fmt((100 * n) / busy, 0)} % ${kind}`)
            .join(', '),
      );
    }
    const all = results;
    const requestsPer = median(all.map((result) => result.requests / result.contracts));
    console.log(
      `per lifecycle: ${fmt(requestsPer, 0)} HTTP requests by the driver, + ${fmt(median(all.map((result) => result.clock.requests / result.contracts)), 2)} clock requests (shared advances); ` +
        `${fmt(median(all.map((result) => result.events)), 1)} persisted machine events (version steps), ${fmt(median(all.map((result) => result.historyRows)), 1)} history rows, ` +
        `${fmt(median(all.map((result) => result.auditEvents)), 1)} audit events, ${fmt(median(all.map((result) => result.clock.fired / result.contracts)), 1)} timers fired`,
    );
    const stepRows = [...steps.entries()]
      .map(([step, times]) => {
        const sorted = [...times].sort((a, b) => a - b);
        return {
          step,
          perLifecycle: times.length / all.reduce((sum, result) => sum + result.contracts, 0),
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          total: times.reduce((sum, time) => sum + time, 0),
        };
      })
      .sort((a, b) => b.total - a.total);
    const grand = stepRows.reduce((sum, step) => sum + step.total, 0);
    console.log(
      'requests by step (all reported runs): per lifecycle, p50 / p99 ms, share of request time',
    );
    for (const step of stepRows)
      console.log(
        `  ${step.step.padEnd(22)} ${fmt(step.perLifecycle, 0).padStart(2)} × ${fmt(step.p50, 1).padStart(7)} / ${fmt(step.p99, 1).padStart(7)} ms  ${fmt((100 * step.total) / grand)} %`,
      );
    console.log(
      `checks: contracts ${states.map((state) => `${state.state} ${state.n}`).join(', ')} of ${ids.length} -> ${allPaid ? 'all paid' : 'NOT ALL PAID'}; ` +
        `Σ confirmed payouts ${money.payouts} fen (${money.confirmed}) = Σ subsidyFen of paid contracts ${money.subsidies} fen (${money.paid}) = Σ computed here ${expectedFen} -> ${moneyOk ? 'ok' : 'MISMATCH'}; ` +
        `unfired timers ${timers.pending}; audit chain ok=${chainBody.ok} (${chainBody.events} events)`,
    );
    if (!allPaid || !moneyOk || timers.pending !== 0 || !chainBody.ok) failed = true;
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    const started = await Promise.allSettled(starting);
    await Promise.all(
      started.map((instance) =>
        instance.status === 'fulfilled' ? stopInstance(instance.value) : Promise.resolve(),
      ),
    );
  }
  return !failed;
}

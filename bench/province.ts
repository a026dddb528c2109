/**
 * Reads at province size (docs/benchmarks.md, "Province scale"): the project summary against
 * the same GROUP BY run bare, and the contract and register lists under concurrent load against
 * GET /health, on the province of bench/support/province.ts (loaded first when missing).
 *
 *   npm run bench:province            (BENCH_PHASE=summary|lists|all, default all)
 *
 * Both only read: they run on the province's database as it is, with the real app in this
 * process (its load generator in a worker thread).
 *
 * summary: BENCH_RUNS (5) rounds; each round times BENCH_SUMMARY_REQUESTS (20) sequential
 * GET /projects/:id/summary of the pilot project (district 1, half the register rows) and of a
 * typical one (district 50), and, on a bare pg client of its own, the same number of the
 * route's register GROUP BY (the quality spec's baseline) and of all six of its statements in
 * a row. Medians per round, then the median round.
 *
 * lists: BENCH_RUNS (3) rounds of BENCH_CLIENTS (32) closed-loop clients, BENCH_WARMUP_MS (2000)
 * then BENCH_DURATION_MS (10000) measured, per phase: GET /health (baseline); GET /contracts as
 * the administrator (all 4,000, pages of 50 through the whole list); GET /contracts as the
 * district official of each client's district (its 40); GET /contracts/:id/register of the
 * pilot's contracts (~16,000 rows each) as the administrator, pages of 50 at every offset.
 */
import { Client } from 'pg';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, Worker } from 'node:worker_threads';
import { SUMMARY_PARAMETERS, SUMMARY_SQL } from '../src/modules/projects/project-summary.service';
import { startApp, type BenchApp } from './support/app';
import { closedLoop, runInWorker, servePhases, type LoadResult } from './support/load';
import { fmt, log, median, printTable } from './support/stats';

const PHASE = process.env.BENCH_PHASE ?? 'all';
const RUNS = Number(process.env.BENCH_RUNS ?? (PHASE === 'summary' ? 5 : 3));
const SUMMARY_REQUESTS = Number(process.env.BENCH_SUMMARY_REQUESTS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);

/** The route's statements (src/modules/projects/project-summary.service.ts), run bare. */
const STATEMENTS: [string, (projectId: string) => unknown[]][] = (
  Object.keys(SUMMARY_SQL) as (keyof typeof SUMMARY_SQL)[]
).map((name) => [SUMMARY_SQL[name], SUMMARY_PARAMETERS[name]]);
// --- load generator (worker thread) ------------------------------------------------------------

interface ListSpec {
  port: number;
  /** Per request: the path and the bearer token, chosen by client and turn. */
  paths: string[];
  tokens: string[];
  /** Client i uses tokens[i % tokens.length]; its turn t, paths[(i * 7919 + t * 13) % paths.length]. */
}

function get(agent: http.Agent, port: number, url: string, token: string) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    const outgoing = http.get({ agent, host: '127.0.0.1', port, path: url, headers }, (res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += status >= 300 ? chunk.toString() : ''));
      res.on('end', () => resolve({ status, body }));
    });
    outgoing.on('error', (error) => resolve({ status: 0, body: error.message }));
  });
}

servePhases((spec: ListSpec) =>
  closedLoop({ clients: CLIENTS, warmupMs: WARMUP_MS, durationMs: DURATION_MS }, (i, turn, agent) =>
    get(
      agent,
      spec.port,
      spec.paths[(i * 7919 + turn * 13) % spec.paths.length],
      spec.tokens[i % spec.tokens.length],
    ),
  ),
);

// --- orchestration (main thread) ---------------------------------------------------------------

async function login(app: BenchApp, username: string, password: string): Promise<string> {
  const body = await app.endpoint.call('login', 200, 'POST', '/auth/login', {
    json: { username, password },
  });
  return body.accessToken as string;
}

async function timed(times: number, act: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await act();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function summaryPhase(app: BenchApp, url: string, adminToken: string): Promise<boolean> {
  const bare = new Client({ connectionString: url });
  await bare.connect();
  try {
    const projects = await bare.query<{ id: string; code: string; rows: string }>(
      `SELECT p.id, p.code, (SELECT count(*) FROM register_row r WHERE r.project_id = p.id) AS rows
         FROM project p WHERE p.code IN ('SC-350001', 'SC-350050') ORDER BY p.code`,
    );
    const rounds: Record<string, number[]> = {};
    const note = (key: string, ms: number) => (rounds[key] ??= []).push(ms);
    for (let run = 0; run <= RUNS; run++) {
      for (const project of projects.rows) {
        const route = await timed(SUMMARY_REQUESTS, () =>
          app.endpoint.call('summary', 200, 'GET', `/projects/${project.id}/summary`, {
            headers: { authorization: `Bearer ${adminToken}` },
          }),
        );
        const groupBy = await timed(SUMMARY_REQUESTS, () =>
          bare.query(SUMMARY_SQL.register, [project.id]),
        );
        const all = await timed(SUMMARY_REQUESTS, async () => {
          for (const [sql, params] of STATEMENTS) await bare.query(sql, params(project.id));
        });
        if (run === 0) continue; // priming round: plans cached, pages in memory
        note(`${project.code} route`, route);
        note(`${project.code} groupBy`, groupBy);
        note(`${project.code} all`, all);
        log(
          `summary run ${run} ${project.code}: route ${fmt(route)} ms, GROUP BY ${fmt(groupBy)} ms, six statements ${fmt(all)} ms`,
        );
      }
    }
    const rows = [
      [
        'project',
        'register rows',
        'route ms',
        'GROUP BY ms',
        'route / GROUP BY',
        'six statements ms',
        'route / six',
      ],
    ];
    let ok = true;
    for (const project of projects.rows) {
      const route = median(rounds[`${project.code} route`]);
      const groupBy = median(rounds[`${project.code} groupBy`]);
      const all = median(rounds[`${project.code} all`]);
      const perRound = rounds[`${project.code} route`].map(
        (ms, i) => ms / rounds[`${project.code} groupBy`][i],
      );
      rows.push([
        project.code,
        project.rows,
        fmt(route),
        fmt(groupBy),
        `${fmt(median(perRound), 2)}×`,
        fmt(all),
        `${fmt(route / all, 2)}×`,
      ]);
      if (project.code === 'SC-350001' && median(perRound) > 2) ok = false;
    }
    printTable(rows, 1);
    const plan = await bare.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${SUMMARY_SQL.register.replace('$1', `'${projects.rows[0].id}'`)}`,
    );
    console.log(plan.rows.map((row) => `  ${row['QUERY PLAN']}`).join('\n'));
    console.log(
      `summary target (pilot route within 2× of the GROUP BY): ${ok ? 'met' : 'NOT met'}`,
    );
    return true;
  } finally {
    await bare.end();
  }
}

async function listsPhase(app: BenchApp, adminToken: string): Promise<boolean> {
  const ds = app.test.dataSource;
  const { PROVINCE_PASSWORD, provinceSettings } = await import('./support/province.js');
  const districts = provinceSettings().districts;
  const agriTokens: string[] = [];
  for (let d = 1; d <= Math.min(CLIENTS, districts); d++)
    agriTokens.push(await login(app, `agri-${350000 + d}`, PROVINCE_PASSWORD));
  const [{ n }] = await ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM contract`);
  const pilot = await ds.query<{ id: string; rows: string }[]>(
    `SELECT c.id, count(r.*) AS rows FROM contract c JOIN register_row r ON r.contract_id = c.id
      WHERE c.district_code = '350001' GROUP BY c.id`,
  );
  const registerPaths = pilot.flatMap(({ id, rows }) =>
    Array.from(
      { length: Math.ceil(Number(rows) / 50) },
      (_, page) => `/contracts/${id}/register?limit=50&offset=${page * 50}`,
    ),
  );
  const phases: [string, ListSpec][] = [
    ['GET /health', { port: app.port, paths: ['/health'], tokens: [''] }],
    [
      'GET /contracts (admin, all)',
      {
        port: app.port,
        paths: Array.from(
          { length: Math.ceil(Number(n) / 50) },
          (_, page) => `/contracts?limit=50&offset=${page * 50}`,
        ),
        tokens: [adminToken],
      },
    ],
    [
      'GET /contracts (district)',
      { port: app.port, paths: ['/contracts?limit=50'], tokens: agriTokens },
    ],
    [
      'GET …/register (pilot, every page)',
      { port: app.port, paths: registerPaths, tokens: [adminToken] },
    ],
  ];
  const worker = new Worker(path.join(__dirname, 'province.js'));
  const results: Record<string, LoadResult[]> = {};
  try {
    for (let run = 0; run <= RUNS; run++) {
      for (const [name, spec] of phases) {
        const result = await runInWorker<ListSpec, LoadResult>(worker, spec);
        if (run === 0) continue;
        (results[name] ??= []).push(result);
        log(
          `lists run ${run} ${name}: ${fmt(result.rps, 0)} req/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, errors ${result.errors}${result.errorSamples.length ? ` (${result.errorSamples[0]})` : ''}`,
        );
      }
    }
  } finally {
    await worker.terminate();
  }
  const health = results['GET /health'];
  const rows = [['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'req/s ÷ /health']];
  let ok = true;
  for (const [name] of phases) {
    const runs = results[name];
    const ratio = median(runs.map((run, i) => run.rps / health[i].rps));
    const errors = runs.reduce((sum, run) => sum + run.errors, 0);
    if (errors) ok = false;
    rows.push([
      name,
      fmt(median(runs.map((run) => run.rps)), 0),
      fmt(median(runs.map((run) => run.p50))),
      fmt(median(runs.map((run) => run.p99))),
      String(errors),
      name === 'GET /health' ? '' : `${fmt(ratio * 100)} %`,
    ]);
  }
  printTable(rows, 1);
  return ok;
}

async function main(): Promise<void> {
  const { runOnProvince } = await import('./support/province.js');
  const { TEST_ADMIN } = await import('../test/support/test-app.js');
  await runOnProvince(async (province, cleanup) => {
    const app = await startApp(province.url);
    cleanup(app.close);
    const adminToken = await login(app, TEST_ADMIN.username, TEST_ADMIN.password);
    let ok = true;
    if (PHASE === 'summary' || PHASE === 'all')
      ok = (await summaryPhase(app, province.url, adminToken)) && ok;
    if (PHASE === 'lists' || PHASE === 'all') ok = (await listsPhase(app, adminToken)) && ok;
    return ok;
  });
}

if (isMainThread) void main();

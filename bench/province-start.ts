/**
 * Cold start (docs/benchmarks.md, "Province scale"): `npm start` until GET /health answers 200,
 * as a newcomer runs it, on a fresh clone of this repository's last commit.
 *
 *   npm run bench:province:start
 *
 * The clone gets this checkout's node_modules as a symlink (the `npm install` of a fresh clone
 * is not timed). Then, each start stopped with SIGINT to its process group (Ctrl-C) before the
 * next:
 *
 * 1. first start: no dist/, an empty DATA_DIR: the build, initdb, the migrations, the admin and
 *    the demo;
 * 2. second start: the same clone and DATA_DIR, nothing changed: no build (the digest of
 *    scripts/build-if-changed.mjs), the embedded PostgreSQL on its existing data;
 * 3. start with province data: DATA_DIR=.tmp/province (the province of bench/support/province.ts,
 *    1M register rows; loaded first when missing), no build;
 * 4. after a change: one source file touched (a comment added), so the next start must build.
 *
 * Baseline in the same run: the embedded PostgreSQL alone (start until it answers, on the
 * province's cluster), as src/database/embedded-postgres.ts starts it for the app.
 * BENCH_RUNS (3) starts of each kind but the first and the changed one (once each).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, log, machineLine, median, printTable } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const START_TIMEOUT_MS = 300_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const health = (port: number): Promise<number> =>
  new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
  });

/** A newcomer's environment: no DATABASE_URL, no test settings. */
function startEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port) };
  for (const name of [
    'DATABASE_URL',
    'NODE_ENV',
    'TEST_PG_ADMIN_URL',
    'ADMIN_USERNAME',
    'ADMIN_PASSWORD',
  ])
    delete env[name];
  return env;
}

interface Start {
  seconds: number;
  built: boolean;
}

/** `npm start` in `cwd` until /health is 200; then Ctrl-C to its group and wait for the exit. */
async function npmStart(cwd: string, dataDir: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: startEnv(dataDir, port),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  try {
    while ((await health(port)) !== 200) {
      if (exitCode !== undefined) throw new Error(`npm start exited with ${exitCode}:\n${output}`);
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`no /health:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, built: !/not rebuilding/.test(output) };
  } finally {
    if (exitCode === undefined) process.kill(-child.pid!, 'SIGINT');
    await exited;
  }
}

async function postgresAlone(dataDir: string): Promise<number> {
  const { EmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const started = performance.now();
  const server = await EmbeddedPostgres.start({ dataDir });
  const seconds = (performance.now() - started) / 1000;
  await server.stop();
  return seconds;
}

async function main(): Promise<void> {
  const { openProvince } = await import('./support/province.js');
  const province = await openProvince(log);
  await province.stop();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-start-'));
  fs.chmodSync(home, 0o755);
  const clone = path.join(home, 'clone');
  const data = path.join(home, 'data');
  let ok = true;
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    log(`fresh clone of ${head} in ${clone}`);
    const rows: string[][] = [['start', 'runs', 'seconds (median)', 'built', '÷ PostgreSQL alone']];
    const baseline: number[] = [];
    const note = (what: string, starts: Start[]) => {
      for (const start of starts)
        log(`${what}: ${fmt(start.seconds, 2)} s${start.built ? ', built' : ''}`);
      return starts;
    };
    const first = note('first start', [await npmStart(clone, data)]);
    const second: Start[] = [];
    const withProvince: Start[] = [];
    for (let run = 0; run < RUNS; run++) {
      second.push(...note('second start', [await npmStart(clone, data)]));
      withProvince.push(...note('province start', [await npmStart(clone, province.home)]));
      baseline.push(await postgresAlone(path.join(province.home, 'pg')));
      log(`PostgreSQL alone on the province: ${fmt(baseline[baseline.length - 1], 2)} s`);
    }
    const source = path.join(clone, 'src', 'main.ts');
    fs.appendFileSync(source, '// touched by bench/province-start.ts\n');
    const changed = note('after a change', [await npmStart(clone, data)]);
    const unchanged = note('again', [await npmStart(clone, data)]);
    const pg = median(baseline);
    for (const [what, starts] of [
      ['first start (build, initdb, migrations, demo)', first],
      ['second start (no change)', second],
      ['start with province data (1M register rows)', withProvince],
      ['after a change to src/main.ts', changed],
      ['the start after that', unchanged],
    ] as const) {
      const seconds = median(starts.map((start) => start.seconds));
      rows.push([
        what,
        String(starts.length),
        fmt(seconds, 2),
        starts.map((start) => (start.built ? 'yes' : 'no')).join(', '),
        `${fmt(seconds / pg, 2)}×`,
      ]);
    }
    rows.push(['PostgreSQL alone (baseline)', String(baseline.length), fmt(pg, 2), '', '1.00×']);
    console.log('');
    printTable(rows, 1);
    const expectBuilt = [first[0].built, changed[0].built];
    const expectNot = [...second, ...withProvince, ...unchanged].map((start) => start.built);
    if (expectBuilt.includes(false) || expectNot.includes(true)) {
      console.log('check: a start built when nothing changed, or did not build after a change');
      ok = false;
    }
    const provinceSeconds = median(withProvince.map((start) => start.seconds));
    console.log(
      `target (start with province data < 10 s): ${provinceSeconds < 10 ? 'met' : 'NOT met'}`,
    );
    console.log(machineLine());
  } catch (error) {
    console.error(error);
    ok = false;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 1;
}

void main();

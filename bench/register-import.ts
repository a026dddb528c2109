/**
 * Household register import through HTTP (docs/benchmarks.md, "Register import").
 *
 *   npm run bench:register
 *
 * PostgreSQL (embedded, fsync on) and the real app on 127.0.0.1 in this process come from
 * bench/support (runBench, startApp). For each size (10,000, 100,000 and 200,000 rows) and run:
 *
 * - a fresh project → invited tender (one lot: 3 villages × 3 tasks of 1,000,000 mu) → bid →
 *   opening → award → signed contract, over HTTP;
 * - a UTF-8 CSV register with the Chinese header: realistic names, distinct valid resident ID
 *   numbers, one household per plot and three task rows per plot, areas 0.50-8.00 mu, and 1% bad
 *   rows (wrong check digit, missing farmer signature, work date after the deadline, in turn);
 * - the import, `POST /contracts/:id/register` (multipart, as the cooperative), timed end to end,
 *   with the memory growth of the process (bench/support/memory.ts: RSS from a worker thread and
 *   the kernel's high-water mark, heap and external memory on the main thread);
 * - baselines in the same run, of the very rows the import stored: COPY through a plain `pg`
 *   client with the service's own encoder and COPY call (src/modules/field-work/register-copy.ts,
 *   so the baseline cannot drift from the service, issue 12) into a bare table with register_row's
 *   column types, into an empty copy of register_row with its defaults and indexes, and into one
 *   that also has its foreign key to `contract` (register_row's indexes and constraints);
 * - outside the timed window, on the same bytes: the streaming parse alone, the row checks alone
 *   and the COPY text alone.
 *
 * Every run is checked: accepted + rejected = rows, the rejections are exactly the 1% bad rows by
 * code, the stored rows equal `accepted` and are the very rows the baseline copies. A 2,000-row
 * import first warms up the JIT and the pool (not reported). The script compiles into its own,
 * emptied `.tmp/bench-register` (a stale compiled migration in a shared folder breaks the setup).
 *
 * Settings (environment): BENCH_SIZES (10000,100000,200000), BENCH_RUNS (3), BENCH_SEED (20150610).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { shanghaiDate } from '../src/common/clock/shanghai-date';
import { bufferSource } from '../src/common/files/byte-source';
import {
  REGISTER_COPY_COLUMNS,
  copyRegisterRows,
  registerCopyChunks,
} from '../src/modules/field-work/register-copy';
import { openRegisterFile } from '../src/modules/field-work/register-file';
import {
  checkRegisterRow,
  type RowCheckContext,
} from '../src/modules/field-work/register-row-check';
import type { RegisterRowInput } from '../src/modules/field-work/register.service';
import { nextSeq } from '../test/factories/codes';
import { postgresVersion, startApp } from './support/app';
import { multipartBody } from './support/http';
import { type MemoryGrowth, memorySampler } from './support/memory';
import { qiaochengPlaces, signedContract } from './support/qiaocheng';
import {
  GIVEN_NAMES,
  OPERATORS,
  REGISTER_HEADER,
  SURNAMES,
  VILLAGES,
  csvCell,
  distinctResidentId,
  random,
} from './support/register-csv';
import { runBench } from './support/run';
import { fmt, int, log, machineLine, median, printTable } from './support/stats';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,200000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 20150610);
const WARMUP_ROWS = 2_000;
/** BENCH_LIVE=1: heap figures after a full gc() at every sample (slower; not for the times). */
const LIVE = process.env.BENCH_LIVE === '1';
const MB = 1024 * 1024;
const UPLOAD_MAX_BYTES = 100 * MB;
const REGISTER_MAX_ROWS = 200_000;
/** Targets (issue 17): memory flat across sizes, and against COPY into register_row's shape. */
const TARGET_FLAT_MB = 30;
const TARGET_RATIO_INDEXED = 0.5;

// ---------------------------------------------------------------------------------------------
// Register generation
// ---------------------------------------------------------------------------------------------

const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', priceYuan: '63.67', days: [2, 15] },
  { code: 'straw_crushing', name: '秸秆粉碎灭茬', priceYuan: '19.33', days: [5, 20] },
  { code: 'corn_seeding', name: '玉米播种', priceYuan: '24.33', days: [10, 28] },
] as const;

const BAD_KINDS = ['INVALID_ID_NUMBER', 'MISSING_SIGNATURE', 'AFTER_DEADLINE'] as const;
type BadKind = (typeof BAD_KINDS)[number];

interface Register {
  /** UTF-8 CSV with BOM, as Excel's "CSV UTF-8" writes it. */
  csv: Buffer;
  good: number;
  bad: Record<BadKind, number>;
}

function generateRegister(options: {
  rows: number;
  seed: number;
  /** First household number: IDs and plots stay distinct across registers. */
  householdBase: number;
  villageCodes: string[];
}): Register {
  const rand = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const lines: string[] = ['\uFEFF' + REGISTER_HEADER.join(',')];
  const bad: Record<BadKind, number> = {
    INVALID_ID_NUMBER: 0,
    MISSING_SIGNATURE: 0,
    AFTER_DEADLINE: 0,
  };
  let household = { name: '', id: '', plot: '', village: 0, operator: '', machine: '' };
  for (let index = 0; index < options.rows; index++) {
    const taskIndex = index % 3;
    if (taskIndex === 0) {
      // A new household with one plot, served for the three tasks.
      const number = options.householdBase + index / 3;
      const village = number % 3;
      household = {
        name: pick(SURNAMES) + pick(GIVEN_NAMES),
        id: distinctResidentId(number),
        plot: `${VILLAGES[village].name.slice(0, 1)}${village + 1}-${String(number).padStart(7, '0')}`,
        village,
        operator: pick(OPERATORS),
        machine: `皖S${String(10000 + Math.floor(rand() * 90000))}`,
      };
    }
    const task = TASKS[taskIndex];
    const village = VILLAGES[household.village];
    const area = 50 + Math.floor(rand() * 751); // 0.50 .. 8.00 mu
    const day = task.days[0] + Math.floor(rand() * (task.days[1] - task.days[0] + 1));
    const cells = {
      village: index % 30 === 0 ? options.villageCodes[household.village] : village.name,
      name: household.name,
      id: household.id,
      plot: household.plot,
      task: index % 20 === 0 ? task.code : task.name,
      area: (area / 100).toFixed(2),
      date: index % 10 === 0 ? `2015/6/${day}` : `2015-06-${String(day).padStart(2, '0')}`,
      machine: household.machine,
      operator: household.operator,
      townCadre: village.townCadre,
      villageCadre: village.villageCadre,
      operatorSigned: household.operator,
      farmerSigned: rand() < 0.5 ? '1' : household.name,
    };
    // 1% bad rows, one kind after the other.
    if (index % 100 === 37) {
      const kind = BAD_KINDS[Math.floor(index / 100) % BAD_KINDS.length];
      bad[kind] += 1;
      if (kind === 'INVALID_ID_NUMBER') {
        cells.id = cells.id.slice(0, 17) + (cells.id[17] === '1' ? '2' : '1');
      } else if (kind === 'MISSING_SIGNATURE') {
        cells.farmerSigned = '';
      } else {
        cells.date = `2015-07-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      }
    }
    lines.push(Object.values(cells).map(csvCell).join(','));
  }
  const badTotal = Object.values(bad).reduce((sum, count) => sum + count, 0);
  return {
    csv: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'),
    good: options.rows - badTotal,
    bad,
  };
}

// ---------------------------------------------------------------------------------------------
// Baselines and the standalone steps
// ---------------------------------------------------------------------------------------------

type Baseline = 'bare' | 'indexed' | 'indexedFk';

/**
 * COPY of `rows` into a fresh table with the service's encoder and COPY call; seconds.
 * `bare`: register_row's column types only; `indexed`: also its defaults and indexes (primary key
 * with gen_random_uuid(), the partial unique (project, plot, task), (contract, task, village));
 * `indexedFk`: also its foreign key to contract. The bare table is compared with register_row
 * afterwards: the baseline copies exactly the rows the import stored.
 */
async function copyBaseline(
  client: Client,
  variant: Baseline,
  owner: { id: string; projectId: string },
  rows: RegisterRowInput[],
): Promise<number> {
  const table = `bench_copy_${variant}`;
  const columns = REGISTER_COPY_COLUMNS.join(', ');
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    variant === 'bare'
      ? `CREATE TABLE ${table} AS SELECT ${columns} FROM register_row WITH NO DATA`
      : `CREATE TABLE ${table} (LIKE register_row INCLUDING ALL)`,
  );
  if (variant === 'indexedFk') {
    await client.query(
      `ALTER TABLE ${table} ADD FOREIGN KEY (contract_id) REFERENCES contract (id) ON DELETE RESTRICT`,
    );
  }
  const started = performance.now();
  const copied = await copyRegisterRows(client, table, owner, rows);
  const seconds = (performance.now() - started) / 1000;
  if (copied !== rows.length)
    throw new Error(`COPY into ${table}: ${copied} rows, expected ${rows.length}`);
  if (variant === 'bare') {
    const { rows: differ } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM (
         (SELECT ${columns} FROM ${table} EXCEPT SELECT ${columns} FROM register_row WHERE contract_id = $1)
         UNION ALL
         (SELECT ${columns} FROM register_row WHERE contract_id = $1 EXCEPT SELECT ${columns} FROM ${table})
       ) AS difference`,
      [owner.id],
    );
    if (Number(differ[0].count) !== 0)
      throw new Error(`the baseline's rows differ from the stored ones in ${differ[0].count} rows`);
  }
  await client.query(`DROP TABLE ${table}`);
  return seconds;
}

interface Standalone {
  parseSeconds: number;
  checkSeconds: number;
  copyTextSeconds: number;
  sha256Seconds: number;
  /** The rows that pass the row checks: the baselines copy them. */
  good: RegisterRowInput[];
}

/** The import's steps one by one on the same bytes, outside the timed window. */
async function standalone(
  csv: Buffer,
  context: RowCheckContext,
  owner: { id: string; projectId: string },
): Promise<Standalone> {
  let mark = performance.now();
  createHash('sha256').update(csv).digest('hex');
  const sha256Seconds = (performance.now() - mark) / 1000;
  mark = performance.now();
  const options = { maxRows: REGISTER_MAX_ROWS, maxBytes: UPLOAD_MAX_BYTES };
  const rows = [];
  const table = await openRegisterFile(bufferSource(csv), options);
  for await (const batch of table.batches(5000, (row) => row)) rows.push(...batch);
  const parseSeconds = (performance.now() - mark) / 1000;
  mark = performance.now();
  const good: RegisterRowInput[] = [];
  for (const { row, cells } of rows) {
    const checked = checkRegisterRow(row, cells, context);
    if (checked.ok) good.push(checked.value);
  }
  const checkSeconds = (performance.now() - mark) / 1000;
  mark = performance.now();
  let bytes = 0;
  for (const chunk of registerCopyChunks(owner, good)) bytes += chunk.length;
  const copyTextSeconds = (performance.now() - mark) / 1000;
  if (bytes === 0 && good.length > 0) throw new Error('no COPY text');
  return { parseSeconds, checkSeconds, copyTextSeconds, sha256Seconds, good };
}

// ---------------------------------------------------------------------------------------------
// The app's side: people, contracts, the upload
// ---------------------------------------------------------------------------------------------

/** The multipart body is built before the timed window; the request writes it as it is. */
function post(port: number, path: string, token: string, payload: Buffer, contentType: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': contentType,
          'content-length': payload.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// Runs and the report
// ---------------------------------------------------------------------------------------------

interface Run extends Omit<Standalone, 'good'> {
  size: number;
  run: number;
  fileMb: number;
  seconds: number;
  accepted: number;
  rejected: number;
  copy: Record<Baseline, number>;
  memory: MemoryGrowth;
  ok: boolean;
}

/** Import rows/s ÷ COPY rows/s of the same stored rows = COPY s × rows ÷ (import s × stored). */
const ratio = (run: Run, baseline: Baseline): number => run.copy[baseline] / run.seconds;

function report(runs: Run[], pgVersion: string, hasGc: boolean): boolean {
  console.log('');
  console.log(
    `Register import through HTTP: UTF-8 CSV, 1% bad rows, ${RUNS} runs per size (fresh project and contract each), seed ${SEED}`,
  );
  const header = [
    'rows',
    'run',
    'MB',
    'import s',
    'rows/s',
    'COPY bare s',
    'COPY idx s',
    'COPY idx+FK s',
    'vs bare',
    'vs idx+FK',
    'RSS +MB',
    'heap +MB',
    'ext +MB',
    'accepted',
    'rejected',
  ];
  const table: string[][] = [header];
  const line = (label: string, size: number, pick: (f: (r: Run) => number) => number) => [
    int(size),
    label,
    fmt(pick((r) => r.fileMb)),
    fmt(
      pick((r) => r.seconds),
      2,
    ),
    int(pick((r) => r.size / r.seconds)),
    fmt(
      pick((r) => r.copy.bare),
      3,
    ),
    fmt(
      pick((r) => r.copy.indexed),
      3,
    ),
    fmt(
      pick((r) => r.copy.indexedFk),
      3,
    ),
    `${fmt(pick((r) => 100 * ratio(r, 'bare')))} %`,
    `${fmt(pick((r) => 100 * ratio(r, 'indexedFk')))} %`,
    fmt(pick((r) => r.memory.rssGrowth)),
    fmt(pick((r) => r.memory.heapGrowth)),
    fmt(pick((r) => r.memory.externalGrowth)),
    int(pick((r) => r.accepted)),
    int(pick((r) => r.rejected)),
  ];
  for (const size of SIZES) {
    const ofSize = runs.filter((r) => r.size === size);
    for (const r of ofSize) table.push(line(String(r.run), size, (f) => f(r)));
    table.push(line('median', size, (f) => median(ofSize.map(f))));
  }
  printTable(table, 2);
  console.log(
    'vs = import throughput ÷ COPY throughput of the same stored rows (= COPY s ÷ import s); idx = an empty copy of register_row with its defaults and indexes; +FK = also its foreign key to contract.',
  );
  console.log('');
  console.log('Standalone steps on the same bytes (medians, seconds):');
  for (const size of SIZES) {
    const ofSize = runs.filter((r) => r.size === size);
    const m = (f: (r: Run) => number) => fmt(median(ofSize.map(f)), 3);
    console.log(
      `  ${int(size)} rows: sha256 ${m((r) => r.sha256Seconds)}, streaming parse ${m((r) => r.parseSeconds)}, row checks ${m((r) => r.checkSeconds)}, COPY text ${m((r) => r.copyTextSeconds)}; import ${m((r) => r.seconds)}`,
    );
  }
  console.log('');
  const medians = SIZES.map((size) => {
    const ofSize = runs.filter((r) => r.size === size);
    return {
      size,
      rss: median(ofSize.map((r) => r.memory.rssGrowth)),
      heap: median(ofSize.map((r) => r.memory.heapGrowth)),
      indexed: median(ofSize.map((r) => ratio(r, 'indexedFk'))),
    };
  });
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
  const rssSpread = spread(medians.map((m) => m.rss));
  const heapSpread = spread(medians.map((m) => m.heap));
  console.log(
    `target: memory flat across ${SIZES.map(int).join(' / ')} rows (medians within ${TARGET_FLAT_MB} MB): RSS growth ${medians.map((m) => fmt(m.rss)).join(' / ')} MB (spread ${fmt(rssSpread)}), heap growth ${medians.map((m) => fmt(m.heap)).join(' / ')} MB (spread ${fmt(heapSpread)}) -> ${rssSpread <= TARGET_FLAT_MB ? 'met' : 'NOT met'}`,
  );
  for (const m of medians) {
    console.log(
      `target: ${int(m.size)} rows >= ${100 * TARGET_RATIO_INDEXED} % of COPY into register_row's indexes and constraints: median ${fmt(100 * m.indexed)} % -> ${m.indexed >= TARGET_RATIO_INDEXED ? 'met' : 'NOT met'}`,
    );
  }
  const ok = runs.every((r) => r.ok);
  console.log(
    `checks: every run accepted + rejected = rows, rejected = the 1% bad rows by code, stored = accepted = the baseline's rows -> ${ok ? 'ok' : 'MISMATCH'}`,
  );
  console.log(
    machineLine(
      `${os.type()} ${os.release()}; ${pgVersion} (embedded, fsync on); app and benchmark in one process (RSS = both); gc ${hasGc ? 'before each import' : 'not exposed'}`,
    ),
  );
  return ok;
}

void runBench({ name: 'register' }, async ({ databaseUrl, cleanup }) => {
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const app = await startApp(databaseUrl, {
    uploadMaxBytes: UPLOAD_MAX_BYTES,
    registerMaxRows: REGISTER_MAX_ROWS,
  });
  cleanup(() => app.close());
  log(`app listening on 127.0.0.1:${app.port}; gc ${hasGc ? 'exposed' : 'NOT exposed'}`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  cleanup(() => client.end());
  const sampler = memorySampler();
  cleanup(() => sampler.close());
  const scene = await qiaochengPlaces(app.api);
  const context: RowCheckContext = {
    villages: new Map(scene.villageCodes.map((code, index) => [code, VILLAGES[index].name])),
    tasks: new Map(TASKS.map((task) => [task.code, { name: task.name, open: true }])),
    serviceStart: '2015-06-01',
    serviceEnd: '2015-09-30',
    workDeadline: '2015-06-30',
    today: shanghaiDate(new Date()),
  };

  let householdBase = 1;
  const importOnce = async (size: number, run: number): Promise<Run> => {
    const signed = await signedContract(app.test, scene, `${size}-${run}-${nextSeq()}`, TASKS);
    const contract = { id: signed.contractId, projectId: signed.projectId };
    const register = generateRegister({
      rows: size,
      seed: SEED + size + run,
      householdBase,
      villageCodes: scene.villageCodes,
    });
    householdBase += Math.ceil(size / 3);
    const { payload, contentType } = multipartBody({
      fields: {},
      file: { name: `register-${size}.csv`, type: 'text/csv', data: register.csv },
    });
    const path = `/contracts/${contract.id}/register`;
    // Timed: the request alone, not the sampler's gc() and start before it (~0.1 s).
    const { result: timed, memory } = await sampler.measure(
      async () => {
        const started = performance.now();
        const result = await post(app.port, path, scene.coop.token, payload, contentType);
        return { result, seconds: (performance.now() - started) / 1000 };
      },
      { live: LIVE },
    );
    const { result: answer, seconds } = timed;
    if (answer.status !== 200)
      throw new Error(`import of ${size} rows: ${answer.status} ${answer.body.slice(0, 500)}`);
    const body = JSON.parse(answer.body) as {
      format: string;
      accepted: number;
      rejected: { code: string }[];
    };
    const byCode: Record<string, number> = {};
    for (const { code } of body.rejected) byCode[code] = (byCode[code] ?? 0) + 1;
    const [stored] = await app.test.dataSource.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM register_row WHERE contract_id = $1',
      [contract.id],
    );
    const steps = await standalone(register.csv, context, contract);
    const copy = {
      bare: await copyBaseline(client, 'bare', contract, steps.good),
      indexed: await copyBaseline(client, 'indexed', contract, steps.good),
      indexedFk: await copyBaseline(client, 'indexedFk', contract, steps.good),
    };
    const ok =
      body.format === 'csv-utf8' &&
      body.accepted + body.rejected.length === size &&
      body.accepted === register.good &&
      steps.good.length === register.good &&
      Number(stored.count) === register.good &&
      BAD_KINDS.every((kind) => (byCode[kind] ?? 0) === register.bad[kind]) &&
      body.rejected.length === size - register.good;
    const { good: _good, ...times } = steps;
    return {
      size,
      run,
      fileMb: register.csv.length / MB,
      seconds,
      accepted: body.accepted,
      rejected: body.rejected.length,
      copy,
      memory,
      ok,
      ...times,
    };
  };

  const warm = await importOnce(WARMUP_ROWS, 0);
  log(`warm-up: ${WARMUP_ROWS} rows in ${fmt(warm.seconds, 2)} s (not reported)`);
  const runs: Run[] = [];
  for (const size of SIZES) {
    for (let run = 1; run <= RUNS; run++) {
      const r = await importOnce(size, run);
      runs.push(r);
      log(
        `${int(size)} rows run ${run}: ${fmt(r.seconds, 2)} s; COPY ${fmt(r.copy.bare, 3)} / ${fmt(r.copy.indexed, 3)} / ${fmt(r.copy.indexedFk, 3)} s; ` +
          `vs bare ${fmt(100 * ratio(r, 'bare'))} %, vs idx+FK ${fmt(100 * ratio(r, 'indexedFk'))} %; RSS +${fmt(r.memory.rssGrowth)} MB (from ${fmt(r.memory.rssBefore)}), heap +${fmt(r.memory.heapGrowth)} MB (from ${fmt(r.memory.heapBefore)}); ${r.ok ? 'ok' : 'MISMATCH'}`,
      );
    }
  }
  return report(runs, await postgresVersion(app.test), hasGc);
});

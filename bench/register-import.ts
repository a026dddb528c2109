/**
 * Household register import through HTTP (docs/benchmarks.md, "Register import").
 *
 *   npm run bench:register
 *
 * Starts its own PostgreSQL (embedded, fsync on) in a temporary folder and the real app on
 * 127.0.0.1 in this process, then for each size (10,000 and 100,000 rows) and run:
 *
 * - builds a fresh project → invited tender (one lot: 3 villages × 3 tasks of 1,000,000 mu) →
 *   bid → opening → award → signed contract, over HTTP;
 * - generates a UTF-8 CSV register with the Chinese header: realistic names, distinct valid
 *   resident ID numbers, one household per plot and three task rows per plot, areas 0.50-8.00
 *   mu, and 1% bad rows (wrong check digit, missing farmer signature, work date after the
 *   deadline, in turn);
 * - imports it with `POST /contracts/:id/register` (multipart, as the cooperative) and times it
 *   end to end, sampling the process RSS every 50 ms in a worker thread (and the kernel's
 *   high-water mark, reset before each import), and the heap in the main thread;
 * - baseline: a raw `COPY` of the same accepted rows (as COPY text, 64 KB chunks, through a plain
 *   `pg` Client) into a bare table with register_row's column types and no index;
 * - breakdown (outside the timed window): the parser alone on the same buffer, the row checks
 *   alone, and the service's own steps (timed by wrapping the methods of the app's
 *   RegisterImportService instance; no application code is changed).
 *
 * A 2,000-row import first warms up the JIT and the pool (not reported). The script compiles into
 * its own, emptied `.tmp/bench-register`: a stale compiled migration left in a shared output
 * folder (after a rename) makes `createTestDatabase` fail.
 *
 * Settings (environment): BENCH_SIZES (10000,100000), BENCH_RUNS (3), BENCH_SEED (20150610).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RegisterRowInput } from '../src/modules/field-work/register.service';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 20150610);
const WARMUP_ROWS = 2_000;
const SAMPLE_MS = 50;
const TARGET_SECONDS_100K = 15;
const TARGET_RATIO = 0.3;
const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// RSS sampler (worker thread: not blocked while the app parses on the main thread)
// ---------------------------------------------------------------------------------------------

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === 'rss') {
  const port = parentPort;
  let timer: NodeJS.Timeout | undefined;
  let peak = 0;
  let samples = 0;
  port.on('message', (message: 'start' | 'stop') => {
    if (message === 'start') {
      peak = process.memoryUsage.rss();
      samples = 1;
      timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
        samples += 1;
      }, SAMPLE_MS);
      port.postMessage({ started: true });
    } else {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      port.postMessage({ peak, samples });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Register generation
// ---------------------------------------------------------------------------------------------

const HEADER = [
  '村',
  '农户姓名',
  '身份证号',
  '地块编号',
  '作业环节',
  '面积（亩）',
  '作业日期',
  '机械牌号',
  '机手',
  '镇包村干部签字',
  '村干部签字',
  '机手签字',
  '农户签字',
];

const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', priceYuan: '63.67', days: [2, 15] },
  { code: 'straw_crushing', name: '秸秆粉碎灭茬', priceYuan: '19.33', days: [5, 20] },
  { code: 'corn_seeding', name: '玉米播种', priceYuan: '24.33', days: [10, 28] },
] as const;

const VILLAGES = [
  { suffix: '201', name: '王各村', townCadre: '周建华', villageCadre: '王守业' },
  { suffix: '202', name: '邹李村', townCadre: '孙立新', villageCadre: '邹长河' },
  { suffix: '203', name: '闫庄村', townCadre: '郭志远', villageCadre: '闫士英' },
] as const;

const SURNAMES = [
  ...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎',
];
const GIVEN_NAMES = [
  '秀英',
  '桂英',
  '秀兰',
  '玉兰',
  '桂兰',
  '秀珍',
  '凤英',
  '玉珍',
  '玉英',
  '兰英',
  '建国',
  '建华',
  '建军',
  '国强',
  '志强',
  '志刚',
  '永刚',
  '德明',
  '文华',
  '红军',
  '海军',
  '卫东',
  '春生',
  '长林',
  '金山',
  '明亮',
  '保国',
  '立新',
  '庆华',
  '振华',
  '伟',
  '芳',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '俊杰',
  '子涵',
  '浩然',
  '雨泽',
  '思远',
  '佳怡',
  '欣怡',
  '晓东',
  '晓燕',
  '小红',
];
const OPERATORS = ['刘德胜', '张广田', '李振江', '王宝山', '赵铁柱', '陈满仓', '孙大勇', '马金龙'];

const BAD_KINDS = ['INVALID_ID_NUMBER', 'MISSING_SIGNATURE', 'AFTER_DEADLINE'] as const;
type BadKind = (typeof BAD_KINDS)[number];

/** Small, fast, seeded (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BIRTH_EPOCH = Date.UTC(1950, 0, 1);
const BIRTH_DAYS = 16_000; // 1950-01-01 .. 1993-10

/**
 * A valid resident ID number (谯城区 341602), distinct for every n < 16,000,000: the birth date
 * and the 3-digit sequence are taken from n. (`residentId(seq)` of test/factories repeats after
 * 21,000 numbers, too few for 100,000 distinct households.)
 */
function distinctResidentId(n: number, checkCharacter: (first17: string) => string): string {
  const birth = new Date(BIRTH_EPOCH + (n % BIRTH_DAYS) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const first17 = `341602${birth}${String(Math.floor(n / BIRTH_DAYS) % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** COPY text format: backslash, tab, newline and carriage return escaped (as the service does). */
function copyField(value: string | number): string {
  return String(value).replace(
    /[\\\t\n\r]/g,
    (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char] as string,
  );
}

/**
 * The COPY text of accepted rows built as RegisterImportService.copyRows builds it (64 KB string
 * chunks, every field through copyField); returns its size in bytes.
 */
function serviceCopyText(contractId: string, projectId: string, rows: RegisterRowInput[]): number {
  let bytes = 0;
  let chunk = '';
  for (const row of rows) {
    chunk +=
      [
        contractId,
        projectId,
        row.rowNo,
        row.villageCode,
        row.householdName,
        row.householdIdNo,
        row.plotCode,
        row.taskCode,
        row.area,
        row.workDate,
        row.machineNo,
        row.operatorName,
        row.townCadreSigned,
        row.villageCadreSigned,
        row.operatorSigned,
        row.farmerSigned,
        'working',
      ]
        .map(copyField)
        .join('\t') + '\n';
    if (chunk.length > 64 * 1024) {
      bytes += Buffer.byteLength(chunk);
      chunk = '';
    }
  }
  return bytes + Buffer.byteLength(chunk);
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COPY_COLUMNS = [
  'contract_id',
  'project_id',
  'row_no',
  'village_code',
  'household_name',
  'household_id_no',
  'plot_code',
  'task_code',
  'area',
  'work_date',
  'machine_no',
  'operator_name',
  'town_cadre_signed',
  'village_cadre_signed',
  'operator_signed',
  'farmer_signed',
  'state',
];

interface Register {
  rows: number;
  /** UTF-8 CSV with BOM, as Excel's "CSV UTF-8" writes it. */
  csv: Buffer;
  /** The good rows as the service would COPY them into register_row. */
  copyText: Buffer;
  good: number;
  bad: Record<BadKind, number>;
}

function generateRegister(options: {
  rows: number;
  seed: number;
  /** First household number: IDs and plots stay distinct across registers. */
  householdBase: number;
  contractId: string;
  projectId: string;
  villageCodes: string[];
  checkCharacter: (first17: string) => string;
}): Register {
  const rand = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const csvLines: string[] = ['\uFEFF' + HEADER.join(',')];
  const copyLines: string[] = [];
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
        id: distinctResidentId(number, options.checkCharacter),
        plot: `${VILLAGES[village].name.slice(0, 1)}${village + 1}-${String(number).padStart(7, '0')}`,
        village,
        operator: pick(OPERATORS),
        machine: `皖S${String(10000 + Math.floor(rand() * 90000))}`,
      };
    }
    const task = TASKS[taskIndex];
    const village = VILLAGES[household.village];
    const villageCode = options.villageCodes[household.village];
    const area = 50 + Math.floor(rand() * 751); // 0.50 .. 8.00 mu
    const day = task.days[0] + Math.floor(rand() * (task.days[1] - task.days[0] + 1));
    const workDate = `2015-06-${String(day).padStart(2, '0')}`;
    const farmerSigned = rand() < 0.5 ? '1' : household.name;
    const cells = {
      village: index % 30 === 0 ? villageCode : village.name,
      name: household.name,
      id: household.id,
      plot: household.plot,
      task: index % 20 === 0 ? task.code : task.name,
      area: (area / 100).toFixed(2),
      date: index % 10 === 0 ? `2015/6/${day}` : workDate,
      machine: household.machine,
      operator: household.operator,
      townCadre: village.townCadre,
      villageCadre: village.villageCadre,
      operatorSigned: household.operator,
      farmerSigned,
    };
    // 1% bad rows, one kind after the other.
    if (index % 100 === 37) {
      const kind = BAD_KINDS[Math.floor(index / 100) % BAD_KINDS.length];
      bad[kind] += 1;
      if (kind === 'INVALID_ID_NUMBER') {
        const wrong = cells.id[17] === '1' ? '2' : '1';
        cells.id = cells.id.slice(0, 17) + wrong;
      } else if (kind === 'MISSING_SIGNATURE') {
        cells.farmerSigned = '';
      } else {
        cells.date = `2015-07-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      }
    } else {
      copyLines.push(
        [
          options.contractId,
          options.projectId,
          index + 2,
          villageCode,
          household.name,
          household.id,
          household.plot,
          task.code,
          area,
          workDate,
          household.machine,
          household.operator,
          village.townCadre,
          village.villageCadre,
          household.operator,
          farmerSigned,
          'working',
        ]
          .map(copyField)
          .join('\t'),
      );
    }
    csvLines.push(Object.values(cells).map(csvCell).join(','));
  }
  return {
    rows: options.rows,
    csv: Buffer.from(csvLines.join('\r\n') + '\r\n', 'utf8'),
    copyText: Buffer.from(copyLines.join('\n') + '\n', 'utf8'),
    good: copyLines.length,
    bad,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers
// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fmt = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '-';
const int = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  await sleep(50);
  gc();
}

/** Resets the kernel's peak-RSS counter (VmHWM) of this process; false where not allowed. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function kernelPeakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Answer {
  status: number;
  body: string;
}

/** A hand-built multipart body: the file buffer is written as it is, never copied. */
function uploadRegister(
  port: number,
  token: string,
  contractId: string,
  file: Buffer,
  fileName: string,
): Promise<Answer> {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/contracts/${contractId}/register`,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + file.length + tail.length,
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
    request.write(head);
    request.write(file);
    request.end(tail);
  });
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
}

/**
 * COPY of COPY text into a fresh table; seconds. `bare`: register_row's column types only (the
 * baseline); `indexed`: also its defaults and indexes; `indexedFk`: also its foreign key.
 */
async function copyInto(
  client: Client,
  table: string,
  text: Buffer,
  expectedRows: number,
  variant: 'bare' | 'indexed' | 'indexedFk',
): Promise<number> {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    variant === 'bare'
      ? `CREATE TABLE ${table} AS SELECT ${COPY_COLUMNS.join(', ')} FROM register_row WITH NO DATA`
      : `CREATE TABLE ${table} (LIKE register_row INCLUDING ALL)`,
  );
  if (variant === 'indexedFk') {
    await client.query(
      `ALTER TABLE ${table} ADD FOREIGN KEY (contract_id) REFERENCES contract (id) ON DELETE RESTRICT`,
    );
  }
  const started = performance.now();
  const stream = client.query(copyFrom(`COPY ${table} (${COPY_COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(text, 64 * 1024)), stream);
  const seconds = (performance.now() - started) / 1000;
  if (stream.rowCount !== expectedRows)
    throw new Error(`COPY into ${table}: ${stream.rowCount} rows, expected ${expectedRows}`);
  await client.query(`DROP TABLE ${table}`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Orchestration (main thread)
// ---------------------------------------------------------------------------------------------

interface Run {
  size: number;
  run: number;
  seconds: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  copySeconds: number;
  copyIndexedSeconds: number;
  copyIndexedFkSeconds: number;
  heapBeforeMb: number;
  rssBeforeMb: number;
  rssGrowthMb: number;
  samplerPeakMb: number;
  kernelPeakMb: number;
  heapPeakGrowthMb: number;
  externalPeakGrowthMb: number;
  fileMb: number;
  /** Server-side steps, seconds. */
  steps: Record<string, number>;
  /** Standalone, outside the timed window, seconds. */
  parseSeconds: number;
  checkSeconds: number;
  /** Building the COPY text from the accepted rows, as the service's copyRows does. */
  copyTextSeconds: number;
  sha256Seconds: number;
  ok: boolean;
}

async function main(): Promise<void> {
  // The app and its support code are loaded here only, not in the sampler's thread.
  const { EmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const { createTestDatabase, startTestApp } = await import('../test/support/test-app.js');
  const { Api } = await import('../test/support/api.js');
  const { nextSeq } = await import('../test/factories/codes.js');
  const { RegisterImportService } =
    await import('../src/modules/field-work/register-import.service.js');
  const { readRegisterFile } = await import('../src/modules/field-work/register-file.js');
  const { checkRegisterRow } = await import('../src/modules/field-work/register-row-check.js');
  const { residentIdCheckCharacter } = await import('../src/modules/field-work/resident-id.js');
  const { shanghaiDate } = await import('../src/common/clock/shanghai-date.js');

  const began = performance.now();
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-register-'));
  fs.chmodSync(home, 0o755); // as root, the postgres OS user must traverse it
  let postgres: Awaited<ReturnType<typeof EmbeddedPostgres.start>> | undefined;
  let test: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let sampler: Worker | undefined;
  let client: Client | undefined;
  let failed = false;
  try {
    postgres = await EmbeddedPostgres.start({
      dataDir: path.join(home, 'pg'),
      ephemeral: false,
      log: (message) => log(message),
    });
    process.env.TEST_PG_ADMIN_URL = postgres.url();
    const database = await createTestDatabase();
    const uploadMaxBytes = 100 * MB;
    const registerMaxRows = 200_000;
    test = await startTestApp({ databaseUrl: database.url, uploadMaxBytes, registerMaxRows });
    await test.app.listen(0, '127.0.0.1');
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    log(`app listening on 127.0.0.1:${port}; gc ${hasGc ? 'exposed' : 'NOT exposed'}`);
    client = new Client({ connectionString: database.url });
    await client.connect();

    sampler = new Worker(__filename, { workerData: { role: 'rss' } });
    const samplerCall = <T>(message: 'start' | 'stop') =>
      new Promise<T>((resolve, reject) => {
        const failed = (error: Error) => reject(error);
        sampler!.once('message', (value: T) => {
          sampler!.off('error', failed);
          resolve(value);
        });
        sampler!.once('error', failed);
        sampler!.postMessage(message);
      });

    // --- the people and places, once
    const api = new Api(test);
    const district = '341602';
    const town = `${district}104`;
    await api.region({ code: district, name: '谯城区', level: 'district' });
    await api.region({ code: town, name: '双沟镇', level: 'town', parentCode: district });
    const villageCodes = VILLAGES.map((village) => `${town}${village.suffix}`);
    for (const [index, village] of VILLAGES.entries()) {
      await api.region({
        code: villageCodes[index],
        name: village.name,
        level: 'village',
        parentCode: town,
      });
    }
    const organisationName = '亳州市谯城区丰收农机专业合作社';
    const organisation = await api.organisation({
      name: organisationName,
      bankAccountName: organisationName,
      grade: 'provincial',
    });
    const coop = await api.user('cooperative', { organisationId: organisation.id });
    const agri = await api.user('district_agri', { regionCode: district });

    /** A fresh project with one lot (3 villages × 3 tasks of 1,000,000 mu) and its signed contract. */
    const signedContract = async (label: string) => {
      const http = () => test!.http();
      const project = await expectStatus(
        'project',
        http()
          .post('/projects')
          .set(agri.auth)
          .send({
            code: `BENCH-${label}`,
            name: `谯城区2014年全程社会化服务（压测 ${label}）`,
            year: 2014,
            districtCode: district,
            villageCodes,
            tasks: TASKS.map((task) => ({
              code: task.code,
              name: task.name,
              plannedAreaMu: '1000000.00',
            })),
            serviceStart: '2015-06-01',
            serviceEnd: '2015-09-30',
          }),
        201,
      );
      const projectId = project.body.id as string;
      const tender = await expectStatus(
        'tender',
        http()
          .post(`/projects/${projectId}/tenders`)
          .set(agri.auth)
          .send({
            method: 'invited',
            publishedIn: '《亳州晚报》',
            publishedOn: '2015-05-25',
            openingOn: '2015-05-30',
            invitedOrganisationIds: [organisation.id],
            lots: [
              {
                code: 'L1',
                villageCodes,
                tasks: TASKS.map((task) => ({ taskCode: task.code, areaMu: '1000000.00' })),
              },
            ],
          }),
        201,
      );
      const tenderId = tender.body.id as string;
      const bid = await expectStatus(
        'bid',
        http()
          .post(`/tenders/${tenderId}/bids`)
          .set(coop.auth)
          .send({
            lotCode: 'L1',
            prices: TASKS.map((task) => ({ taskCode: task.code, unitPriceYuan: task.priceYuan })),
          }),
        201,
      );
      await expectStatus('open', http().post(`/tenders/${tenderId}/open`).set(agri.auth));
      const award = await expectStatus(
        'award',
        http().post(`/tenders/${tenderId}/awards`).set(agri.auth).send({
          lotCode: 'L1',
          bidId: bid.body.id,
          workDeadline: '2015-06-30',
          awardedOn: '2015-05-31',
        }),
        201,
      );
      const contractId = award.body.contractId as string;
      await expectStatus(
        'sign',
        http()
          .post(`/contracts/${contractId}/sign`)
          .set(agri.auth)
          .send({ contractNo: `谯农服合〔2015〕压测${label}`, signedOn: '2015-06-01' }),
      );
      return { projectId, contractId };
    };

    // --- instrumentation of the service's own steps (timing only, behaviour unchanged)
    type Timed = Record<string, (...args: unknown[]) => Promise<unknown>>;
    const service: Timed = test.app.get<unknown, Timed>(RegisterImportService);
    const steps: Record<string, number> = {};
    for (const name of ['import', 'checkContext', 'usedArea', 'takenPlots', 'copyRows']) {
      const original = service[name].bind(service);
      service[name] = async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await original(...args);
        } finally {
          steps[name] = (steps[name] ?? 0) + (performance.now() - started) / 1000;
        }
      };
    }

    const context = {
      villages: new Map(villageCodes.map((code, index) => [code, VILLAGES[index].name])),
      tasks: new Map(TASKS.map((task) => [task.code, { name: task.name, open: true }])),
      serviceStart: '2015-06-01',
      serviceEnd: '2015-09-30',
      workDeadline: '2015-06-30',
      today: shanghaiDate(new Date()),
    };

    let householdBase = 1;
    const importOnce = async (size: number, run: number): Promise<Run> => {
      const label = `${size}-${run}-${nextSeq()}`;
      const { projectId, contractId } = await signedContract(label);
      const register = generateRegister({
        rows: size,
        seed: SEED + size + run,
        householdBase,
        contractId,
        projectId,
        villageCodes,
        checkCharacter: residentIdCheckCharacter,
      });
      householdBase += Math.ceil(size / 3);
      const badTotal = Object.values(register.bad).reduce((sum, count) => sum + count, 0);

      // --- the import, timed end to end, memory sampled
      for (const key of Object.keys(steps)) delete steps[key];
      await collectGarbage();
      const canReset = resetPeakRss();
      const before = process.memoryUsage();
      let heapPeak = before.heapUsed;
      let externalPeak = before.external + before.arrayBuffers;
      const heapTimer = setInterval(() => {
        const now = process.memoryUsage();
        heapPeak = Math.max(heapPeak, now.heapUsed);
        externalPeak = Math.max(externalPeak, now.external + now.arrayBuffers);
      }, SAMPLE_MS);
      await samplerCall('start');
      const started = performance.now();
      const answer = await uploadRegister(
        port,
        coop.token,
        contractId,
        register.csv,
        `register-${size}.csv`,
      );
      const seconds = (performance.now() - started) / 1000;
      const { peak: samplerPeak } = await samplerCall<{ peak: number; samples: number }>('stop');
      clearInterval(heapTimer);
      const after = process.memoryUsage();
      heapPeak = Math.max(heapPeak, after.heapUsed);
      const kernelPeak = canReset ? kernelPeakRss() : NaN;
      const peakRss = Math.max(samplerPeak, Number.isFinite(kernelPeak) ? kernelPeak : 0);
      const serverSteps = { ...steps };

      if (answer.status !== 200)
        throw new Error(`import of ${size} rows: ${answer.status} ${answer.body.slice(0, 500)}`);
      const body = JSON.parse(answer.body) as {
        format: string;
        accepted: number;
        rejected: { row: number; code: string }[];
      };
      const rejectedByCode: Record<string, number> = {};
      for (const rejection of body.rejected)
        rejectedByCode[rejection.code] = (rejectedByCode[rejection.code] ?? 0) + 1;
      const [stored] = await test!.dataSource.query<{ count: string }[]>(
        'SELECT count(*) AS count FROM register_row WHERE contract_id = $1',
        [contractId],
      );
      const ok =
        body.format === 'csv-utf8' &&
        body.accepted + body.rejected.length === size &&
        body.accepted === register.good &&
        Number(stored.count) === register.good &&
        body.rejected.length === badTotal &&
        BAD_KINDS.every((kind) => (rejectedByCode[kind] ?? 0) === register.bad[kind]);

      // --- baseline: raw COPY of the same accepted rows into a bare table, then with indexes
      const copySeconds = await copyInto(
        client!,
        'bench_copy_bare',
        register.copyText,
        register.good,
        'bare',
      );
      const copyIndexedSeconds = await copyInto(
        client!,
        'bench_copy_indexed',
        register.copyText,
        register.good,
        'indexed',
      );
      const copyIndexedFkSeconds = await copyInto(
        client!,
        'bench_copy_indexed_fk',
        register.copyText,
        register.good,
        'indexedFk',
      );

      // --- breakdown, standalone on the same buffer
      let mark = performance.now();
      createHash('sha256').update(register.csv).digest('hex');
      const sha256Seconds = (performance.now() - mark) / 1000;
      mark = performance.now();
      const parsed = await readRegisterFile(register.csv, {
        maxRows: registerMaxRows,
        maxBytes: uploadMaxBytes,
      });
      const parseSeconds = (performance.now() - mark) / 1000;
      mark = performance.now();
      const values: RegisterRowInput[] = [];
      for (const { row, cells } of parsed.rows) {
        const checked = checkRegisterRow(row, cells, context);
        if (checked.ok) values.push(checked.value);
      }
      const checkSeconds = (performance.now() - mark) / 1000;
      if (values.length !== register.good)
        throw new Error(
          `standalone checks passed ${values.length} rows, expected ${register.good}`,
        );
      mark = performance.now();
      const copyTextBytes = serviceCopyText(contractId, projectId, values);
      const copyTextSeconds = (performance.now() - mark) / 1000;
      if (copyTextBytes !== register.copyText.length)
        throw new Error(`COPY text: ${copyTextBytes} bytes, expected ${register.copyText.length}`);

      return {
        size,
        run,
        seconds,
        accepted: body.accepted,
        rejected: body.rejected.length,
        rejectedByCode,
        copySeconds,
        copyIndexedSeconds,
        copyIndexedFkSeconds,
        heapBeforeMb: before.heapUsed / MB,
        rssBeforeMb: before.rss / MB,
        rssGrowthMb: (peakRss - before.rss) / MB,
        samplerPeakMb: samplerPeak / MB,
        kernelPeakMb: kernelPeak / MB,
        heapPeakGrowthMb: (heapPeak - before.heapUsed) / MB,
        externalPeakGrowthMb: (externalPeak - before.external - before.arrayBuffers) / MB,
        fileMb: register.csv.length / MB,
        steps: serverSteps,
        parseSeconds,
        checkSeconds,
        copyTextSeconds,
        sha256Seconds,
        ok,
      };
    };

    // --- warm-up (JIT, pool, first COPY), not reported
    const warm = await importOnce(WARMUP_ROWS, 0);
    log(`warm-up: ${WARMUP_ROWS} rows in ${fmt(warm.seconds, 2)} s (not reported)`);

    const runs: Run[] = [];
    for (const size of SIZES) {
      for (let run = 1; run <= RUNS; run++) {
        const result = await importOnce(size, run);
        runs.push(result);
        if (!result.ok) failed = true;
        log(
          `${int(size)} rows run ${run}: ${fmt(result.seconds, 2)} s, ${int(size / result.seconds)} rows/s; ` +
            `accepted ${result.accepted}, rejected ${result.rejected} ${JSON.stringify(result.rejectedByCode)} ${result.ok ? 'ok' : 'MISMATCH'}; ` +
            `COPY ${fmt(result.copySeconds, 3)} s (indexed ${fmt(result.copyIndexedSeconds, 3)} s, +FK ${fmt(result.copyIndexedFkSeconds, 3)} s), ratio ${fmt((100 * result.copySeconds) / result.seconds)} %; ` +
            `RSS +${fmt(result.rssGrowthMb)} MB (from ${fmt(result.rssBeforeMb)} MB; sampler ${fmt(result.samplerPeakMb)}, kernel ${fmt(result.kernelPeakMb)}), heap +${fmt(result.heapPeakGrowthMb)} MB (from ${fmt(result.heapBeforeMb)} MB)`,
        );
        log(
          `   server: import ${fmt(result.steps.import ?? NaN, 3)} s = context ${fmt((result.steps.checkContext ?? 0) + (result.steps.usedArea ?? 0), 3)} + takenPlots ${fmt(result.steps.takenPlots ?? NaN, 3)} + copyRows ${fmt(result.steps.copyRows ?? NaN, 3)} + rest ${fmt(rest(result), 3)}; ` +
            `standalone: sha256 ${fmt(result.sha256Seconds, 3)}, parse ${fmt(result.parseSeconds, 3)}, checks ${fmt(result.checkSeconds, 3)}, COPY text ${fmt(result.copyTextSeconds, 3)} s`,
        );
      }
    }

    // --- report
    const pg = await client.query<{ version: string }>('SELECT version()');
    const cpus = os.cpus();
    console.log('');
    console.log(
      `Register import through HTTP: UTF-8 CSV, 1% bad rows, ${RUNS} runs per size (fresh project and contract each), seed ${SEED}`,
    );
    const table: string[][] = [
      [
        'rows',
        'run',
        'MB',
        'import s',
        'rows/s',
        'COPY s',
        'COPY rows/s',
        'ratio',
        'COPY+idx s',
        'COPY+idx+FK s',
        'RSS +MB',
        'heap +MB',
        'accepted',
        'rejected',
      ],
    ];
    const line = (label: string, size: number, pick: (f: (r: Run) => number) => number) => [
      int(size),
      label,
      fmt(
        pick((r) => r.fileMb),
        1,
      ),
      fmt(
        pick((r) => r.seconds),
        2,
      ),
      int(pick((r) => r.size / r.seconds)),
      fmt(
        pick((r) => r.copySeconds),
        3,
      ),
      int(pick((r) => r.accepted / r.copySeconds)),
      `${fmt(pick((r) => (100 * r.copySeconds) / r.seconds))} %`,
      fmt(
        pick((r) => r.copyIndexedSeconds),
        3,
      ),
      fmt(
        pick((r) => r.copyIndexedFkSeconds),
        3,
      ),
      fmt(pick((r) => r.rssGrowthMb)),
      fmt(pick((r) => r.heapPeakGrowthMb)),
      int(pick((r) => r.accepted)),
      int(pick((r) => r.rejected)),
    ];
    for (const size of SIZES) {
      const ofSize = runs.filter((r) => r.size === size);
      for (const r of ofSize) table.push(line(String(r.run), size, (f) => f(r)));
      table.push(line('median', size, (f) => median(ofSize.map(f))));
    }
    const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
    for (const row of table)
      console.log(row.map((cell, column) => cell.padStart(widths[column])).join('  '));
    console.log(
      'ratio = import rows/s ÷ raw COPY rows/s of the same accepted rows (= COPY s ÷ import s); COPY+idx = the same COPY into an empty copy of register_row with its defaults and indexes; +FK = also its foreign key to contract.',
    );

    console.log('');
    console.log('Where the time goes (medians, seconds):');
    for (const size of SIZES) {
      const ofSize = runs.filter((r) => r.size === size);
      const m = (f: (r: Run) => number) => fmt(median(ofSize.map(f)), 3);
      console.log(
        `  ${int(size)} rows: end to end ${m((r) => r.seconds)}; server import() ${m((r) => r.steps.import ?? NaN)} ` +
          `[checkContext+usedArea ${m((r) => (r.steps.checkContext ?? 0) + (r.steps.usedArea ?? 0))}, takenPlots ${m((r) => r.steps.takenPlots ?? NaN)}, copyRows ${m((r) => r.steps.copyRows ?? NaN)}, rest (sha256, parse, row loop, locks, workflow, audit, commit) ${m(rest)}]; ` +
          `HTTP upload + multer + answer ${m((r) => r.seconds - (r.steps.import ?? NaN))}; ` +
          `standalone: sha256 ${m((r) => r.sha256Seconds)}, readRegisterFile ${m((r) => r.parseSeconds)}, checkRegisterRow loop ${m((r) => r.checkSeconds)}, COPY text as copyRows builds it ${m((r) => r.copyTextSeconds)}; ` +
          `COPY bare ${m((r) => r.copySeconds)}, +indexes ${m((r) => r.copyIndexedSeconds)}, +indexes+FK ${m((r) => r.copyIndexedFkSeconds)}`,
      );
    }

    console.log('');
    const big = runs.filter((r) => r.size === 100_000);
    if (big.length > 0) {
      const seconds = median(big.map((r) => r.seconds));
      const ratio = median(big.map((r) => r.copySeconds / r.seconds));
      const rss = median(big.map((r) => r.rssGrowthMb));
      const rssMax = Math.max(...big.map((r) => r.rssGrowthMb));
      console.log(
        `target: 100,000 rows < ${TARGET_SECONDS_100K} s: median ${fmt(seconds, 2)} s -> ${seconds < TARGET_SECONDS_100K ? 'met' : 'NOT met'}`,
      );
      console.log(
        `target: >= ${100 * TARGET_RATIO} % of raw COPY throughput: median ${fmt(100 * ratio)} % -> ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
      );
      console.log(
        `target: server memory growth < ${TARGET_RSS_MB} MB: median ${fmt(rss)} MB (max ${fmt(rssMax)} MB) -> ${rss < TARGET_RSS_MB ? 'met' : 'NOT met'}`,
      );
    } else {
      console.log('targets: not judged (no 100,000-row runs)');
    }
    console.log(
      `checks: every run accepted + rejected = rows, rejected = the 1% bad rows by code, stored = accepted -> ${runs.every((r) => r.ok) ? 'ok' : 'MISMATCH'}`,
    );
    console.log(
      `machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB, load ${os
        .loadavg()
        .map((load) => fmt(load, 2))
        .join(
          ' ',
        )}; ${os.type()} ${os.release()}; node ${process.version}; ${pg.rows[0].version.split(',')[0]} (embedded, fsync on); app and benchmark in one process (RSS = both); gc ${hasGc ? 'before each import' : 'not exposed'}`,
    );
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await sampler?.terminate();
    await client?.end().catch((error: unknown) => console.error(error));
    await test?.close().catch((error: unknown) => console.error(error));
    await postgres?.stop().catch((error: unknown) => console.error(error));
    fs.rmSync(home, { recursive: true, force: true });
    log(`done in ${fmt((performance.now() - began) / 1000)} s`);
  }
  process.exitCode = failed ? 1 : 0;
}

/** Server time outside the timed helper methods: sha256, parse, row loop, locks, workflow, audit, commit. */
function rest(run: Run): number {
  const s = run.steps;
  return (
    (s.import ?? NaN) -
    (s.checkContext ?? 0) -
    (s.usedArea ?? 0) -
    (s.takenPlots ?? 0) -
    (s.copyRows ?? 0)
  );
}

/** Awaits a supertest request; anything but `status` throws with the problem body. */
async function expectStatus(
  what: string,
  request: PromiseLike<{ status: number; body: any }>,
  status = 200,
): Promise<{ status: number; body: any }> {
  const response = await request;
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

if (isMainThread) void main();

/**
 * Official documents as PDF through HTTP (docs/benchmarks.md, "Documents").
 *
 *   npm run bench:documents
 *
 * Starts its own PostgreSQL (embedded, fsync on) in a temporary folder and the real app on
 * 127.0.0.1 in this process, then:
 *
 * - builds a project with one task (小麦机收) → invited tender (one lot: 3 villages, 100,000 mu)
 *   → bid → opening → award → signed contract, over HTTP;
 * - imports a UTF-8 CSV register of BENCH_ROWS (5,000) valid rows of that one task line with
 *   `POST /contracts/:id/register` as the cooperative (distinct households, valid resident ID
 *   numbers, areas 0.50-8.00 mu, the four signatures), uploads the three claim attachments and
 *   claims the task line (the application form lists claimed task lines only);
 * - fetches `GET /contracts/:id/documents/register?taskCode=wheat_harvest` once cold (the first
 *   document of the process parses the two Noto Sans Hans fonts; not in the medians), then the
 *   register and `…/documents/application` BENCH_RUNS (3) times each, timing each request end to
 *   end (and its first byte), counting pages (`/Type /Page` objects) and bytes, and sampling the
 *   process RSS every 50 ms in a worker thread (and the kernel's high-water mark, reset before
 *   each request). The app runs in this process: RSS is the app's and the client's together.
 * - server split: the time in DocumentsService.prepare (queries, digest, record, QR code) and in
 *   the rendering (pdfkit drawing, font subsetting, compression, writing to the socket), timed by
 *   wrapping the methods of the app's DocumentsService instance; no application code is changed;
 * - the longest event-loop block during each request (perf_hooks.monitorEventLoopDelay): the
 *   drawing is synchronous, so every other request of the process waits that long; and when the
 *   first bytes are handed to the response (the response's `write`, wrapped), measured from the
 *   start of the rendering;
 * - where the bytes go: the PDF's objects by what they are (page content streams, images — the
 *   footer's QR code —, the embedded font subsets, their ToUnicode maps, the rest);
 * - where the render time goes (outside the timed window): the register's own drawing function
 *   (DocumentsService's private `describe`, called directly) rendered into a byte-counting sink,
 *   split into the synchronous drawing and `end()` → finish (font subsetting, the last page,
 *   cross-reference table), with the footer's QR code as the service makes it (RGBA PNG, 160 px),
 *   as a grayscale PNG without alpha, and as a 1×1 PNG (≈ no QR code): the differences are what
 *   embedding the QR code on every page costs.
 *
 * The script compiles into its own, emptied `.tmp/bench-documents` (see bench/register-import.ts
 * for why). Settings (environment): BENCH_ROWS (5000), BENCH_RUNS (3), BENCH_SEED (20150610).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import type { QRCodeToBufferOptions } from 'qrcode';

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 20150610);
const SAMPLE_MS = 50;
const TARGET_SECONDS = 5;
const TARGET_BYTES = 2 * 1024 * 1024;
const MB = 1024 * 1024;
const TASK = { code: 'wheat_harvest', name: '小麦机收', priceYuan: '63.67' } as const;

// ---------------------------------------------------------------------------------------------
// RSS sampler (worker thread: not blocked while the app renders on the main thread)
// ---------------------------------------------------------------------------------------------

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === 'rss') {
  const port = parentPort;
  let timer: NodeJS.Timeout | undefined;
  let peak = 0;
  port.on('message', (message: 'start' | 'stop') => {
    if (message === 'start') {
      peak = process.memoryUsage.rss();
      timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, SAMPLE_MS);
      port.postMessage({ started: true });
    } else {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      port.postMessage({ peak });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Register generation: one task line, valid rows only
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

const VILLAGES = [
  { suffix: '201', name: '王各村', townCadre: '周建华', villageCadre: '王守业' },
  { suffix: '202', name: '邹李村', townCadre: '孙立新', villageCadre: '邹长河' },
  { suffix: '203', name: '闫庄村', townCadre: '郭志远', villageCadre: '闫士英' },
] as const;

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许'];
const GIVEN_NAMES = [
  ...['秀英', '桂英', '秀兰', '玉兰', '桂兰', '秀珍', '凤英', '玉珍', '建国', '建华', '建军'],
  ...['国强', '志强', '志刚', '永刚', '德明', '文华', '红军', '卫东', '春生', '长林', '金山'],
  ...['伟', '芳', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '俊杰', '浩然', '晓燕'],
];
const OPERATORS = ['刘德胜', '张广田', '李振江', '王宝山', '赵铁柱', '陈满仓', '孙大勇', '马金龙'];

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

/** A valid resident ID number (谯城区 341602), distinct for every n < 16,000,000. */
function residentId(n: number, checkCharacter: (first17: string) => string): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (n % 16_000) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const first17 = `341602${birth}${String(Math.floor(n / 16_000) % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 CSV with BOM of `rows` households of the three villages, one plot each; total area. */
function generateRegister(
  rows: number,
  seed: number,
  checkCharacter: (first17: string) => string,
): { csv: Buffer; areaHundredths: number } {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const lines = ['\uFEFF' + HEADER.join(',')];
  let areaHundredths = 0;
  for (let number = 1; number <= rows; number++) {
    const villageIndex = number % 3;
    const village = VILLAGES[villageIndex];
    const name = pick(SURNAMES) + pick(GIVEN_NAMES);
    const operator = pick(OPERATORS);
    const area = 50 + Math.floor(rand() * 751); // 0.50 .. 8.00 mu
    areaHundredths += area;
    const day = 2 + Math.floor(rand() * 14);
    lines.push(
      [
        village.name,
        name,
        residentId(number, checkCharacter),
        `${village.name.slice(0, 1)}${villageIndex + 1}-${String(number).padStart(7, '0')}`,
        TASK.name,
        (area / 100).toFixed(2),
        `2015-06-${String(day).padStart(2, '0')}`,
        `皖S${String(10000 + Math.floor(rand() * 90000))}`,
        operator,
        village.townCadre,
        village.villageCadre,
        operator,
        rand() < 0.5 ? '1' : name,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return { csv: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), areaHundredths };
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

/** Pages of a PDF: its `/Type /Page` objects (not `/Type /Pages`). */
function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

/** A minimal 8-bit grayscale PNG (no alpha) of `size`×`size` white pixels. */
function grayPng(size: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, no filter set, no interlace
  const rows = Buffer.alloc(size * (size + 1), 0xff);
  for (let row = 0; row < size; row++) rows[row * (size + 1)] = 0; // filter type 0 per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface ByteSplit {
  content: number;
  images: number;
  imageCount: number;
  fontFiles: number;
  toUnicode: number;
  other: number;
}

/**
 * The PDF's bytes by what its objects are: page content streams, images (XObjects; the footer's
 * QR code, once per page), embedded font programs (the subsets), ToUnicode maps, and the rest
 * (page, font and catalogue dictionaries, cross-reference table, header and trailer).
 */
function splitBytes(pdf: Buffer): ByteSplit {
  const text = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; size: number }>();
  const pattern = /(\d+) 0 obj\n([\s\S]*?)\nendobj\n/g;
  let total = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const body = match[2];
    const streamAt = body.indexOf('\nstream\n');
    objects.set(Number(match[1]), {
      dict: streamAt >= 0 ? body.slice(0, streamAt) : body,
      size: match[0].length,
    });
    total += match[0].length;
  }
  const refs = (key: string): Set<number> => {
    const found = new Set<number>();
    for (const { dict } of objects.values())
      for (const ref of dict.matchAll(new RegExp(`/${key} (\\d+) 0 R`, 'g')))
        found.add(Number(ref[1]));
    return found;
  };
  const contents = refs('Contents');
  const fontFiles = new Set([...refs('FontFile'), ...refs('FontFile2'), ...refs('FontFile3')]);
  const toUnicode = refs('ToUnicode');
  const split: ByteSplit = {
    content: 0,
    images: 0,
    imageCount: 0,
    fontFiles: 0,
    toUnicode: 0,
    other: pdf.length - total,
  };
  for (const [id, { dict, size }] of objects) {
    if (contents.has(id)) split.content += size;
    else if (/\/Subtype \/Image/.test(dict)) {
      split.images += size;
      split.imageCount += 1;
    } else if (fontFiles.has(id)) split.fontFiles += size;
    else if (toUnicode.has(id)) split.toUnicode += size;
    else split.other += size;
  }
  return split;
}

interface Fetched {
  status: number;
  body: Buffer;
  firstByteSeconds: number;
  seconds: number;
}

function fetch(port: number, token: string, pathName: string): Promise<Fetched> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port,
        path: pathName,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let firstByteSeconds = NaN;
        response.on('data', (chunk: Buffer) => {
          if (chunks.length === 0) firstByteSeconds = (performance.now() - started) / 1000;
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            firstByteSeconds,
            seconds: (performance.now() - started) / 1000,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** A hand-built multipart body with one file. */
function upload(
  port: number,
  token: string,
  pathName: string,
  file: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: pathName,
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

// ---------------------------------------------------------------------------------------------
// Orchestration (main thread)
// ---------------------------------------------------------------------------------------------

interface Run {
  kind: 'register' | 'application';
  label: string;
  seconds: number;
  firstByteSeconds: number;
  prepareSeconds: number;
  renderSeconds: number;
  /** From the start of the rendering to the first bytes handed to the response. */
  firstWriteSeconds: number;
  pages: number;
  bytes: number;
  split: ByteSplit;
  rssBeforeMb: number;
  peakRssMb: number;
  rssGrowthMb: number;
  /** Longest event-loop block during the request. */
  blockSeconds: number;
  ok: boolean;
}

interface Standalone {
  variant: string;
  qrBytes: number;
  drawSeconds: number;
  endSeconds: number;
  bytes: number;
  pages: number;
}

async function main(): Promise<void> {
  // The app and its support code are loaded here only, not in the sampler's thread.
  const { EmbeddedPostgres } = await import('../src/database/embedded-postgres.js');
  const { createTestDatabase, startTestApp } = await import('../test/support/test-app.js');
  const { Api } = await import('../test/support/api.js');
  const { DocumentsService } = await import('../src/modules/documents/documents.service.js');
  const { residentIdCheckCharacter } = await import('../src/modules/field-work/resident-id.js');
  const { PdfForm } = await import('../src/modules/documents/pdf-form.js');
  const { ActorLoader } = await import('../src/modules/auth/actor.loader.js');
  const { ContractsService } = await import('../src/modules/contracts/contracts.service.js');
  const QRCode = (await import('qrcode')).default;

  const began = performance.now();
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-documents-'));
  fs.chmodSync(home, 0o755); // as root, the postgres OS user must traverse it
  let postgres: Awaited<ReturnType<typeof EmbeddedPostgres.start>> | undefined;
  let test: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let sampler: Worker | undefined;
  let failed = false;
  try {
    postgres = await EmbeddedPostgres.start({
      dataDir: path.join(home, 'pg'),
      ephemeral: false,
      log: (message) => log(message),
    });
    process.env.TEST_PG_ADMIN_URL = postgres.url();
    const database = await createTestDatabase();
    test = await startTestApp({ databaseUrl: database.url });
    await test.app.listen(0, '127.0.0.1');
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    log(`app listening on 127.0.0.1:${port}; gc ${hasGc ? 'exposed' : 'NOT exposed'}`);

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

    // --- the people and places
    const api = new Api(test);
    const httpClient = () => test!.http();
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

    // --- project → tender → bid → opening → award → signed contract (one task line)
    const project = await expectStatus(
      'project',
      httpClient()
        .post('/projects')
        .set(agri.auth)
        .send({
          code: 'BENCH-DOCUMENTS',
          name: '谯城区2014年全程社会化服务（文书压测）',
          year: 2014,
          districtCode: district,
          villageCodes,
          tasks: [{ code: TASK.code, name: TASK.name, plannedAreaMu: '100000.00' }],
          serviceStart: '2015-06-01',
          serviceEnd: '2015-09-30',
        }),
      201,
    );
    const tender = await expectStatus(
      'tender',
      httpClient()
        .post(`/projects/${project.body.id}/tenders`)
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
              tasks: [{ taskCode: TASK.code, areaMu: '100000.00' }],
            },
          ],
        }),
      201,
    );
    const tenderId = tender.body.id as string;
    const bid = await expectStatus(
      'bid',
      httpClient()
        .post(`/tenders/${tenderId}/bids`)
        .set(coop.auth)
        .send({ lotCode: 'L1', prices: [{ taskCode: TASK.code, unitPriceYuan: TASK.priceYuan }] }),
      201,
    );
    await expectStatus('open', httpClient().post(`/tenders/${tenderId}/open`).set(agri.auth));
    const award = await expectStatus(
      'award',
      httpClient().post(`/tenders/${tenderId}/awards`).set(agri.auth).send({
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
      httpClient()
        .post(`/contracts/${contractId}/sign`)
        .set(agri.auth)
        .send({ contractNo: '谯农服合〔2015〕文书压测', signedOn: '2015-06-01' }),
    );

    // --- the register (one CSV through HTTP), the claim attachments, the claim
    const register = generateRegister(ROWS, SEED, residentIdCheckCharacter);
    let mark = performance.now();
    const imported = await upload(
      port,
      coop.token,
      `/contracts/${contractId}/register`,
      register.csv,
      `register-${ROWS}.csv`,
    );
    if (imported.status !== 200)
      throw new Error(`register import: ${imported.status} ${imported.body.slice(0, 500)}`);
    const importBody = JSON.parse(imported.body) as { accepted: number; rejected: unknown[] };
    if (importBody.accepted !== ROWS)
      throw new Error(
        `register import: accepted ${importBody.accepted} of ${ROWS}: ${JSON.stringify(importBody.rejected.slice(0, 5))}`,
      );
    log(
      `register: ${int(ROWS)} rows, ${fmt(register.areaHundredths / 100, 2)} mu imported in ${fmt((performance.now() - mark) / 1000, 2)} s`,
    );
    for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan']) {
      const answer = await upload(
        port,
        coop.token,
        `/contracts/${contractId}/attachments`,
        Buffer.from(`%PDF-1.4 ${kind} of ${contractId}`),
        `${kind}.pdf`,
        { kind },
      );
      if (answer.status !== 201) throw new Error(`attachment ${kind}: ${answer.status}`);
    }
    mark = performance.now();
    await expectStatus(
      'claim',
      httpClient().post(`/contracts/${contractId}/task-lines/${TASK.code}/claim`).set(coop.auth),
    );
    log(`claimed ${TASK.code} in ${fmt((performance.now() - mark) / 1000, 2)} s`);

    // --- the server's split (timing only, behaviour unchanged)
    type Prepared = { render: (output: Writable) => Promise<number> };
    type Prepare = (...args: unknown[]) => Promise<Prepared>;
    const documents = test.app.get<unknown, { prepare: Prepare }>(DocumentsService);
    const originalPrepare = documents.prepare.bind(documents);
    const server = { prepare: NaN, render: NaN, firstWrite: NaN };
    documents.prepare = async (...args: unknown[]) => {
      const started = performance.now();
      const prepared = await originalPrepare(...args);
      server.prepare = (performance.now() - started) / 1000;
      const render = prepared.render;
      prepared.render = async (output) => {
        const renderStarted = performance.now();
        const write = output.write.bind(output) as (...args: unknown[]) => boolean;
        (output as unknown as { write: (...args: unknown[]) => boolean }).write = (...args) => {
          if (Number.isNaN(server.firstWrite))
            server.firstWrite = (performance.now() - renderStarted) / 1000;
          return write(...args);
        };
        try {
          return await render(output);
        } finally {
          server.render = (performance.now() - renderStarted) / 1000;
        }
      };
      return prepared;
    };

    const fetchOnce = async (kind: Run['kind'], label: string): Promise<Run> => {
      const query = kind === 'register' ? `?taskCode=${TASK.code}` : '';
      server.prepare = NaN;
      server.render = NaN;
      server.firstWrite = NaN;
      await collectGarbage();
      const canReset = resetPeakRss();
      const rssBefore = process.memoryUsage.rss();
      await samplerCall('start');
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const answer = await fetch(
        port,
        agri.token,
        `/contracts/${contractId}/documents/${kind}${query}`,
      );
      loopDelay.disable();
      const { peak: samplerPeak } = await samplerCall<{ peak: number }>('stop');
      const kernelPeak = canReset ? kernelPeakRss() : NaN;
      const peakRss = Math.max(samplerPeak, Number.isFinite(kernelPeak) ? kernelPeak : 0);
      if (answer.status !== 200)
        throw new Error(`${kind}: ${answer.status} ${answer.body.toString().slice(0, 500)}`);
      const pages = countPages(answer.body);
      const text = answer.body.toString('latin1');
      const ok =
        text.startsWith('%PDF-') &&
        text.trimEnd().endsWith('%%EOF') &&
        pages > 0 &&
        (kind === 'application' ? pages >= 3 : true);
      return {
        kind,
        label,
        seconds: answer.seconds,
        firstByteSeconds: answer.firstByteSeconds,
        prepareSeconds: server.prepare,
        renderSeconds: server.render,
        firstWriteSeconds: server.firstWrite,
        pages,
        bytes: answer.body.length,
        split: splitBytes(answer.body),
        rssBeforeMb: rssBefore / MB,
        peakRssMb: peakRss / MB,
        rssGrowthMb: (peakRss - rssBefore) / MB,
        blockSeconds: loopDelay.max / 1e9,
        ok,
      };
    };

    const describe = (run: Run): string =>
      `${run.kind} ${run.label}: ${fmt(run.seconds, 2)} s (first byte ${fmt(run.firstByteSeconds, 2)} s; server prepare ${fmt(run.prepareSeconds, 3)} s + render ${fmt(run.renderSeconds, 2)} s, first write to the response ${fmt(run.firstWriteSeconds, 3)} s into the render), ` +
      `${run.pages} pages, ${int(run.bytes)} bytes (${fmt(run.bytes / MB, 2)} MB), longest event-loop block ${fmt(run.blockSeconds, 2)} s, peak RSS ${fmt(run.peakRssMb)} MB (+${fmt(run.rssGrowthMb)} MB from ${fmt(run.rssBeforeMb)} MB) ${run.ok ? 'ok' : 'NOT A COMPLETE PDF'}`;

    const cold = await fetchOnce('register', 'cold');
    log(`${describe(cold)} — first document of the process (fonts parsed), not in the medians`);
    if (!cold.ok) failed = true;
    const runs: Run[] = [];
    for (const kind of ['register', 'application'] as const) {
      for (let run = 1; run <= RUNS; run++) {
        const result = await fetchOnce(kind, `run ${run}`);
        runs.push(result);
        if (!result.ok) failed = true;
        log(describe(result));
      }
    }

    // --- where the render time goes: the register's drawing into a byte-counting sink
    type Draw = (form: InstanceType<typeof PdfForm>) => void;
    type Describe = (
      actor: unknown,
      contract: unknown,
      kind: string,
      query: { taskCode?: string },
    ) => Promise<{ draw: Draw }>;
    const actor = await test.app.get(ActorLoader).load(agri.userId);
    if (!actor) throw new Error('no actor');
    const contract = await test.app.get(ContractsService).get(actor, contractId);
    const describeDocument = (documents as unknown as { describe: Describe }).describe.bind(
      documents,
    );
    const verifyUrl = `http://127.0.0.1:${port}/public/documents/${'0'.repeat(64)}`;
    const qrVariants: [string, Buffer][] = [
      [
        'QR as the service makes it (RGBA PNG)',
        await QRCode.toBuffer(verifyUrl, { margin: 1, width: 160 }),
      ],
      [
        'QR as grayscale PNG without alpha',
        await QRCode.toBuffer(verifyUrl, {
          margin: 1,
          width: 160,
          rendererOpts: { colorType: 0 },
        } as QRCodeToBufferOptions),
      ],
      ['1×1 PNG (≈ no QR code)', grayPng(1)],
    ];
    const renderStandalone = async (variant: string, qrPng: Buffer): Promise<Standalone> => {
      const { draw } = await describeDocument(actor, contract, 'register', {
        taskCode: TASK.code,
      });
      await collectGarbage();
      let bytes = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          callback();
        },
      });
      const finished = new Promise<void>((resolve, reject) => {
        sink.once('finish', resolve);
        sink.once('error', reject);
      });
      const started = performance.now();
      const form = new PdfForm(sink, 'bench', {
        generatedAt: '2015-06-30 08:00:00 UTC',
        sha256: '0'.repeat(64),
        verifyUrl,
        qrPng,
      });
      draw(form);
      const drawn = performance.now();
      form.end();
      await finished;
      return {
        variant,
        qrBytes: qrPng.length,
        drawSeconds: (drawn - started) / 1000,
        endSeconds: (performance.now() - drawn) / 1000,
        bytes,
        pages: form.pages,
      };
    };
    const standalone: Standalone[] = [];
    for (let run = 1; run <= RUNS; run++)
      for (const [variant, qrPng] of qrVariants)
        standalone.push(await renderStandalone(variant, qrPng));

    // --- report
    const cpus = os.cpus();
    console.log('');
    console.log(
      `Documents through HTTP: a contract with one task line (${TASK.name}) of ${int(ROWS)} register rows in 3 villages, claimed; ${RUNS} runs per document after one cold register, seed ${SEED}`,
    );
    const table: string[][] = [
      [
        'document',
        'run',
        'seconds',
        'first byte s',
        'prepare s',
        'render s',
        'first write s',
        'loop block s',
        'pages',
        'bytes',
        'MB',
        'peak RSS MB',
        'RSS +MB',
      ],
    ];
    const line = (kind: string, label: string, pick: (f: (r: Run) => number) => number) => [
      kind,
      label,
      fmt(
        pick((r) => r.seconds),
        2,
      ),
      fmt(
        pick((r) => r.firstByteSeconds),
        2,
      ),
      fmt(
        pick((r) => r.prepareSeconds),
        3,
      ),
      fmt(
        pick((r) => r.renderSeconds),
        2,
      ),
      fmt(
        pick((r) => r.firstWriteSeconds),
        3,
      ),
      fmt(
        pick((r) => r.blockSeconds),
        2,
      ),
      int(pick((r) => r.pages)),
      int(pick((r) => r.bytes)),
      fmt(
        pick((r) => r.bytes / MB),
        2,
      ),
      fmt(pick((r) => r.peakRssMb)),
      fmt(pick((r) => r.rssGrowthMb)),
    ];
    table.push(line('register', 'cold', (f) => f(cold)));
    for (const kind of ['register', 'application'] as const) {
      const ofKind = runs.filter((r) => r.kind === kind);
      for (const r of ofKind) table.push(line(kind, r.label.replace('run ', ''), (f) => f(r)));
      table.push(line(kind, 'median', (f) => median(ofKind.map(f))));
    }
    const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
    for (const row of table)
      console.log(
        row
          .map((cell, column) =>
            column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
          )
          .join('  '),
      );
    console.log(
      'seconds: request to last byte; prepare: DocumentsService.prepare (queries, digest, issued_document row, QR code); render: drawing, font subsets, compression and writing to the socket; first write: from the start of the rendering to the first bytes pdfkit hands to the response (close to the end of the drawing: the finished pages wait in memory until the synchronous drawing returns); loop block: the longest event-loop delay during the request (the synchronous drawing; other requests wait); RSS: the whole process (app + client), peak of the 50 ms samples and the kernel high-water mark.',
    );

    console.log('');
    console.log('Where the bytes go (median run):');
    for (const kind of ['register', 'application'] as const) {
      const ofKind = runs.filter((r) => r.kind === kind);
      const m = (f: (s: ByteSplit) => number) => median(ofKind.map((r) => f(r.split)));
      const bytes = median(ofKind.map((r) => r.bytes));
      const pages = median(ofKind.map((r) => r.pages));
      const part = (value: number) => `${int(value)} (${fmt((100 * value) / bytes)} %)`;
      console.log(
        `  ${kind}: ${int(bytes)} bytes, ${int(pages)} pages, ${int(bytes / pages)} bytes/page = page content streams ${part(m((s) => s.content))}` +
          `, images ${part(m((s) => s.images))} in ${int(m((s) => s.imageCount))} image objects (${int(m((s) => s.images / Math.max(1, s.imageCount)))} bytes each)` +
          `, font subsets ${part(m((s) => s.fontFiles))}, ToUnicode maps ${part(m((s) => s.toUnicode))}, the rest ${part(m((s) => s.other))}`,
      );
    }

    console.log('');
    console.log(
      `Where the register's render time goes (the same drawing into a byte-counting sink, no HTTP, medians of ${RUNS}):`,
    );
    const reference = standalone.filter((s) => s.variant === qrVariants[0][0]);
    for (const [variant] of qrVariants) {
      const ofVariant = standalone.filter((s) => s.variant === variant);
      const m = (f: (s: Standalone) => number) => median(ofVariant.map(f));
      const draw = m((s) => s.drawSeconds);
      const end = m((s) => s.endSeconds);
      const bytes = m((s) => s.bytes);
      const drawDelta = draw - median(reference.map((s) => s.drawSeconds));
      const bytesDelta = bytes - median(reference.map((s) => s.bytes));
      console.log(
        `  ${variant} (${int(m((s) => s.qrBytes))} bytes): drawing ${fmt(draw, 2)} s + end() to finish ${fmt(end, 3)} s = ${fmt(draw + end, 2)} s, ` +
          `${int(m((s) => s.pages))} pages, ${int(bytes)} bytes (${fmt(bytes / MB, 2)} MB)` +
          (variant === qrVariants[0][0]
            ? `; per row ${fmt((1e6 * draw) / ROWS)} µs`
            : `; vs the service's QR: ${drawDelta >= 0 ? '+' : ''}${fmt(drawDelta, 2)} s, ${bytesDelta >= 0 ? '+' : ''}${int(bytesDelta)} bytes`),
      );
    }

    console.log('');
    const registers = runs.filter((r) => r.kind === 'register');
    const seconds = median(registers.map((r) => r.seconds));
    const bytes = median(registers.map((r) => r.bytes));
    console.log(
      `target: ${int(ROWS)}-row register < ${TARGET_SECONDS} s: median ${fmt(seconds, 2)} s (max ${fmt(Math.max(...registers.map((r) => r.seconds)), 2)} s) -> ${seconds < TARGET_SECONDS ? 'met' : 'NOT met'}`,
    );
    console.log(
      `target: ${int(ROWS)}-row register < 2 MB: median ${int(bytes)} bytes (${fmt(bytes / MB, 2)} MB) -> ${bytes < TARGET_BYTES ? 'met' : 'NOT met'}`,
    );
    console.log(
      `checks: every answer a complete PDF (%PDF- … %%EOF), the application at least 3 pages -> ${[cold, ...runs].every((r) => r.ok) ? 'ok' : 'FAILED'}`,
    );
    console.log(
      `machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB, load ${os
        .loadavg()
        .map((load) => fmt(load, 2))
        .join(
          ' ',
        )}; ${os.type()} ${os.release()}; node ${process.version}; PostgreSQL embedded (fsync on); app and benchmark in one process (RSS = both); gc ${hasGc ? 'before each request' : 'not exposed'}`,
    );
  } catch (error) {
    failed = true;
    console.error(error);
  } finally {
    await sampler?.terminate();
    await test?.close().catch((error: unknown) => console.error(error));
    await postgres?.stop().catch((error: unknown) => console.error(error));
    fs.rmSync(home, { recursive: true, force: true });
    log(`done in ${fmt((performance.now() - began) / 1000)} s`);
  }
  process.exitCode = failed ? 1 : 0;
}

if (isMainThread) void main();

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
 * The set-up is bench/support's (PostgreSQL, the app, the Qiaocheng places and signed contract,
 * the register generator, the RSS sampler). The script compiles into its own, emptied
 * `.tmp/bench-documents` (see bench/register-import.ts for why). Settings (environment): BENCH_ROWS (5000), BENCH_RUNS (3), BENCH_SEED (20150610).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { QRCodeToBufferOptions } from 'qrcode';
import { startApp } from './support/app';
import { expectStatus } from './support/http';
import { startRssSampler } from './support/memory';
import { qiaochengPlaces, signedContract, uploadClaimPapers } from './support/qiaocheng';
import { validRegister } from './support/register-csv';
import { runBench } from './support/run';
import { collectGarbage, fmt, int, log, machineLine, median, printTable } from './support/stats';
import { callOn } from './support/world';

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEED = Number(process.env.BENCH_SEED ?? 20150610);
const TARGET_SECONDS = 5;
const TARGET_BYTES = 2 * 1024 * 1024;
const MB = 1024 * 1024;
const TASK = { code: 'wheat_harvest', name: '小麦机收', priceYuan: '63.67' } as const;

// ---------------------------------------------------------------------------------------------
// Reading the PDF
// ---------------------------------------------------------------------------------------------

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
  const { DocumentsService } = await import('../src/modules/documents/documents.service.js');
  const { PdfForm } = await import('../src/modules/documents/pdf-form.js');
  const { ActorLoader } = await import('../src/modules/auth/actor.loader.js');
  const { ContractsService } = await import('../src/modules/contracts/contracts.service.js');
  const QRCode = (await import('qrcode')).default;
  const { qrPng } = await import('../src/modules/documents/qr-png.js');
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  await runBench({ name: 'documents' }, async ({ databaseUrl, cleanup }) => {
    const bench = await startApp(databaseUrl);
    cleanup(bench.close);
    const { test, port, endpoint } = bench;
    log(`app listening on 127.0.0.1:${port}; gc ${hasGc ? 'exposed' : 'NOT exposed'}`);
    const sampler = startRssSampler();
    cleanup(sampler.terminate);
    let failed = false;

    // --- the people and places, the signed contract (one task line)
    const places = await qiaochengPlaces(bench.api);
    const { coop, agri } = places;
    const { contractId } = await signedContract(test, places, 'DOCUMENTS', [TASK], '100000.00');

    // --- the register (one CSV through HTTP), the claim attachments, the claim
    const register = validRegister(ROWS, SEED, TASK);
    let mark = performance.now();
    const importBody = (await endpoint.call(
      'register import',
      200,
      'POST',
      `/contracts/${contractId}/register`,
      {
        session: coop,
        multipart: {
          fields: {},
          file: { name: `register-${ROWS}.csv`, type: 'text/csv', data: register.csv },
        },
      },
    )) as { accepted: number; rejected: unknown[] };
    if (importBody.accepted !== ROWS)
      throw new Error(
        `register import: accepted ${importBody.accepted} of ${ROWS}: ${JSON.stringify(importBody.rejected.slice(0, 5))}`,
      );
    log(
      `register: ${int(ROWS)} rows, ${fmt(register.areaHundredths / 100, 2)} mu imported in ${fmt((performance.now() - mark) / 1000, 2)} s`,
    );
    await uploadClaimPapers(callOn(endpoint), coop, contractId);
    mark = performance.now();
    await expectStatus(
      'claim',
      test.http().post(`/contracts/${contractId}/task-lines/${TASK.code}/claim`).set(coop.auth),
    );
    log(`claimed ${TASK.code} in ${fmt((performance.now() - mark) / 1000, 2)} s`);

    // --- the server's split (timing only, behaviour unchanged)
    type Prepared = { render: (output: Writable) => Promise<number> };
    type Prepare = (...args: unknown[]) => Promise<Prepared>;
    // A document is issued once and kept: every run below issues it anew (its issue forgotten
    // first), and the split times the drawing (`prepareDescribed`), not the description.
    const documents = test.app.get<unknown, { prepareDescribed: Prepare }>(DocumentsService);
    const originalPrepare = documents.prepareDescribed.bind(documents);
    const server = { prepare: NaN, render: NaN, firstWrite: NaN };
    documents.prepareDescribed = async (...args: unknown[]) => {
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
      await test.dataSource.query('DELETE FROM issued_document WHERE contract_id = $1', [
        contractId,
      ]);
      await collectGarbage();
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const { result: answer, rss } = await sampler.during(() =>
        endpoint.send('GET', `/contracts/${contractId}/documents/${kind}${query}`, {
          session: agri,
        }),
      );
      loopDelay.disable();
      if (answer.status !== 200)
        throw new Error(`${kind}: ${answer.status} ${answer.raw.toString().slice(0, 500)}`);
      const pages = countPages(answer.raw);
      const text = answer.raw.toString('latin1');
      const ok =
        text.startsWith('%PDF-') &&
        text.trimEnd().endsWith('%%EOF') &&
        pages > 0 &&
        (kind === 'application' ? pages >= 3 : true);
      return {
        kind,
        label,
        seconds: answer.ms / 1000,
        firstByteSeconds: answer.firstByteMs / 1000,
        prepareSeconds: server.prepare,
        renderSeconds: server.render,
        firstWriteSeconds: server.firstWrite,
        pages,
        bytes: answer.raw.length,
        split: splitBytes(answer.raw),
        rssBeforeMb: rss.before / MB,
        peakRssMb: rss.peak / MB,
        rssGrowthMb: (rss.peak - rss.before) / MB,
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
    type Draw = (form: InstanceType<typeof PdfForm>) => void | Promise<void>;
    type Describe = (
      actor: unknown,
      contract: unknown,
      kind: string,
      query: { taskCode?: string },
      baseUrl: string,
    ) => Promise<{ draw: Draw }>;
    const actor = await test.app.get(ActorLoader).load(agri.userId);
    if (!actor) throw new Error('no actor');
    const contract = await test.app.get(ContractsService).get(actor, contractId);
    const describeDocument = (documents as unknown as { describe: Describe }).describe.bind(
      documents,
    );
    const verifyUrl = `http://127.0.0.1:${port}/public/documents/${'0'.repeat(64)}`;
    // Each variant: its PNG and the median time to make it (the service makes one per document).
    const qrMade = async (make: () => Buffer | Promise<Buffer>): Promise<[Buffer, number]> => {
      const times: number[] = [];
      let png = await make();
      for (let i = 0; i < 21; i++) {
        const started = performance.now();
        png = await make();
        times.push(performance.now() - started);
      }
      return [png, median(times)];
    };
    const qrVariants: [string, Buffer, number][] = [
      [
        'QR as before (qrcode RGBA PNG, 160 px)',
        ...(await qrMade(() => QRCode.toBuffer(verifyUrl, { margin: 1, width: 160 }))),
      ],
      [
        'QR as 8-bit grayscale PNG without alpha (qrcode)',
        ...(await qrMade(() =>
          QRCode.toBuffer(verifyUrl, {
            margin: 1,
            width: 160,
            rendererOpts: { colorType: 0 },
          } as QRCodeToBufferOptions),
        )),
      ],
      [
        'QR as the service makes it now (1-bit PNG, qr-png.ts)',
        ...(await qrMade(() => qrPng(verifyUrl))),
      ],
      ['1×1 PNG (≈ no QR code)', grayPng(1), NaN],
    ];
    const renderStandalone = async (variant: string, png: Buffer): Promise<Standalone> => {
      const { draw } = await describeDocument(
        actor,
        contract,
        'register',
        { taskCode: TASK.code },
        `http://127.0.0.1:${port}`,
      );
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
        qrPng: png,
      });
      await draw(form); // page by page: it yields to the event loop after each page
      const drawn = performance.now();
      form.end();
      await finished;
      return {
        variant,
        qrBytes: png.length,
        drawSeconds: (drawn - started) / 1000,
        endSeconds: (performance.now() - drawn) / 1000,
        bytes,
        pages: form.pages,
      };
    };
    const standalone: Standalone[] = [];
    for (let run = 1; run <= RUNS; run++)
      for (const [variant, png] of qrVariants)
        standalone.push(await renderStandalone(variant, png));

    // --- report
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
    printTable(table, 2);
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
    for (const [variant, , makeMs] of qrVariants) {
      const ofVariant = standalone.filter((s) => s.variant === variant);
      const m = (f: (s: Standalone) => number) => median(ofVariant.map(f));
      const draw = m((s) => s.drawSeconds);
      const end = m((s) => s.endSeconds);
      const bytes = m((s) => s.bytes);
      const drawDelta = draw - median(reference.map((s) => s.drawSeconds));
      const bytesDelta = bytes - median(reference.map((s) => s.bytes));
      console.log(
        `  ${variant} (${int(m((s) => s.qrBytes))} bytes, made in ${fmt(makeMs, 2)} ms): drawing ${fmt(draw, 2)} s + end() to finish ${fmt(end, 3)} s = ${fmt(draw + end, 2)} s, ` +
          `${int(m((s) => s.pages))} pages, ${int(bytes)} bytes (${fmt(bytes / MB, 2)} MB)` +
          (variant === qrVariants[0][0]
            ? `; per row ${fmt((1e6 * draw) / ROWS)} µs`
            : `; vs the QR as before: ${drawDelta >= 0 ? '+' : ''}${fmt(drawDelta, 2)} s, ${bytesDelta >= 0 ? '+' : ''}${int(bytesDelta)} bytes`),
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
      machineLine(
        `PostgreSQL embedded (fsync on); app and benchmark in one process (RSS = both); gc ${hasGc ? 'before each request' : 'not exposed'}`,
      ),
    );
    return !failed;
  });
}

void main();

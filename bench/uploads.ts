/**
 * Uploads under load (docs/benchmarks.md, "Uploads"): what an attachment upload costs the rest of
 * the service, through HTTP.
 *
 *   npm run bench:uploads
 *
 * Starts its own PostgreSQL (embedded) and the real app in a child process (its own event loop
 * and resident set, as in production; the default UPLOAD_MAX_BYTES of 30 MiB; logging every
 * request at info, its output dropped). Setup, not timed:
 * one Qiaocheng with its contracts awarded (test/support/qiaocheng.ts). For each size (1, 10 and
 * 30 MiB) and each number of uploads at once (1 and 6), per run: POST /contracts/:id/attachments
 * with a file of that size from each client (distinct contents), while /health is asked every
 * 20 ms on a connection of its own; the app's resident set (VmRSS) is sampled every 20 ms and
 * its kernel high-water mark (VmHWM, reset before) read after. Baseline in the same run: the same
 * requests without a body (answered 400 at once), sent in a loop by as many clients for as long
 * as the uploads took, /health asked the same way. Figures: /health p50/p99/max and the app's RSS
 * growth (peak − before), medians of the runs; and the ratio to the baseline. Checked: every
 * upload 201 with the SHA-256 of what was sent, every /health 200.
 *
 * Targets (quality.md): /health p99 < 100 ms and RSS growth < 64 MB for a 30 MB upload and for
 * six at once.
 *
 * Settings (environment): BENCH_RUNS (3), BENCH_SIZES_MB (1,10,30), BENCH_CONCURRENCY (1,6).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { awardQiaocheng, buildQiaocheng } from '../test/support/qiaocheng';
import { startApp, startInstance, stopInstance } from './support/app';
import { runBench } from './support/run';
import { fmt, log, machineLine, median, percentile, printTable, sleep } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES_MB = (process.env.BENCH_SIZES_MB ?? '1,10,30').split(',').map(Number);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,6').split(',').map(Number);
const MiB = 2 ** 20;
const HEALTH_EVERY_MS = 20;
const TAIL_MS = 1_000;

interface Figures {
  p50: number;
  p99: number;
  max: number;
  healthCount: number;
  rssGrowthMb: number;
  wallMs: number;
}

/** One request on a connection of its own. */
function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, headers, agent: false },
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
    request.end(body);
  });
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return match ? Number(match[1]) * 1024 : NaN;
}

function resetPeak(pid: number): void {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not allowed here: the sampler's peak alone
  }
}

/**
 * Runs `load` while /health is asked every 20 ms on its own keep-alive connection and the app's
 * RSS is sampled; `TAIL_MS` more after the load ends (the old code froze after the answer).
 */
async function measured(
  port: number,
  pid: number,
  load: () => Promise<void>,
): Promise<{ figures: Figures; statuses: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const health = (): Promise<number> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        })
        .on('error', reject);
    });
  await health(); // the connection open before the clock starts
  resetPeak(pid);
  const before = procStatus(pid, 'VmRSS');
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(pid, 'VmRSS'))), 20);
  const latencies: number[] = [];
  const statuses: number[] = [];
  let stop = false;
  const poller = (async () => {
    while (!stop) {
      const began = performance.now();
      statuses.push(await health());
      latencies.push(performance.now() - began);
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  const started = performance.now();
  try {
    await load();
    const wallMs = performance.now() - started;
    await sleep(TAIL_MS);
    stop = true;
    await poller;
    clearInterval(sampler);
    peak = Math.max(peak, procStatus(pid, 'VmRSS'), procStatus(pid, 'VmHWM'));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      figures: {
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1],
        healthCount: sorted.length,
        rssGrowthMb: (peak - before) / MiB,
        wallMs,
      },
      statuses,
    };
  } finally {
    stop = true;
    clearInterval(sampler);
    await poller;
    agent.destroy();
  }
}

function multipart(content: Buffer, name: string): { body: Buffer; type: string } {
  const boundary = `----benchUploads${createHash('md5').update(name).digest('hex')}`;
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

void runBench({ name: 'uploads' }, async ({ databaseUrl, cleanup }) => {
  const setup = await startApp(databaseUrl);
  cleanup(setup.close);
  const q = await buildQiaocheng(setup.api);
  const { contractIds } = await awardQiaocheng(setup.api, q);
  const coop = q.coops[0];
  // Logging at info, as in production: every request's access line is written (to nowhere).
  const instance = await startInstance(
    databaseUrl,
    { jwtSecret: setup.test.config.jwtSecret, logLevel: 'info' },
    { stdout: 'ignore' },
  );
  cleanup(() => stopInstance(instance));
  const { port } = instance.endpoint;
  const path = `/contracts/${contractIds[0]}/attachments`;
  log(`app process ${instance.pid} on port ${port}; ${machineLine()}`);

  let failed = false;
  const rows: string[][] = [
    [
      'upload',
      'at once',
      'wall s',
      '/health p50 ms',
      'p99 ms',
      'max ms',
      'n',
      'RSS +MB',
      'no body: p99 ms',
      'RSS +MB',
      'p99 ratio',
    ],
  ];
  const summary: Record<string, { body: Figures[]; none: Figures[] }> = {};
  for (let run = 1; run <= RUNS; run++) {
    for (const sizeMb of SIZES_MB) {
      for (const clients of CONCURRENCY) {
        const key = `${sizeMb}×${clients}`;
        summary[key] ??= { body: [], none: [] };
        const files = Array.from({ length: clients }, (_, client) => {
          const content = Buffer.alloc(sizeMb * MiB);
          const seed = run * 1000 + client * 100 + sizeMb;
          for (let at = 0; at + 4 <= content.length; at += 4096)
            content.writeUInt32LE(((at + seed) * 2654435761) >>> 0, at);
          const sha256 = createHash('sha256').update(content).digest('hex');
          return { sha256, ...multipart(content, `bench-${key}-${run}-${client}.pdf`) };
        });
        const answers: { status: number; body: string }[] = [];
        const withBody = await measured(port, instance.pid, async () => {
          answers.push(
            ...(await Promise.all(
              files.map((file) =>
                post(
                  port,
                  path,
                  {
                    ...coop.auth,
                    'Content-Type': file.type,
                    'Content-Length': String(file.body.length),
                  },
                  file.body,
                ),
              ),
            )),
          );
        });
        const uploadsOk = answers.every(
          (answer, i) =>
            answer.status === 201 &&
            (JSON.parse(answer.body) as { sha256: string }).sha256 === files[i].sha256,
        );
        const wallMs = withBody.figures.wallMs;
        // The same requests without a body, by as many clients, for as long.
        const withoutBody = await measured(port, instance.pid, async () => {
          const until = performance.now() + wallMs;
          await Promise.all(
            Array.from({ length: clients }, async () => {
              do {
                const answer = await post(port, path, { ...coop.auth, 'Content-Length': '0' });
                if (answer.status !== 400) throw new Error(`no body: ${answer.status}`);
              } while (performance.now() < until);
            }),
          );
        });
        const healthOk = [...withBody.statuses, ...withoutBody.statuses].every((s) => s === 200);
        if (!uploadsOk || !healthOk) {
          failed = true;
          log(
            `run ${run} ${key}: uploads ${uploadsOk ? 'ok' : 'FAILED'}, /health ${healthOk ? 'ok' : 'FAILED'}`,
          );
        }
        summary[key].body.push(withBody.figures);
        summary[key].none.push(withoutBody.figures);
        log(
          `run ${run}: ${sizeMb} MiB × ${clients}: ${fmt(wallMs / 1000, 2)} s; /health p99 ${fmt(withBody.figures.p99)} ms ` +
            `(max ${fmt(withBody.figures.max)}, n ${withBody.figures.healthCount}), RSS +${fmt(withBody.figures.rssGrowthMb)} MB; ` +
            `without a body: p99 ${fmt(withoutBody.figures.p99)} ms, RSS +${fmt(withoutBody.figures.rssGrowthMb)} MB`,
        );
      }
    }
  }
  let targetsMet = true;
  for (const sizeMb of SIZES_MB) {
    for (const clients of CONCURRENCY) {
      const { body, none } = summary[`${sizeMb}×${clients}`];
      const m = (list: Figures[], pick: (f: Figures) => number) => median(list.map(pick));
      const p99 = m(body, (f) => f.p99);
      const rss = m(body, (f) => f.rssGrowthMb);
      const noneP99 = m(none, (f) => f.p99);
      if (sizeMb === 30 && (p99 >= 100 || rss >= 64)) targetsMet = false;
      rows.push([
        `${sizeMb} MiB`,
        String(clients),
        fmt(m(body, (f) => f.wallMs) / 1000, 2),
        fmt(m(body, (f) => f.p50)),
        fmt(p99),
        fmt(m(body, (f) => f.max)),
        String(m(body, (f) => f.healthCount)),
        fmt(rss),
        fmt(noneP99),
        fmt(m(none, (f) => f.rssGrowthMb)),
        `${fmt(p99 / noneP99, 2)}×`,
      ]);
    }
  }
  console.log(
    `\nAttachment uploads through HTTP, medians of ${RUNS} runs (/health every ${HEALTH_EVERY_MS} ms)`,
  );
  printTable(rows, 2);
  console.log(
    `targets for 30 MiB, 1 and 6 at once (/health p99 < 100 ms, RSS growth < 64 MB): ${targetsMet ? 'met' : 'NOT met'}`,
  );
  console.log(machineLine());
  return !failed;
});

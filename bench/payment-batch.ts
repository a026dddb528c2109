/**
 * A payment batch of BENCH_PAYOUTS (1000) payouts reconciled from one bank result file through
 * HTTP (docs/benchmarks.md, "Payment batches").
 *
 *   npm run bench:payment-batch
 *
 * Starts its own PostgreSQL (embedded, fsync on) and the real app on 127.0.0.1 with the test
 * clock. For every run (BENCH_RUNS, 3), setup, not timed: a new district with BENCH_PAYOUTS +
 * BENCH_BASELINE contracts of one village × one task driven to payable (test/support/payable.ts)
 * and their payouts issued. Timed: POST /payment-batches (all of them but the baseline's), GET its
 * file as CSV and as XLSX, POST the result file (BENCH_PAYOUTS rows, every 20th failed) — then the
 * same file again (the stored answer). Baseline in the same run: BENCH_BASELINE (100) payouts
 * confirmed the old way, `POST /payouts/:id/confirm` one after the other.
 * Checked: the answer, the batch reconciled with its per-state figures, one payout event per
 * contract, Σ confirmed = Σ subsidy of paid contracts, the audit chain.
 *
 * Settings (environment): BENCH_PAYOUTS (1000), BENCH_BASELINE (100), BENCH_RUNS (3),
 * BENCH_SETUP_DRIVERS (8).
 */
import { performance } from 'node:perf_hooks';
import type { Api } from '../test/support/api';
import { payableContracts } from '../test/support/payable';
import type { TestApp } from '../test/support/test-app';
import { startApp } from './support/app';
import type { Endpoint } from './support/http';
import { runBench } from './support/run';
import { cpuMeter, fmt, log, machineLine, median } from './support/stats';
import { inParallel } from './support/world';

const PAYOUTS = Number(process.env.BENCH_PAYOUTS ?? 1000);
const BASELINE = Number(process.env.BENCH_BASELINE ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SETUP_DRIVERS = Number(process.env.BENCH_SETUP_DRIVERS ?? 8);

interface Issued {
  id: string;
  payoutNo: string;
  contractId: string;
  amountFen: number;
  payee: { bankAccountNo: string };
}

interface RunResult {
  createMs: number;
  csvMs: number;
  xlsxMs: number;
  uploadMs: number;
  replayMs: number;
  baselineMsPerPayout: number;
  nodeMsPerRow: number;
  postgresMsPerRow: number;
  checks: Record<string, boolean>;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

async function run(
  test: TestApp,
  api: Api,
  endpoint: Endpoint,
  pgDataDir: string,
  index: number,
): Promise<RunResult> {
  const setupStarted = performance.now();
  const world = await payableContracts(test, api, PAYOUTS + BASELINE, SETUP_DRIVERS);
  const finance = world.finance;
  const payouts = await inParallel(world.contractIds, SETUP_DRIVERS, async (contractId) => {
    const reply = await endpoint.send('POST', `/contracts/${contractId}/payouts`, {
      session: finance,
      json: {},
      headers: { 'idempotency-key': `bench-${contractId}` },
    });
    if (reply.status !== 201)
      throw new Error(`payout: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as Issued;
  });
  log(
    `run ${index}: setup of ${payouts.length} payable contracts and payouts in ${fmt((performance.now() - setupStarted) / 1000)} s`,
  );
  const baseline = payouts.slice(0, BASELINE);
  const batchPayouts = payouts.slice(BASELINE);

  // Baseline: the old way, one confirm per payout, one after the other.
  let started = performance.now();
  for (const payout of baseline) {
    const reply = await endpoint.send('POST', `/payouts/${payout.id}/confirm`, {
      session: finance,
      json: { bankReference: `HAND-${payout.payoutNo}` },
    });
    if (reply.status !== 200) throw new Error(`confirm: ${reply.status}`);
  }
  const baselineMsPerPayout = (performance.now() - started) / Math.max(1, baseline.length);

  started = performance.now();
  const created = await endpoint.send('POST', '/payment-batches', { session: finance, json: {} });
  const createMs = performance.now() - started;
  if (created.status !== 201)
    throw new Error(`batch: ${created.status} ${JSON.stringify(created.body)}`);
  const batch = created.body as { id: string; count: number; totalFen: number };

  started = performance.now();
  const csvFile = await endpoint.send('GET', `/payment-batches/${batch.id}/file?format=csv`, {
    session: finance,
  });
  const csvMs = performance.now() - started;
  started = performance.now();
  const xlsxFile = await endpoint.send('GET', `/payment-batches/${batch.id}/file?format=xlsx`, {
    session: finance,
  });
  const xlsxMs = performance.now() - started;
  if (csvFile.status !== 200 || xlsxFile.status !== 200) throw new Error('batch file');

  // The bank's answer: every 20th payout failed.
  const lines = ['拨付单号,银行账号,金额(元),状态,银行流水号,失败原因'];
  let failedFen = 0;
  batchPayouts.forEach((payout, i) => {
    const failed = i % 20 === 19;
    if (failed) failedFen += payout.amountFen;
    lines.push(
      [
        payout.payoutNo,
        payout.payee.bankAccountNo,
        yuan(payout.amountFen),
        failed ? '失败' : '成功',
        failed ? '' : `NX${index}${String(i).padStart(6, '0')}`,
        failed ? '账户已销户' : '',
      ].join(','),
    );
  });
  const file = Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  const upload = () =>
    endpoint.send('POST', `/payment-batches/${batch.id}/result`, {
      session: finance,
      multipart: { fields: {}, file: { name: 'result.csv', type: 'text/csv', data: file } },
    });
  const meter = cpuMeter(pgDataDir);
  const answer = await upload();
  const cpu = meter.stop();
  const uploadMs = cpu.wallMs;
  started = performance.now();
  const replay = await upload();
  const replayMs = performance.now() - started;

  const failedCount = Math.floor(batchPayouts.length / 20);
  const detail = await endpoint.send('GET', `/payment-batches/${batch.id}`, { session: finance });
  const figures = detail.body as {
    state: string;
    byState: Record<'issued' | 'confirmed' | 'failed', { count: number; amountFen: number }>;
  };
  const [facts] = await test.dataSource.query<
    { events: number; contracts: number; confirmed: string; subsidy: string }[]
  >(
    `SELECT (SELECT count(*)::int FROM contract_history
              WHERE contract_id = ANY($1::uuid[]) AND event IN ('payout.confirmed', 'payout.failed')) AS events,
            cardinality($1::uuid[]) AS contracts,
            (SELECT coalesce(sum(p.amount_fen), 0) FROM payout p JOIN contract c ON c.id = p.contract_id
              WHERE c.project_id = $2 AND p.state = 'confirmed') AS confirmed,
            (SELECT coalesce(sum(subsidy_fen), 0) FROM contract WHERE project_id = $2 AND state = 'paid') AS subsidy`,
    [world.contractIds, world.projectId],
  );
  const chain = await endpoint.send('GET', '/audit-log/verify', { session: world.admin });
  const body = answer.body as { confirmed: number; failed: number; rejected: unknown[] };
  const checks = {
    'answer: confirmed, failed, none rejected':
      answer.status === 200 &&
      body.confirmed === batchPayouts.length - failedCount &&
      body.failed === failedCount &&
      body.rejected.length === 0,
    'the same file again: the same answer': JSON.stringify(replay.body) === JSON.stringify(body),
    'batch reconciled, figures agree':
      figures.state === 'reconciled' &&
      figures.byState.issued.count === 0 &&
      figures.byState.failed.count === failedCount &&
      figures.byState.failed.amountFen === failedFen &&
      figures.byState.confirmed.amountFen === batch.totalFen - failedFen,
    'one payout event per contract': facts.events === facts.contracts,
    'Σ confirmed = Σ subsidy of paid contracts': Number(facts.confirmed) === Number(facts.subsidy),
    'audit chain ok': (chain.body as { ok: boolean }).ok === true,
  };
  const rows = batchPayouts.length;
  return {
    createMs,
    csvMs,
    xlsxMs,
    uploadMs,
    replayMs,
    baselineMsPerPayout,
    nodeMsPerRow: cpu.nodeMs / rows,
    postgresMsPerRow: cpu.postgresMs / rows,
    checks,
  };
}

void runBench({ name: 'batch' }, async ({ pg, databaseUrl, cleanup }) => {
  const bench = await startApp(databaseUrl, { testClock: true });
  cleanup(bench.close);
  let failed = false;
  const results: RunResult[] = [];
  for (let index = 1; index <= RUNS; index++) {
    const result = await run(bench.test, bench.api, bench.endpoint, pg.dataDir, index);
    results.push(result);
    log(
      `run ${index}: upload of ${PAYOUTS} rows ${fmt(result.uploadMs)} ms = ${fmt((PAYOUTS / result.uploadMs) * 1000)} rows/s; by hand ${fmt(result.baselineMsPerPayout)} ms per payout; create ${fmt(result.createMs)} ms, CSV ${fmt(result.csvMs)} ms, XLSX ${fmt(result.xlsxMs)} ms, same file again ${fmt(result.replayMs)} ms`,
    );
    for (const [name, ok] of Object.entries(result.checks)) {
      if (!ok) failed = true;
      log(`run ${index}: check ${name}: ${ok ? 'ok' : 'FAILED'}`);
    }
  }
  const m = (pick: (result: RunResult) => number) => median(results.map(pick));
  const upload = m((r) => r.uploadMs);
  const perRow = upload / PAYOUTS;
  const byHand = m((r) => r.baselineMsPerPayout);
  console.log(`\nPayment batch of ${PAYOUTS} payouts, one result file, medians of ${RUNS} runs`);
  console.log(
    `result upload: ${fmt(upload / 1000, 2)} s = ${fmt(PAYOUTS / (upload / 1000))} rows/s (${fmt(perRow, 2)} ms per row; runs ${results.map((r) => fmt(r.uploadMs / 1000, 2)).join(', ')} s)`,
  );
  console.log(
    `baseline, POST /payouts/:id/confirm one at a time: ${fmt(byHand, 2)} ms per payout; the file takes ${fmt(perRow / byHand, 2)}× that per payout`,
  );
  console.log(
    `CPU per row: node ${fmt(
      m((r) => r.nodeMsPerRow),
      2,
    )} ms, postgres ${fmt(
      m((r) => r.postgresMsPerRow),
      2,
    )} ms`,
  );
  console.log(
    `create batch ${fmt(m((r) => r.createMs))} ms, file CSV ${fmt(m((r) => r.csvMs))} ms, XLSX ${fmt(m((r) => r.xlsxMs))} ms, the same file again ${fmt(m((r) => r.replayMs))} ms`,
  );
  console.log(machineLine());
  return !failed;
});

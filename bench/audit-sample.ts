import { performance } from 'node:perf_hooks';
import {
  drawSample,
  sampleSeed,
  sampleSize,
  type SampleCandidate,
} from '../src/modules/contracts/machine/audit-sample';

/**
 * The audit sample's draw on a large contract (issue 24): 5,000 register rows over 2 task lines
 * × 10 villages, at the default 5 % and at 20 % and 30 %: how many rows are drawn and how long
 * the pure draw takes (the SHA-256 of every row and the exact BigInt comparisons). The service
 * adds one indexed read of the candidates and one INSERT of the drawn rows.
 * `npm run bench:audit-sample`; figures in docs/benchmarks.md.
 */
const ROWS = 5000;
const candidates: SampleCandidate[] = Array.from({ length: ROWS }, (_, index) => ({
  rowId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  rowNo: 2 + Math.floor(index / 20),
  taskCode: index % 2 === 0 ? 'wheat_harvest' : 'straw_crushing',
  villageCode: `3416021042${String(10 + (Math.floor(index / 2) % 10)).padStart(2, '0')}`,
  verifiedArea: 200 + ((index * 37) % 600),
}));
const seed = sampleSeed('7d1c1f3e-2a44-4b7a-9d65-3c0f5f0c9a11', 'ab'.repeat(32));

for (const [ratePct, rateBasisPoints] of [
  ['5', 500],
  ['20', 2000],
  ['30', 3000],
] as const) {
  const parameters = { rateBasisPoints, minPerVillage: 1 };
  drawSample(seed, candidates, parameters); // warm up
  const runs = 20;
  const started = performance.now();
  let drawn = 0;
  for (let run = 0; run < runs; run += 1) drawn = drawSample(seed, candidates, parameters).length;
  const ms = (performance.now() - started) / runs;
  console.log(
    `${ROWS} rows, 20 village parts of 250, rate ${ratePct} %: ${drawn} rows drawn (${sampleSize(250, parameters)} a part), ${ms.toFixed(1)} ms a draw`,
  );
}

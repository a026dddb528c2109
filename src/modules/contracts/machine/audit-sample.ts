import { createHash } from 'node:crypto';

/**
 * The district audit's sample (api.md, "District audit by sample"): which register rows the
 * district visits, drawn from a seed nobody picks, and how much area the visits support. Pure:
 * the same facts give the same answer, so anyone with the audit log can re-draw the sample.
 *
 * Percentages are integer hundredths of a percent (5.00 % = 500); areas are hundredths of a mu.
 */

/** A register row that may be drawn: not withdrawn, verified above 0. */
export interface SampleCandidate {
  rowId: string;
  /** The row number of the imported sheet: the first tie-break. */
  rowNo: number;
  taskCode: string;
  villageCode: string;
  /** Hundredths of a mu (the weight w). */
  verifiedArea: number;
}

export interface SampleParameters {
  /** Hundredths of a percent: 0 < rate ≤ 10000. */
  rateBasisPoints: number;
  minPerVillage: number;
}

/** Without a policy's `auditSample`: 5 %, at least 1 row per village part, 2 % tolerance. */
export const DEFAULT_AUDIT_SAMPLE = {
  rateBasisPoints: 500,
  minPerVillage: 1,
  toleranceBasisPoints: 200,
} as const;

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The seed: SHA-256 of `<contractId>:<hash of the chain's last event before the draw>`. */
export function sampleSeed(contractId: string, chainHeadHash: string): string {
  return sha256Hex(`${contractId}:${chainHeadHash}`);
}

/** h of a row: SHA-256 of `<seed>:<rowId>` as a 256-bit unsigned integer. */
export function rowHash(seed: string, rowId: string): bigint {
  return BigInt(`0x${sha256Hex(`${seed}:${rowId}`)}`);
}

/** How many rows of a village part with this many candidates are drawn. */
export function sampleSize(candidates: number, parameters: SampleParameters): number {
  // ceil(rate × n / 100) with the rate in hundredths of a percent, in integers.
  const byRate = Math.ceil((parameters.rateBasisPoints * candidates) / 10_000);
  return Math.min(candidates, Math.max(parameters.minPerVillage, byRate));
}

/** A candidate with its h (rowHash): what the priority order compares. */
export interface RankedCandidate extends SampleCandidate {
  h: bigint;
}

/**
 * The priority order of api.md: row i before row j when w_i × (h_j + 1) > w_j × (h_i + 1),
 * compared exactly; ties by the lower row number, then the lower row id. A comparator for
 * `Array.prototype.sort` (negative: `a` first).
 */
export function comparePriority(a: RankedCandidate, b: RankedCandidate): number {
  const left = BigInt(a.verifiedArea) * (b.h + 1n);
  const right = BigInt(b.verifiedArea) * (a.h + 1n);
  if (left > right) return -1;
  if (left < right) return 1;
  return a.rowNo - b.rowNo || compareStrings(a.rowId, b.rowId);
}

/** Code-unit order of two strings (not the locale's): row ids and part keys. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const partKey = (candidate: SampleCandidate): string =>
  `${candidate.taskCode}\u0000${candidate.villageCode}`;

/**
 * Priority sampling: per village part of every task line, the candidates with the largest
 * w / (h + 1), compared exactly. The result is ordered by task code, village code, then priority,
 * whatever the order of the input. Candidates with no area are never drawn.
 */
export function drawSample(
  seed: string,
  candidates: readonly SampleCandidate[],
  parameters: SampleParameters,
): SampleCandidate[] {
  const parts = new Map<string, RankedCandidate[]>();
  for (const candidate of candidates) {
    if (candidate.verifiedArea <= 0) continue;
    const key = partKey(candidate);
    const ranked = { ...candidate, h: rowHash(seed, candidate.rowId) };
    const part = parts.get(key);
    if (part) part.push(ranked);
    else parts.set(key, [ranked]);
  }
  const drawn: SampleCandidate[] = [];
  for (const key of [...parts.keys()].sort(compareStrings)) {
    const part = parts.get(key) as RankedCandidate[];
    part.sort(comparePriority);
    for (const { h: _h, ...row } of part.slice(0, sampleSize(part.length, parameters))) {
      drawn.push(row);
    }
  }
  return drawn;
}

/** What the visits of one task line found, in hundredths of a mu. */
export interface SampleOutcome {
  /** S: the verified areas of the task line's sampled rows. */
  sampledArea: number;
  /** O: the areas the visits observed on them. */
  observedArea: number;
  /** A: the task line's accepted area. */
  acceptedArea: number;
  /** Hundredths of a percent. */
  toleranceBasisPoints: number;
}

/**
 * The most the audit may name for a task line once its sampled rows are visited. A shortfall
 * S − O within the tolerance (S − O ≤ tolerance % of S) pays what was seen: A − (S − O);
 * beyond it the shortfall is assumed for the rows not visited: floor(A × O / S). Never below 0;
 * a task line without sampled area keeps its accepted area. Takes 0 ≤ O ≤ S (a visit observes at
 * most its row's verified area): with S = 0, O = 0 is within any tolerance and gives A, so the
 * division is reached only with S > O ≥ 0.
 */
export function maxAuditedArea(outcome: SampleOutcome): number {
  const { sampledArea: s, observedArea: o, acceptedArea: a } = outcome;
  const shortfall = s - o;
  if (BigInt(shortfall) * 10_000n <= BigInt(outcome.toleranceBasisPoints) * BigInt(s)) {
    return Math.max(0, a - shortfall);
  }
  return Number((BigInt(a) * BigInt(o)) / BigInt(s));
}

/** The shortfall (S − O) / S in hundredths of a percent, rounded half up; 0 without sampled area. */
export function shortfallBasisPoints(sampledArea: number, observedArea: number): number {
  if (sampledArea <= 0) return 0;
  const scaled = BigInt(sampledArea - observedArea) * 10_000n;
  const s = BigInt(sampledArea);
  return Number((scaled * 2n + s) / (2n * s));
}

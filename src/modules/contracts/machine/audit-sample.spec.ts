import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  DEFAULT_AUDIT_SAMPLE,
  comparePriority,
  compareStrings,
  drawSample,
  maxAuditedArea,
  rowHash,
  sampleSeed,
  sampleSize,
  shortfallBasisPoints,
  type RankedCandidate,
  type SampleCandidate,
} from './audit-sample';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261207);
const CASES = Number(process.env.AUDIT_SAMPLE_CASES ?? 300);

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

const candidate = fc.record({
  rowId: fc.uuid(),
  rowNo: fc.integer({ min: 2, max: 5000 }),
  taskCode: fc.constantFrom('T1', 'T2'),
  villageCode: fc.constantFrom('V1', 'V2', 'V3'),
  verifiedArea: fc.integer({ min: 0, max: 100_000 }),
});
const candidates = fc.uniqueArray(candidate, { selector: (row) => row.rowId, maxLength: 60 });
const parameters = fc.record({
  rateBasisPoints: fc.integer({ min: 1, max: 10_000 }),
  minPerVillage: fc.integer({ min: 0, max: 1000 }),
});
const seed = fc.string({ minLength: 1, maxLength: 20 }).map(hex);

describe('audit sample: the draw (priority sampling)', () => {
  it('the seed and a row hash follow api.md literally', () => {
    const contractId = '0b6f1f9e-3a53-4c7e-9e43-4a4f3f0b2a11';
    const head = 'a'.repeat(64);
    expect(sampleSeed(contractId, head)).toBe(hex(`${contractId}:${head}`));
    const s = sampleSeed(contractId, head);
    expect(rowHash(s, 'r1')).toBe(BigInt(`0x${hex(`${s}:r1`)}`));
    // A hash with leading zero bytes still reads as its number (no sign, no truncation).
    expect(rowHash(s, 'r1') >= 0n).toBe(true);
  });

  it('the same seed and rows give the same sample in any input order', () => {
    fc.assert(
      fc.property(seed, candidates, parameters, fc.func(fc.integer()), (s, rows, params, key) => {
        const shuffled = [...rows].sort((a, b) => key(a.rowId) - key(b.rowId));
        expect(drawSample(s, shuffled, params)).toEqual(drawSample(s, rows, params));
        expect(drawSample(s, [...rows].reverse(), params)).toEqual(drawSample(s, rows, params));
      }),
      { seed: SEED, numRuns: CASES },
    );
  });

  it('per village part: min(candidates, max(minPerVillage, ceil(rate × candidates / 100))) rows, only candidates', () => {
    fc.assert(
      fc.property(seed, candidates, parameters, (s, rows, params) => {
        const drawn = drawSample(s, rows, params);
        const ids = new Set(drawn.map((row) => row.rowId));
        expect(ids.size).toBe(drawn.length);
        for (const row of drawn) expect(row.verifiedArea).toBeGreaterThan(0);
        const parts = new Map<string, number>();
        for (const row of rows.filter((r) => r.verifiedArea > 0)) {
          const key = `${row.taskCode}/${row.villageCode}`;
          parts.set(key, (parts.get(key) ?? 0) + 1);
        }
        for (const [key, n] of parts) {
          // The reference in exact fractions: the smallest k with k × 10000 ≥ rate × n.
          let byRate = 0;
          while (byRate * 10_000 < params.rateBasisPoints * n) byRate += 1;
          const expected = Math.min(n, Math.max(params.minPerVillage, byRate));
          const got = drawn.filter((row) => `${row.taskCode}/${row.villageCode}` === key).length;
          expect(got).toBe(expected);
        }
        expect(drawn.length).toBe(
          [...parts.values()].reduce(
            (total, n) =>
              total +
              Math.min(
                n,
                Math.max(params.minPerVillage, Math.ceil((params.rateBasisPoints * n) / 10_000)),
              ),
            0,
          ),
        );
      }),
      { seed: SEED, numRuns: CASES },
    );
  });

  it('the size rule at its edges, with a rate of 2 decimals', () => {
    const at = (n: number, rate: number, min: number) =>
      sampleSize(n, { rateBasisPoints: rate, minPerVillage: min });
    expect(at(0, 500, 1)).toBe(0);
    expect(at(1, 500, 1)).toBe(1);
    expect(at(20, 500, 1)).toBe(1);
    expect(at(21, 500, 1)).toBe(2);
    expect(at(100, 2001, 0)).toBe(21); // 20.01 % of 100 = 20.01 → 21
    expect(at(100, 2000, 0)).toBe(20);
    expect(at(3, 10_000, 0)).toBe(3);
    expect(at(3, 1, 5)).toBe(3);
    expect(at(30, 3000, 1)).toBe(9);
    expect(DEFAULT_AUDIT_SAMPLE).toEqual({
      rateBasisPoints: 500,
      minPerVillage: 1,
      toleranceBasisPoints: 200,
    });
  });

  it('the order: exact comparison of w × (h + 1), ties by row number then row id', () => {
    const s = hex('ties');
    const same = (rowId: string, rowNo: number): SampleCandidate => ({
      rowId,
      rowNo,
      taskCode: 'T1',
      villageCode: 'V1',
      verifiedArea: 100,
    });
    // The same id twice cannot be told apart by h: the row number decides, then the id.
    const rows = [same('b', 3), same('b', 2), same('a', 3)];
    const drawn = drawSample(s, rows, { rateBasisPoints: 10_000, minPerVillage: 0 });
    const ha = rowHash(s, 'a');
    const hb = rowHash(s, 'b');
    const first = ha < hb ? 'a' : 'b';
    expect(drawn[0].rowId).toBe(first);
    expect(drawn.filter((row) => row.rowId === 'b').map((row) => row.rowNo)).toEqual([2, 3]);
    // Rows of equal w and equal h (the same id) in one part: lower row number, then lower id.
    const twins = [same('z', 5), same('z', 4)];
    expect(
      drawSample(s, twins, { rateBasisPoints: 5000, minPerVillage: 0 }).map((r) => r.rowNo),
    ).toEqual([4]);
    const byId = [{ ...same('y', 4), verifiedArea: 0 }, same('x', 4)];
    expect(drawSample(s, byId, { rateBasisPoints: 10_000, minPerVillage: 0 })).toHaveLength(1);
  });

  it('the order itself, on chosen h: w × (h + 1) exactly, then row number, then row id', () => {
    const ranked = (rowId: string, rowNo: number, w: number, h: bigint): RankedCandidate => ({
      rowId,
      rowNo,
      taskCode: 'T1',
      villageCode: 'V1',
      verifiedArea: w,
      h,
    });
    // 3 × (2 + 1) = 9 < 5 × (1 + 1) = 10: the second row first, though its h is larger.
    const a = ranked('a', 2, 3, 1n);
    const b = ranked('b', 3, 5, 2n);
    expect(comparePriority(a, b)).toBe(1);
    expect(comparePriority(b, a)).toBe(-1);
    // h = 0 is the highest priority there is: (h + 1) never lets a product be 0.
    expect(comparePriority(ranked('c', 2, 1, 0n), ranked('d', 3, 2, 2n))).toBe(-1);
    // An exact tie of the products with different h (2 × (3 + 1) = 4 × (1 + 1)): the lower row
    // number, whatever the ids say…
    const tieLow = ranked('z', 7, 2, 1n);
    const tieHigh = ranked('a', 9, 4, 3n);
    expect(comparePriority(tieLow, tieHigh)).toBeLessThan(0);
    expect(comparePriority(tieHigh, tieLow)).toBeGreaterThan(0);
    // …then the lower row id, and 0 only for the same row.
    const sameNo = ranked('m', 7, 4, 3n);
    expect(comparePriority(tieLow, sameNo)).toBe(1);
    expect(comparePriority(sameNo, tieLow)).toBe(-1);
    expect(comparePriority(sameNo, { ...sameNo })).toBe(0);
    // Huge h (256 bits) stay exact: 1 × (2^255 + 3) against 2 × (2^254 + 1) differ by one unit,
    // which a floating-point quotient would call a tie.
    const x = ranked('x', 3, 1, 2n ** 254n);
    const y = ranked('y', 2, 2, 2n ** 255n + 2n);
    expect(comparePriority(x, y)).toBe(-1);
    expect(comparePriority(y, x)).toBe(1);
    // Strings in code-unit order, not the locale's.
    expect(compareStrings('B', 'a')).toBe(-1);
    expect(compareStrings('a', 'B')).toBe(1);
    expect(compareStrings('a', 'a')).toBe(0);
  });

  it('the sample is ordered by task code, then village code, whatever the input order', () => {
    const s = hex('parts');
    const row = (rowId: string, taskCode: string, villageCode: string): SampleCandidate => ({
      rowId,
      rowNo: 2,
      taskCode,
      villageCode,
      verifiedArea: 100,
    });
    const rows = [
      row('r4', 'T2', 'V2'),
      row('r3', 'T2', 'V1'),
      row('r2', 'T1', 'V2'),
      row('r1', 'T1', 'V1'),
    ];
    const all = { rateBasisPoints: 10_000, minPerVillage: 1 };
    const parts = (drawn: SampleCandidate[]) => drawn.map((r) => `${r.taskCode}/${r.villageCode}`);
    expect(parts(drawSample(s, rows, all))).toEqual(['T1/V1', 'T1/V2', 'T2/V1', 'T2/V2']);
    expect(parts(drawSample(s, [...rows].reverse(), all))).toEqual([
      'T1/V1',
      'T1/V2',
      'T2/V1',
      'T2/V2',
    ]);
  });

  it('a row with twice the area is drawn about twice as often, the sample under half the candidates', () => {
    // One village part: 10 rows of 2.00 mu and 30 of 1.00 mu; 10 % → 4 of 40 rows per draw.
    const rows: SampleCandidate[] = Array.from({ length: 40 }, (_, index) => ({
      rowId: `row-${String(index).padStart(2, '0')}`,
      rowNo: index + 2,
      taskCode: 'T1',
      villageCode: 'V1',
      verifiedArea: index < 10 ? 200 : 100,
    }));
    const seeds = Number(process.env.AUDIT_SAMPLE_SEEDS ?? 4000);
    const drawnCount = new Map<string, number>();
    for (let draw = 0; draw < seeds; draw += 1) {
      const drawn = drawSample(hex(`seed-${draw}`), rows, {
        rateBasisPoints: 1000,
        minPerVillage: 1,
      });
      expect(drawn.length).toBe(4);
      expect(drawn.length * 2).toBeLessThan(rows.length);
      for (const row of drawn) drawnCount.set(row.rowId, (drawnCount.get(row.rowId) ?? 0) + 1);
    }
    const rate = (area: number) => {
      const of = rows.filter((row) => row.verifiedArea === area);
      return (
        of.reduce((total, row) => total + (drawnCount.get(row.rowId) ?? 0), 0) / of.length / seeds
      );
    };
    const large = rate(200);
    const small = rate(100);
    const table = [
      `audit sample frequencies over ${seeds.toLocaleString('en')} seeds (40 candidates, 4 drawn each time):`,
      `  area 2.00 mu (10 rows): drawn in ${(large * 100).toFixed(2)} % of draws per row`,
      `  area 1.00 mu (30 rows): drawn in ${(small * 100).toFixed(2)} % of draws per row`,
      `  ratio: ${(large / small).toFixed(3)}`,
    ].join('\n');
    console.log(table);
    expect(large / small).toBeGreaterThan(1.7);
    expect(large / small).toBeLessThan(2.3);
    // Every row is drawn sometimes: nobody is left out of the sample for good.
    for (const row of rows) expect(drawnCount.get(row.rowId) ?? 0).toBeGreaterThan(0);
  });
});

describe('audit sample: the most the visits support', () => {
  const outcome = (s: number, o: number, a: number, tolerance: number) =>
    maxAuditedArea({
      sampledArea: s,
      observedArea: o,
      acceptedArea: a,
      toleranceBasisPoints: tolerance,
    });

  it('a shortfall equal to the tolerance pays what was seen; one hundredth above, the ratio', () => {
    // S = 100.00 mu, tolerance 2 %: 2.00 mu short is within it.
    expect(outcome(10_000, 9_800, 50_000, 200)).toBe(50_000 - 200);
    // 2.01 mu short: beyond it, floor(A × O / S) = floor(50000 × 9799 / 10000) = 48995.
    expect(outcome(10_000, 9_799, 50_000, 200)).toBe(48_995);
    // The floor in hundredths: 333.33… → 333.
    expect(outcome(300, 200, 500, 0)).toBe(333);
    // No shortfall: the accepted area.
    expect(outcome(10_000, 10_000, 50_000, 0)).toBe(50_000);
    // Tolerance with 2 decimals: 1.50 % of 200.00 mu = 3.00 mu.
    expect(outcome(20_000, 19_700, 80_000, 150)).toBe(79_700);
    expect(outcome(20_000, 19_699, 80_000, 150)).toBe(Math.floor((80_000 * 19_699) / 20_000));
    // Nothing sampled on the line: the accepted area; never below 0.
    expect(outcome(0, 0, 700, 200)).toBe(700);
    expect(outcome(10_000, 9_900, 50, 200)).toBe(0);
    expect(outcome(10_000, 0, 50_000, 10_000)).toBe(40_000);
  });

  it('exact for large areas (no floating point): equals the BigInt reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (s, fraction, a, tolerance) => {
          const o = Math.floor(s * fraction);
          const within = BigInt(s - o) * 10_000n <= BigInt(tolerance) * BigInt(s);
          const expected = within
            ? BigInt(Math.max(0, a - (s - o)))
            : (BigInt(a) * BigInt(o)) / BigInt(s);
          const got = outcome(s, o, a, tolerance);
          expect(BigInt(got)).toBe(expected);
          expect(got).toBeLessThanOrEqual(a);
        },
      ),
      { seed: SEED, numRuns: CASES * 10 },
    );
  });

  it('the shortfall in hundredths of a percent, rounded half up', () => {
    expect(shortfallBasisPoints(0, 0)).toBe(0);
    expect(shortfallBasisPoints(10_000, 9_800)).toBe(200);
    expect(shortfallBasisPoints(30_000, 29_999)).toBe(0); // 0.333 bp
    expect(shortfallBasisPoints(20_000, 19_999)).toBe(1); // 0.5 bp → 1
    expect(shortfallBasisPoints(300, 200)).toBe(3333);
  });
});

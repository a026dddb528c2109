import fc from 'fast-check';
import { amountFen } from './money';

describe('amountFen', () => {
  it('computes the example of domain.md: 1,234.56 mu × 63.67 yuan/mu = 78,604.44 yuan', () => {
    expect(amountFen(123456, 6367)).toBe(7860444);
  });

  it('rounds an exact half fen up', () => {
    expect(amountFen(50, 1)).toBe(1); // 0.50 mu × 0.01 yuan = 0.005 yuan → 0.01
    expect(amountFen(49, 1)).toBe(0);
    expect(amountFen(150, 1933)).toBe(2900); // 1.5 × 19.33 = 28.995 → 29.00
  });

  it('equals the BigInt reference for random areas and prices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (area, price) => {
          const exact = BigInt(area) * BigInt(price);
          const floor = exact / 100n;
          const expected = exact % 100n >= 50n ? floor + 1n : floor;
          expect(BigInt(amountFen(area, price))).toBe(expected);
        },
      ),
      { seed: 6367, numRuns: 2000 },
    );
  });

  it('refuses what is not a safe integer, a negative value, and a total beyond a safe integer', () => {
    expect(() => amountFen(1.5, 100)).toThrow(TypeError);
    expect(() => amountFen(100, 1.5)).toThrow(TypeError);
    expect(() => amountFen(2 ** 53, 1)).toThrow(TypeError);
    expect(() => amountFen(-1, 100)).toThrow(RangeError);
    expect(() => amountFen(100, -1)).toThrow(RangeError);
    expect(amountFen(0, 0)).toBe(0);
    // The largest total that is still a safe integer passes; one fen more is refused.
    expect(amountFen(Number.MAX_SAFE_INTEGER, 100)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => amountFen(Number.MAX_SAFE_INTEGER, 101)).toThrow(RangeError);
  });
});

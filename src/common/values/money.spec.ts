import fc from 'fast-check';
import { amountFen, subsidyPerMuFen } from './money';

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

  it('says what was wrong (the message a failed job logs)', () => {
    expect(() => amountFen(1.5, 100)).toThrow(
      'amountFen takes integer hundredths of a mu and integer fen',
    );
    expect(() => amountFen(-1, 100)).toThrow('amountFen takes non-negative values');
    expect(() => amountFen(Number.MAX_SAFE_INTEGER, 101)).toThrow('amount too large');
  });
});

describe('subsidyPerMuFen', () => {
  it('refuses a unit price or a share it cannot take, with what was wrong', () => {
    const policy = (shareBasisPoints: number) => ({ shareBasisPoints, capPerMuFen: null });
    for (const price of [1.5, -1, 2 ** 53]) {
      expect(() => subsidyPerMuFen(price, null)).toThrow(
        new RangeError('subsidyPerMuFen takes a non-negative integer unit price in fen'),
      );
    }
    for (const share of [0, -1, 10_001, 30.5]) {
      expect(() => subsidyPerMuFen(6500, policy(share))).toThrow(
        new RangeError('a policy share is more than 0 and at most 100.00%'),
      );
    }
    // The bounds themselves: 0.01% and 100.00% of 65.00 yuan; a price of 0 pays 0.
    expect(subsidyPerMuFen(6500, policy(1))).toBe(1);
    expect(subsidyPerMuFen(6500, policy(10_000))).toBe(6500);
    expect(subsidyPerMuFen(0, policy(3000))).toBe(0);
  });
});

import fc from 'fast-check';
import { subsidyPerMuFen } from '../../../common/values/money';
import { auditedContract } from '../../../../test/factories/contracts';

/**
 * Money under a policy (issue 15), through the machine: 10,000 random unit prices × shares ×
 * caps × areas against a reference written another way (exact fractions, rounding by comparing
 * the remainder); areas only shrink; an organisation's subsidies never add up to more than its cap.
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 20151201);
/** 10,000 in `npm test`; mutation testing runs every mutant of the core against fewer. */
const CASES = Number(process.env.POLICY_MONEY_CASES ?? 10_000);

/** round half up of numerator / denominator, both non-negative, by the remainder. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return (numerator % denominator) * 2n >= denominator ? quotient + 1n : quotient;
}

/** api.md: min(round_half_up(unitPriceFen × pct / 100), capPerMuFen); pct given in hundredths. */
function referencePerMu(unitPriceFen: number, pctHundredths: number, capPerMuFen: number | null) {
  const perMu = roundHalfUp(BigInt(unitPriceFen) * BigInt(pctHundredths), 100n * 100n);
  return capPerMuFen === null || perMu < BigInt(capPerMuFen) ? perMu : BigInt(capPerMuFen);
}

const price = fc.integer({ min: 0, max: 1_000_000 });
const share = fc.integer({ min: 1, max: 10_000 });
const capPerMu = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null });
/** Claimed ≥ verified ≥ accepted ≥ audited, in hundredths of a mu. */
const areas = fc
  .tuple(
    fc.integer({ min: 1, max: 1_000_000_000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([claimed, v, a, d]) => {
    const verified = Math.floor(claimed * v);
    const accepted = Math.floor(verified * a);
    return { claimed, verified, accepted, audited: Math.floor(accepted * d) };
  });

describe('subsidy under a policy (property)', () => {
  it(`${CASES.toLocaleString('en')} random prices × shares × caps × areas equal the BigInt reference, through the machine`, () => {
    let cases = 0;
    fc.assert(
      fc.property(
        price,
        share,
        capPerMu,
        areas,
        fc.option(fc.integer({ min: -1_000_000, max: 10_000_000_000 }), { nil: null }),
        (unitPriceFen, shareBasisPoints, capPerMuFen, area, capRemainingFen) => {
          cases += 1;
          const perMu = subsidyPerMuFen(unitPriceFen, { shareBasisPoints, capPerMuFen });
          expect(BigInt(perMu)).toBe(referencePerMu(unitPriceFen, shareBasisPoints, capPerMuFen));
          const contract = auditedContract({
            unitPriceFen,
            subsidyPerMuFen: perMu,
            claimedArea: area.claimed,
            verifiedArea: area.verified,
            acceptedArea: area.accepted,
            auditedArea: area.audited,
            capRemainingFen,
          });
          const line = contract.context.taskLines.WHEAT;
          // Areas only shrink, stage to stage.
          expect(line.claimedArea).toBe(area.claimed);
          expect(line.verifiedArea).toBeLessThanOrEqual(line.claimedArea as number);
          expect(line.acceptedArea).toBeLessThanOrEqual(line.verifiedArea as number);
          expect(line.auditedArea).toBeLessThanOrEqual(line.acceptedArea as number);
          const computed = roundHalfUp(BigInt(area.audited) * BigInt(perMu), 100n);
          expect(BigInt(line.amountFen as number)).toBe(computed);
          const remaining = capRemainingFen === null ? null : BigInt(Math.max(capRemainingFen, 0));
          const expected = remaining === null || computed <= remaining ? computed : remaining;
          expect(BigInt(contract.context.subsidyFen as number)).toBe(expected);
          expect(contract.context.capCutFen).toBe(
            capRemainingFen === null ? null : Number(computed - expected),
          );
        },
      ),
      { numRuns: CASES, seed: SEED },
    );
    expect(cases).toBe(CASES);
  });

  it('without a policy the subsidy per mu is the unit price (the 2014 rule)', () => {
    fc.assert(
      fc.property(price, (unitPriceFen) => subsidyPerMuFen(unitPriceFen, null) === unitPriceFen),
      { seed: SEED },
    );
    const contract = auditedContract({
      unitPriceFen: 6367,
      claimedArea: 123_456,
      verifiedArea: 123_456,
      acceptedArea: 123_456,
      auditedArea: 123_456,
    });
    // domain.md's worked example: 1,234.56 mu × 63.67 yuan = 78,604.4352 → 78,604.44 yuan.
    expect(contract.context.subsidyFen).toBe(7_860_444);
    expect(contract.context.capCutFen).toBeNull();
  });

  it("an organisation's confirmed subsidies never add up to more than its cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000 })),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (capFen, contracts) => {
          let used = 0;
          let computedTotal = 0;
          for (const [area, unitPriceFen] of contracts) {
            const contract = auditedContract({
              unitPriceFen,
              claimedArea: area,
              verifiedArea: area,
              acceptedArea: area,
              auditedArea: area,
              // What the audits service finds under the cap's lock: the cap less the subsidies so far.
              capRemainingFen: capFen - used,
            });
            used += contract.context.subsidyFen as number;
            computedTotal += contract.context.taskLines.WHEAT.amountFen as number;
            expect(used).toBeLessThanOrEqual(capFen);
          }
          expect(used).toBe(Math.min(capFen, computedTotal));
        },
      ),
      { numRuns: 500, seed: SEED },
    );
  });
});

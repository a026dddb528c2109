/**
 * Subsidy and bid amounts: area (hundredths of a mu) × unit price (fen per mu) gives hundredths
 * of a fen; rounded half up to whole fen, once, on the total (domain.md, "Money and area").
 * BigInt keeps it exact whatever the size.
 */
export function amountFen(areaHundredths: number, unitPriceFen: number): number {
  if (!Number.isSafeInteger(areaHundredths) || !Number.isSafeInteger(unitPriceFen)) {
    throw new TypeError('amountFen takes integer hundredths of a mu and integer fen');
  }
  if (areaHundredths < 0 || unitPriceFen < 0)
    throw new RangeError('amountFen takes non-negative values');
  const hundredthsOfFen = BigInt(areaHundredths) * BigInt(unitPriceFen);
  const fen = (hundredthsOfFen + 50n) / 100n;
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount too large');
  return Number(fen);
}

/**
 * The subsidy per mu under a policy (api.md, "Subsidy policy"): the policy's share of the unit
 * price, rounded half up to whole fen once, then at most the cap per mu. `shareBasisPoints` is
 * the share in hundredths of a percent (30% = 3000; 100% = 10000), so that 2-decimal percentages
 * stay integers. Without a policy the subsidy per mu is the unit price (the 2014 rule).
 */
export function subsidyPerMuFen(
  unitPriceFen: number,
  policy: { shareBasisPoints: number; capPerMuFen: number | null } | null,
): number {
  if (!Number.isSafeInteger(unitPriceFen) || unitPriceFen < 0) {
    throw new RangeError('subsidyPerMuFen takes a non-negative integer unit price in fen');
  }
  if (policy === null) return unitPriceFen;
  const { shareBasisPoints, capPerMuFen } = policy;
  if (!Number.isSafeInteger(shareBasisPoints) || shareBasisPoints <= 0 || shareBasisPoints > 10_000)
    throw new RangeError('a policy share is more than 0 and at most 100.00%');
  const shared = Number((BigInt(unitPriceFen) * BigInt(shareBasisPoints) + 5_000n) / 10_000n);
  return capPerMuFen === null ? shared : Math.min(shared, capPerMuFen);
}

/**
 * A contract's subsidy under the organisation's cap: what is left of the cap, if less than the
 * computed subsidy; `capCutFen` is what the cap took (0 when it took nothing, null: no cap).
 */
export function cappedSubsidy(
  computedFen: number,
  capRemainingFen: number | null,
): { subsidyFen: number; capCutFen: number | null } {
  if (capRemainingFen === null) return { subsidyFen: computedFen, capCutFen: null };
  const subsidyFen = Math.min(computedFen, Math.max(capRemainingFen, 0));
  return { subsidyFen, capCutFen: computedFen - subsidyFen };
}

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

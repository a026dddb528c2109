/**
 * Exact conversion between decimal text with at most two decimals and integer hundredths:
 * area in hundredths of a mu, money in fen. No floating point: a number is read through its
 * shortest decimal text (`String(1234.56)` is "1234.56"), so a value that is not what it looks
 * like (0.1 + 0.2) has more than two decimals and is refused.
 */
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** `"1234.56"` or `1234.56` → `123456`; `undefined` when not a non-negative decimal with ≤ 2 decimals. */
export function toHundredths(value: unknown): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(hundredths) ? hundredths : undefined;
}

/** `123456` → `"1234.56"`, `5` → `"0.05"`; negative values keep their sign. */
export function formatHundredths(hundredths: number): string {
  if (!Number.isSafeInteger(hundredths))
    throw new TypeError(`Not an integer amount: ${hundredths}`);
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Area in hundredths of a mu, as responses show it: `"1234.56"`. */
export const formatMu = formatHundredths;
/** Money in fen, as responses show it in yuan: `"78604.44"`. */
export const formatYuan = formatHundredths;

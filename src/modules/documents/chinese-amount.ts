/**
 * Amounts as printed on financial documents (拨付单, 审核表): the capital numerals (大写金额) and
 * the figures with thousands separators. Both take an integer number of fen and use integer
 * arithmetic only.
 *
 * The capital form follows the People's Bank of China's 正确填写票据和结算凭证的基本规定, choosing
 * one of the forms it allows wherever it allows two:
 * - 整 (never 正) after 元 when there is neither 角 nor 分, and after 角 when there is no 分;
 *   nothing after 分. Below one yuan there is no 元: 0.90 → 玖角整, 0.05 → 伍分, 0 → 零元整.
 * - Zeros inside the integer part are written as a single 零; zeros at the end of a group
 *   (before 万, 亿 or 元) are not written.
 * - One 零 after 元 when the integer part is not zero and either the 元 digit is 0 and there
 *   are 角 (1,680.32 → 壹仟陆佰捌拾元零叁角贰分) or there are 分 but no 角
 *   (325.04 → 叁佰贰拾伍元零肆分).
 * - A leading ten is 壹拾, never a bare 拾 (10 → 壹拾元整).
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;

/** 9,999,999,999,999.99 yuan. */
export const MAX_CHINESE_CAPITAL_FEN = 999_999_999_999_999;

function checkFen(fen: number, fn: string): void {
  if (!Number.isInteger(fen) || fen < 0 || fen > MAX_CHINESE_CAPITAL_FEN) {
    throw new RangeError(
      `${fn} takes an integer number of fen from 0 to ${MAX_CHINESE_CAPITAL_FEN}, got ${String(fen)}`,
    );
  }
}

/** 1 ≤ n ≤ 9999: the digits with 拾佰仟, one 零 for any run of inner zeros, none at the end. */
function group(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (digit === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += DIGITS[0];
    out += DIGITS[digit] + UNITS[place];
    pendingZero = false;
  }
  return out;
}

/**
 * n ≥ 1 (up to 99,999 亿 here). The part above 亿 is itself written with 万 (壹万亿, 壹万零壹亿).
 * A 零 joins a higher part to a lower one that does not fill the top place of its span
 * (壹万零伍, 壹亿零壹万).
 */
function integerPart(n: number): string {
  if (n >= 1e8) {
    const high = Math.floor(n / 1e8);
    const low = n % 1e8;
    if (low === 0) return integerPart(high) + '亿';
    return integerPart(high) + '亿' + (low < 1e7 ? DIGITS[0] : '') + integerPart(low);
  }
  if (n >= 1e4) {
    const high = Math.floor(n / 1e4);
    const low = n % 1e4;
    if (low === 0) return group(high) + '万';
    return group(high) + '万' + (low < 1e3 ? DIGITS[0] : '') + group(low);
  }
  return group(n);
}

/** The amount in Chinese capital numerals, e.g. 7,860,444 fen → 柒万捌仟陆佰零肆元肆角肆分. */
export function toChineseCapital(fen: number): string {
  checkFen(fen, 'toChineseCapital');
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;

  if (yuan === 0 && jiao === 0 && fenDigit === 0) return '零元整';

  let out = '';
  if (yuan > 0) {
    out += integerPart(yuan) + '元';
    if (jiao === 0 && fenDigit === 0) return out + '整';
    if ((jiao !== 0 && yuan % 10 === 0) || (jiao === 0 && fenDigit !== 0)) out += DIGITS[0];
  }
  if (jiao !== 0) out += DIGITS[jiao] + '角';
  return fenDigit !== 0 ? out + DIGITS[fenDigit] + '分' : out + '整';
}

/** The amount in yuan with thousands separators and two decimals: 7,860,444 → '78,604.44'. */
export function formatYuanWithSeparators(fen: number): string {
  checkFen(fen, 'formatYuanWithSeparators');
  const yuan = String(Math.floor(fen / 100));
  const cents = String(fen % 100).padStart(2, '0');
  let grouped = '';
  for (let end = yuan.length; end > 0; end -= 3) {
    const chunk = yuan.slice(Math.max(0, end - 3), end);
    grouped = grouped === '' ? chunk : `${chunk},${grouped}`;
  }
  return `${grouped}.${cents}`;
}

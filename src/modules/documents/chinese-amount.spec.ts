import fc from 'fast-check';
import {
  MAX_CHINESE_CAPITAL_FEN,
  formatYuanWithSeparators,
  toChineseCapital,
} from './chinese-amount';

/** '1,680.32' → 168032, without floating point. */
function figureToFen(figure: string): number {
  const match = /^(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(figure);
  if (!match) throw new Error(`bad figure ${figure}`);
  return Number(match[1].replaceAll(',', '') + match[2]);
}

const DIGIT_VALUES: Record<string, number> = {
  壹: 1,
  贰: 2,
  叁: 3,
  肆: 4,
  伍: 5,
  陆: 6,
  柒: 7,
  捌: 8,
  玖: 9,
};
const PLACE_VALUES: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };

/**
 * Reference parser for the integer part (before 元). Strict: every 拾佰仟 needs its digit
 * (壹拾, not 拾), no two digits in a row, 零 only between a unit and a digit.
 */
function parseIntegerPart(text: string): number {
  if (text === '零') return 0;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let previous = '';
  for (const ch of text) {
    if (ch in DIGIT_VALUES) {
      if (digit !== null) throw new Error(`two digits in a row in ${text}`);
      digit = DIGIT_VALUES[ch];
    } else if (ch === '零') {
      if (digit !== null || previous === '' || previous === '零') {
        throw new Error(`misplaced 零 in ${text}`);
      }
    } else if (ch in PLACE_VALUES) {
      if (digit === null) throw new Error(`${ch} without a digit in ${text}`);
      section += digit * PLACE_VALUES[ch];
      digit = null;
    } else if (ch === '万') {
      section = (section + (digit ?? 0)) * 10_000;
      digit = null;
    } else if (ch === '亿') {
      total = (total + section + (digit ?? 0)) * 100_000_000;
      section = 0;
      digit = null;
    } else {
      throw new Error(`unexpected ${ch} in ${text}`);
    }
    previous = ch;
  }
  if (previous === '零') throw new Error(`trailing 零 in ${text}`);
  return total + section + (digit ?? 0);
}

/** Reference parser: a 大写 amount back to fen. */
function parseCapital(text: string): number {
  const body = text.endsWith('整') ? text.slice(0, -1) : text;
  const yuanAt = body.indexOf('元');
  const integerText = yuanAt >= 0 ? body.slice(0, yuanAt) : '';
  let rest = yuanAt >= 0 ? body.slice(yuanAt + 1) : body;
  let fen = integerText === '' ? 0 : parseIntegerPart(integerText) * 100;
  if (rest.startsWith('零')) rest = rest.slice(1);
  if (rest.length >= 2 && rest[1] === '角') {
    fen += DIGIT_VALUES[rest[0]] * 10;
    rest = rest.slice(2);
  }
  if (rest.length >= 2 && rest[1] === '分') {
    fen += DIGIT_VALUES[rest[0]];
    rest = rest.slice(2);
  }
  if (rest !== '' || Number.isNaN(fen)) throw new Error(`cannot parse ${text}`);
  return fen;
}

describe('toChineseCapital', () => {
  // Figures in yuan; the capital form as written on 拨付单 and 审核表.
  const examples: [string, string][] = [
    ['1,680.32', '壹仟陆佰捌拾元零叁角贰分'],
    ['107,000.53', '壹拾万柒仟元零伍角叁分'],
    ['10,005.00', '壹万零伍元整'],
    ['1,409.50', '壹仟肆佰零玖元伍角整'],
    ['6,007.14', '陆仟零柒元壹角肆分'],
    ['325.04', '叁佰贰拾伍元零肆分'],
    ['10.00', '壹拾元整'],
    ['100,000,000.00', '壹亿元整'],
    ['100,010,000.00', '壹亿零壹万元整'],
    ['78,604.44', '柒万捌仟陆佰零肆元肆角肆分'],
    ['121,274.11', '壹拾贰万壹仟贰佰柒拾肆元壹角壹分'],
    ['0.10', '壹角整'],
    ['1.00', '壹元整'],
    ['1,000,000.00', '壹佰万元整'],
    ['20,000,000.01', '贰仟万元零壹分'],
    ['0.90', '玖角整'],
    ['0.05', '伍分'],
    ['0.00', '零元整'],
    // Beyond the brief's list: the same rules at the edges of the range.
    ['0.15', '壹角伍分'],
    ['10.50', '壹拾元零伍角整'],
    ['1,001,000.00', '壹佰万壹仟元整'],
    ['1,000,100.00', '壹佰万零壹佰元整'],
    ['10,000,001,000.00', '壹佰亿零壹仟元整'],
    ['1,000,000,000,000.00', '壹万亿元整'],
    ['1,000,100,000,000.00', '壹万零壹亿元整'],
    ['1,000,050,000,000.00', '壹万亿伍仟万元整'],
    ['9,999,999,999,999.99', '玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ];

  it.each(examples)('%s → %s', (figure, capital) => {
    const fen = figureToFen(figure);
    expect(toChineseCapital(fen)).toBe(capital);
    expect(formatYuanWithSeparators(fen)).toBe(figure);
    expect(parseCapital(capital)).toBe(fen);
  });

  it.each([
    ['a negative amount', -1],
    ['a fraction of a fen', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['10 000 000 000 000 yuan', MAX_CHINESE_CAPITAL_FEN + 1],
    ['an unsafe integer', 2 ** 60],
  ])('throws a RangeError for %s', (_label, fen) => {
    expect(() => toChineseCapital(fen)).toThrow(RangeError);
    expect(() => formatYuanWithSeparators(fen)).toThrow(RangeError);
  });

  // Uniform values are nearly all 15 digits long; the second arbitrary brings in runs of zeros.
  const anyFen = fc.oneof(
    fc.integer({ min: 0, max: 10 ** 15 - 1 }),
    fc
      .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 9 })), {
        minLength: 1,
        maxLength: 15,
      })
      .map((digits) => Number(digits.join(''))),
  );

  it('writes well-formed capitals that parse back to the amount', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        const capital = toChineseCapital(fen);
        expect(capital).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
        expect(capital.endsWith(fen % 10 === 0 ? '整' : '分')).toBe(true);
        expect(capital).not.toContain('零零');
        expect(capital.startsWith('零')).toBe(fen === 0);
        expect(capital).not.toMatch(/(^|[^壹贰叁肆伍陆柒捌玖])[拾佰仟]/);
        expect(parseCapital(capital)).toBe(fen);
      }),
      { seed: 7860444, numRuns: 5000 },
    );
  });
});

describe('formatYuanWithSeparators', () => {
  it('pads the decimals', () => {
    expect(formatYuanWithSeparators(0)).toBe('0.00');
    expect(formatYuanWithSeparators(5)).toBe('0.05');
    expect(formatYuanWithSeparators(100_000)).toBe('1,000.00');
  });

  it('agrees with Intl grouping of the whole yuan', () => {
    const grouping = new Intl.NumberFormat('en-US', { useGrouping: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CHINESE_CAPITAL_FEN }), (fen) => {
        const yuan = BigInt(fen) / 100n;
        const cents = String(BigInt(fen) % 100n).padStart(2, '0');
        expect(formatYuanWithSeparators(fen)).toBe(`${grouping.format(yuan)}.${cents}`);
      }),
      { seed: 20150530, numRuns: 2000 },
    );
  });
});

import fc from 'fast-check';
import { formatHundredths, toHundredths } from './decimal-units';

describe('decimal units (hundredths of a mu, fen)', () => {
  it.each<[unknown, number | undefined]>([
    ['1234.56', 123456],
    [1234.56, 123456],
    ['63.67', 6367],
    [63.67, 6367],
    ['19.3', 1930],
    [24, 2400],
    ['0.01', 1],
    [' 5 ', 500],
    ['0', 0],
    ['12.345', undefined],
    [12.345, undefined],
    [0.1 + 0.2, undefined],
    ['-1', undefined],
    [-1, undefined],
    ['1e3', undefined],
    [1e21, undefined],
    ['', undefined],
    ['abc', undefined],
    [Number.NaN, undefined],
    [null, undefined],
    [true, undefined],
  ])('reads %p as %p', (input, expected) => {
    expect(toHundredths(input)).toBe(expected);
  });

  it('formats with exactly two decimals', () => {
    expect(formatHundredths(123456)).toBe('1234.56');
    expect(formatHundredths(5)).toBe('0.05');
    expect(formatHundredths(0)).toBe('0.00');
    expect(formatHundredths(-150)).toBe('-1.50');
    expect(() => formatHundredths(1.5)).toThrow(new TypeError('Not an integer amount: 1.5'));
    expect(() => formatHundredths(2 ** 53)).toThrow(TypeError);
  });

  it('round-trips every integer amount through its text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (hundredths) => {
        expect(toHundredths(formatHundredths(hundredths))).toBe(hundredths);
      }),
      { seed: 20150530 },
    );
  });
});

import fc from 'fast-check';
import { identifierKey, invisibleCharacter } from './identifier';

describe('identifierKey', () => {
  it('gives RACE-PLOT-1 and its look-alikes one key', () => {
    const key = identifierKey('RACE-PLOT-1');
    expect(key).toBe('race-plot-1');
    expect(identifierKey('ＲＡＣＥ-PLOT-1')).toBe(key); // full-width letters
    expect(identifierKey('ＲＡＣＥ－ＰＬＯＴ－１')).toBe(key); // full-width everything
    expect(identifierKey('RACE\u2010PLOT\u20101')).toBe(key); // U+2010 hyphen
    expect(identifierKey('race-plot-1')).toBe(key);
    expect(identifierKey(' RACE-PLOT-1 ')).toBe(key);
  });

  it('unifies every dash and minus sign', () => {
    for (const dash of [
      '\u2010',
      '\u2011',
      '\u2012',
      '\u2013',
      '\u2014',
      '\u2015',
      '\u2212',
      '\uFE58',
      '\uFE63',
      '\uFF0D',
      '\u207B',
      '\u2E3A',
    ]) {
      expect(identifierKey(`A${dash}1`)).toBe('a-1');
    }
  });

  it('folds the case of Latin letters only, and keeps Chinese text as it is', () => {
    expect(identifierKey('ÉCOLE-Ä')).toBe('école-ä');
    expect(identifierKey('邹李村-03')).toBe('邹李村-03');
    expect(identifierKey('ΑΒΓ-1')).toBe('ΑΒΓ-1'); // Greek capitals are not Latin: not folded
  });

  it('treats the kinds of space alike', () => {
    expect(identifierKey('A\u3000 \u00A01')).toBe('a 1');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const key = identifierKey(text);
        expect(identifierKey(key)).toBe(key);
      }),
      { seed: 22, numRuns: 2000 },
    );
  });

  it('keeps distinct codes distinct', () => {
    expect(identifierKey('RACE-PLOT-1')).not.toBe(identifierKey('RACE-PLOT-11'));
    expect(identifierKey('RACE-PLOT-1')).not.toBe(identifierKey('RACEPLOT1'));
  });
});

describe('invisibleCharacter', () => {
  it('names the zero-width, BOM, bidi and control characters', () => {
    expect(invisibleCharacter('RACE-PLOT-1\u200B')).toBe('U+200B');
    expect(invisibleCharacter('RACE\u200D-PLOT-1')).toBe('U+200D');
    expect(invisibleCharacter('\uFEFFRACE-PLOT-1')).toBe('U+FEFF');
    expect(invisibleCharacter('RACE\u202E1-TOLP')).toBe('U+202E');
    expect(invisibleCharacter('RACE\u2066-1')).toBe('U+2066');
    expect(invisibleCharacter('A\u0007B')).toBe('U+0007');
    expect(invisibleCharacter('A\u0085B')).toBe('U+0085'); // C1
    expect(invisibleCharacter('A\u00ADB')).toBe('U+00AD'); // soft hyphen
    expect(invisibleCharacter('A\u3164B')).toBe('U+3164'); // Hangul filler
    expect(invisibleCharacter('A\uFE0FB')).toBe('U+FE0F'); // variation selector
    expect(invisibleCharacter('A\u2028B')).toBe('U+2028');
    expect(invisibleCharacter('A\u{E0041}B')).toBe('U+E0041'); // tag character
  });

  it('accepts what people type', () => {
    for (const text of ['RACE-PLOT-1', 'ＲＡＣＥ-PLOT-1', '邹李村 03-1', '皖M·12345', 'A\u3000B']) {
      expect(invisibleCharacter(text)).toBeUndefined();
    }
  });
});

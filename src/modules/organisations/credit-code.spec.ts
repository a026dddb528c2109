import { creditCodeCheckCharacter, creditCodeProblem } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(['91350100M000100Y43', '91110108551385082Q', '91440300708461136T'])(
    'accepts %s',
    (code) => {
      expect(creditCodeProblem(code)).toBeUndefined();
    },
  );

  it('finds a wrong check character', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('check');
    expect(creditCodeProblem('91110108551385082P')).toBe('check');
  });

  it('refuses the wrong length, letters outside the alphabet and letters in the division code', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toBe('shape');
    expect(creditCodeProblem('91350100M000100Y435')).toBe('shape');
    expect(creditCodeProblem('91350100I000100Y43')).toBe('shape');
    expect(creditCodeProblem('913A0100M000100Y43')).toBe('shape');
    expect(creditCodeProblem('91350100m000100y43')).toBe('shape');
  });

  it('computes a check character that maps 31 to 0', () => {
    for (let serial = 0; serial < 500; serial++) {
      const first17 = `93341602${String(100000000 + serial)}`;
      const code = first17 + creditCodeCheckCharacter(first17);
      expect(creditCodeProblem(code)).toBeUndefined();
    }
  });
});

import fc from 'fast-check';
import {
  maskResidentId,
  normaliseResidentId,
  residentIdCheckCharacter,
  residentIdProblem,
} from './resident-id';

const TODAY = '2025-06-30';

describe('resident ID number (GB 11643-1999)', () => {
  it.each([
    // The example printed in GB 11643-1999 itself, with the check character X.
    '11010519491231002X',
    '110101199003077758',
    '341602199001011234',
    '34160219850615341X',
    // 29 February of a leap year.
    '320106198802290041',
  ])('accepts %s', (id) => {
    expect(residentIdProblem(id, TODAY)).toBeUndefined();
  });

  it('computes the check character with ISO 7064 MOD 11-2, mapping 2 to X', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('34160219900101123')).toBe('4');
    expect(residentIdCheckCharacter('51010720000101000')).toBe('5');
    expect(() => residentIdCheckCharacter('3416021990010112')).toThrow(TypeError);
    // Exactly 17 digits: not 18, not a letter at either end.
    expect(() => residentIdCheckCharacter('341602199001011234')).toThrow(
      new TypeError('Not 17 digits: 341602199001011234'),
    );
    expect(() => residentIdCheckCharacter('X4160219900101123')).toThrow(TypeError);
    expect(() => residentIdCheckCharacter('3416021990010112X')).toThrow(TypeError);
  });

  it('finds a wrong check character', () => {
    expect(residentIdProblem('341602199001011235', TODAY)).toBe('check');
    expect(residentIdProblem('110105194912310020', TODAY)).toBe('check');
    // Two swapped digits.
    expect(residentIdProblem('341602199010011234', TODAY)).toBe('check');
  });

  it('accepts a lower-case or full-width x and writes it as X', () => {
    expect(residentIdProblem('11010519491231002x', TODAY)).toBeUndefined();
    expect(normaliseResidentId(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(normaliseResidentId('３４１６０２１９９００１０１１２３４')).toBe('341602199001011234');
  });

  it('refuses dates that do not exist', () => {
    const withBirth = (date: string) => {
      const first17 = `341602${date}123`;
      return first17 + residentIdCheckCharacter(first17);
    };
    expect(residentIdProblem(withBirth('19900230'), TODAY)).toBe('birthDate');
    expect(residentIdProblem(withBirth('19890229'), TODAY)).toBe('birthDate');
    expect(residentIdProblem(withBirth('19001301'), TODAY)).toBe('birthDate');
    expect(residentIdProblem(withBirth('19900100'), TODAY)).toBe('birthDate');
    // Month 00: Date.UTC would read it as December of the year before.
    expect(residentIdProblem(withBirth('19900015'), TODAY)).toBe('birthDate');
    expect(residentIdProblem(withBirth('20000229'), TODAY)).toBeUndefined();
  });

  it('refuses a birth date before 1900 or after today', () => {
    // A valid check character on a birth date in 1880.
    expect(residentIdProblem('440524188001010014', TODAY)).toBe('birthDate');
    const bornOn = (date: string) => {
      const first17 = `341602${date.replaceAll('-', '')}777`;
      return first17 + residentIdCheckCharacter(first17);
    };
    expect(residentIdProblem(bornOn('2025-06-30'), TODAY)).toBeUndefined();
    expect(residentIdProblem(bornOn('2025-07-01'), TODAY)).toBe('birthDate');
    expect(residentIdProblem(bornOn('2025-07-01'), '2025-07-01')).toBeUndefined();
    for (const today of ['x2025-07-01', '2025-07-01x', '2025-07-011']) {
      expect(() => residentIdProblem(bornOn('2025-07-01'), today)).toThrow(TypeError);
    }
    expect(() => residentIdProblem(bornOn('2025-07-01'), '2025/07/01')).toThrow(
      new TypeError('Not a YYYY-MM-DD date: 2025/07/01'),
    );
  });

  it.each([
    ['a 15-digit number of the first generation', '341602900101123'],
    ['17 characters', '34160219900101123'],
    ['19 characters', '3416021990010112345'],
    ['a division code starting with 0', '041602199001011234'],
    ['a letter other than X', '34160219900101123A'],
    ['X before the end', '3416021990010112X4'],
    ['inner spaces', '341602 19900101 1234'],
    ['nothing', ''],
  ])('refuses %s as shape', (_what, id) => {
    expect(residentIdProblem(id, TODAY)).toBe('shape');
  });

  it('accepts every number built with its check character', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 110000, max: 829999 }),
        fc.date({
          min: new Date('1900-01-01'),
          max: new Date(`${TODAY}T00:00:00Z`),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999 }),
        (division, birth, sequence) => {
          const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
          const first17 = `${division}${date}${String(sequence).padStart(3, '0')}`;
          const id = first17 + residentIdCheckCharacter(first17);
          expect(residentIdProblem(id, TODAY)).toBeUndefined();
          // Any other check character is wrong.
          const other = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
          expect(residentIdProblem(other, TODAY)).toBe('check');
        },
      ),
      { seed: 11643 },
    );
  });

  it('masks the eight middle characters', () => {
    expect(maskResidentId('34160219850615341X')).toBe('341602********341X');
    expect(maskResidentId('34160219850615341x')).toBe('341602********341X');
    expect(maskResidentId('341602199001011234')).toBe('341602********1234');
    expect(maskResidentId('341602900101123')).toBe('***************');
    expect(maskResidentId('')).toBe('');
  });
});

/**
 * 公民身份号码 (resident ID number, GB 11643-1999): a 6-digit administrative division code, the birth
 * date as YYYYMMDD, a 3-digit sequence and a check character, ISO 7064 MOD 11-2 over the first 17
 * digits. The 15-digit numbers issued before 1999 are no longer valid and are refused.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
// A division code never starts with 0 (provinces are 11-82).
const SHAPE = /^[1-9]\d{16}[\dX]$/;
const TODAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError(`Not 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** Trims and writes a lower-case or full-width check character and full-width digits as ASCII. */
export function normaliseResidentId(value: string): string {
  return value
    .trim()
    .replace(/[０-９]/g, (digit) => String(digit.charCodeAt(0) - 0xff10))
    .replace(/[xｘＸ]/g, 'X');
}

export type ResidentIdProblem = 'shape' | 'check' | 'birthDate';

/**
 * `undefined` when valid; otherwise what is wrong. `today` is the calendar date (`YYYY-MM-DD`) the
 * birth date may not be after.
 */
export function residentIdProblem(value: string, today: string): ResidentIdProblem | undefined {
  const todayMatch = TODAY.exec(today);
  if (!todayMatch) throw new TypeError(`Not a YYYY-MM-DD date: ${today}`);
  const id = normaliseResidentId(value);
  if (!SHAPE.test(id)) return 'shape';
  if (residentIdCheckCharacter(id.slice(0, 17)) !== id[17]) return 'check';
  const birth = id.slice(6, 14);
  if (!isCalendarDate(birth) || birth < '19000101' || birth > todayMatch.slice(1).join('')) {
    return 'birthDate';
  }
  return undefined;
}

/** `341602199001011234` → `341602********1234`: the division code and the last four stay visible. */
export function maskResidentId(id: string): string {
  const normalised = normaliseResidentId(id);
  // Anything that is not a full number is hidden entirely rather than partly shown.
  if (normalised.length !== 18) return '*'.repeat(normalised.length);
  return `${normalised.slice(0, 6)}${'*'.repeat(8)}${normalised.slice(14)}`;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

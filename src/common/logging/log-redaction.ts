import { MASKS } from '../../modules/auth/disclosure-policy';

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEYS = new Set([
  'password',
  'passwordhash',
  'currentpassword',
  'newpassword',
  'accesstoken',
  'token',
  'authorization',
  'cookie',
  'set-cookie',
  'jwtsecret',
  'secret',
]);

/** Keys that name a person's or an account's number: masked by the disclosure policy. */
const SENSITIVE_KEYS: Record<string, keyof typeof MASKS> = {
  householdidno: 'residentId',
  household_id_no: 'residentId',
  idnumber: 'residentId',
  phone: 'phone',
  bankaccountno: 'bankAccount',
  bank_account_no: 'bankAccount',
};

/**
 * A run of 11 or more digits (a phone number, a resident ID number with its check character, a
 * bank account) inside any logged string: an error message or a query's parameter array names
 * no key to go by, so the value itself is recognised and masked as a log is public to whoever
 * reads it.
 */
const LONG_NUMBER = /\d{11,}[\dXx]?/g;

const MAX_DEPTH = 12;

function maskNumbers(text: string): string {
  return text.replace(LONG_NUMBER, (digits) => {
    if (digits.length === 18) return MASKS.residentId(digits);
    if (digits.length === 11) return MASKS.phone(digits);
    return MASKS.bankAccount(digits);
  });
}

/**
 * The logged object with secrets removed and personal numbers masked at any depth (pino's
 * `redact` paths reach a fixed depth only). Errors become plain objects with their own fields
 * (a query error's `query`, `parameters`, `driverError`), redacted the same way.
 */
export function redactForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskNumbers(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e10)
    return maskNumbers(String(value));
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1, seen));
  const source: Record<string, unknown> =
    value instanceof Error
      ? { ...value, type: value.name, message: value.message, stack: value.stack }
      : (value as Record<string, unknown>);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(source)) {
    const lower = key.toLowerCase();
    if (SECRET_KEYS.has(lower)) {
      result[key] = '[redacted]';
    } else if (SENSITIVE_KEYS[lower] && typeof child === 'string') {
      result[key] = MASKS[SENSITIVE_KEYS[lower]](child);
    } else {
      result[key] = redactForLog(child, depth + 1, seen);
    }
  }
  return result;
}

import { EventEmitter } from 'node:events';
import { MASKS } from '../values/masks';

/** Keys whose values never reach a log line, at any depth (compared without case, `-` or `_`). */
const SECRET_KEYS = new Set([
  'password',
  'passwordhash',
  'currentpassword',
  'newpassword',
  'accesstoken',
  'refreshtoken',
  'token',
  'authorization',
  'cookie',
  'setcookie',
  'jwtsecret',
  'secret',
]);

const isSecretKey = (key: string): boolean =>
  SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));

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
 * reads it. A UUID or a hex digest is matched first and kept whole: its hex digits may run to 11
 * (about one UUID in a hundred has such a run in its last group), and masking that part would
 * only garble the request's path or the file's name.
 */
const LONG_NUMBER =
  /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|[\da-f]{32,}|\d{11,}[\dXx]?/gi;
/** What LONG_NUMBER matches and keeps: a UUID, or a hex digest that has a letter. */
const HEX_TOKEN = /-|[a-f]/i;

/**
 * What one log line may cost, whatever is handed to the logger: the walk stops at this depth,
 * after this many values in all, at this many items of one array or keys of one object, and a
 * string is cut at this length. A log line describes; it never carries a file, a request or a
 * result set (docs/reliability.md: one upload once froze the service for two minutes in here).
 */
export const LOG_LIMITS = {
  depth: 8,
  values: 2_000,
  items: 100,
  stringLength: 8_192,
} as const;

function maskNumbers(text: string): string {
  return text.replace(LONG_NUMBER, (digits) => {
    if (HEX_TOKEN.test(digits)) return digits;
    if (digits.length === 18) return MASKS.residentId(digits);
    if (digits.length === 11) return MASKS.phone(digits);
    return MASKS.bankAccount(digits);
  });
}

function cut(text: string): string {
  return text.length > LOG_LIMITS.stringLength
    ? `${text.slice(0, LOG_LIMITS.stringLength)}…[${text.length - LOG_LIMITS.stringLength} more characters]`
    : text;
}

/**
 * What is never walked, only named: bytes (a Buffer, a typed array, an ArrayBuffer: an upload's
 * content), and anything that emits events (a request, a response, a socket, a stream), which
 * reaches the whole of the server through its references.
 */
function opaque(value: object): string | undefined {
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof EventEmitter) return `[${value.constructor.name}]`;
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap)
    return `[${value.constructor.name}]`;
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return '[stream]';
  return undefined;
}

class Walk {
  private left: number = LOG_LIMITS.values;
  private readonly seen = new WeakSet<object>();

  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return maskNumbers(cut(value));
    if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e10)
      return maskNumbers(String(value));
    if (typeof value === 'bigint') return maskNumbers(value.toString());
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    const named = opaque(value);
    if (named !== undefined) return named;
    if (this.seen.has(value)) return '[circular]';
    if (depth >= LOG_LIMITS.depth) return '[deep]';
    if (--this.left < 0) return '[more]';
    this.seen.add(value);
    if (Array.isArray(value)) {
      const items = value.slice(0, LOG_LIMITS.items).map((item) => this.value(item, depth + 1));
      if (value.length > LOG_LIMITS.items)
        items.push(`[${value.length - LOG_LIMITS.items} more items]`);
      return items;
    }
    return this.object(value, depth);
  }

  private object(value: object, depth: number): Record<string, unknown> {
    const source: Record<string, unknown> =
      value instanceof Error
        ? { ...value, type: value.name, message: value.message, stack: value.stack }
        : (value as Record<string, unknown>);
    const result: Record<string, unknown> = {};
    const keys = Object.keys(source);
    for (const key of keys.slice(0, LOG_LIMITS.items)) {
      const lower = key.toLowerCase();
      const child = source[key];
      if (isSecretKey(key)) {
        result[key] = '[redacted]';
      } else if (SENSITIVE_KEYS[lower] && typeof child === 'string') {
        result[key] = MASKS[SENSITIVE_KEYS[lower]](child);
      } else {
        result[key] = this.value(child, depth + 1);
      }
    }
    if (keys.length > LOG_LIMITS.items) result['[more keys]'] = keys.length - LOG_LIMITS.items;
    return result;
  }
}

/**
 * The logged object with secrets removed and personal numbers masked at any depth that is logged
 * (pino's `redact` paths reach a fixed depth only). Errors become plain objects with their own
 * fields (a query error's `query`, `parameters`, `driverError`), redacted the same way. Bounded
 * ({@link LOG_LIMITS}): it never walks bytes, streams, requests or responses, so its cost does not
 * depend on what a request carried.
 */
export function redactForLog(value: unknown): unknown {
  return new Walk().value(value, 0);
}

/** A query string for the log: secret-named parameters removed, long numbers masked, cut short. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return maskNumbers(cut(url));
  const pairs = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const [rawKey] = pair.split('=', 1);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replaceAll('+', ' '));
      } catch {
        // not percent-encoded properly: compared as it is
      }
      return isSecretKey(key) ? `${rawKey}=[redacted]` : pair;
    });
  return maskNumbers(cut(`${url.slice(0, at)}?${pairs.join('&')}`));
}

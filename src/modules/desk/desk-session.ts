import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Actor } from '../auth/actor';

/** The desk's session cookie: the user's access token, checked like a Bearer token. */
export const SESSION_COOKIE = 'desk_session';
/** Before login there is no session: the login form's token is tied to this nonce. */
export const NONCE_COOKIE = 'desk_nonce';
export const CSRF_FIELD = '_csrf';

export interface DeskRequest extends Request {
  actor?: Actor;
  /** The hidden form field for this client (the HMAC of its session or nonce). */
  deskFormToken?: string;
  /** The session cookie's token (for the CSRF check and the account page). */
  deskToken?: string;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_.-]{16,2048}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function cookie(
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds?: number; sameSite?: 'Lax' | 'Strict' },
): string {
  const parts = [
    `${name}=${value}`,
    'Path=/desk',
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Lax'}`,
  ];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Double-submit form tokens: the field is the HMAC of the client's session (or, before login,
 * nonce) cookie under a key derived from the server secret; another site can neither read the
 * cookie nor compute the field.
 */
export class FormTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('desk-csrf').digest();
  }

  sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }

  matches(value: string, field: unknown): boolean {
    if (typeof field !== 'string') return false;
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(field);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** A `next` that stays on the desk: a path under /desk, never another site (`//x`, `/\x`). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/desk';
  if (!/^\/desk(?:[/?#]|$)/.test(next) || /[\\\s]/.test(next) || next.startsWith('//'))
    return '/desk';
  return next;
}

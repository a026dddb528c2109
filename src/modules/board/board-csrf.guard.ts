import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { boardError } from './board.errors';
import { msg } from '../../common/i18n/message';

export const CSRF_COOKIE = 'board_csrf';
export const CSRF_FIELD = '_csrf';
const NONCE = /^[A-Za-z0-9_-]{43}$/;

export interface BoardRequest extends Request {
  /** The hidden form field for this client's cookie; set on every board request. */
  boardFormToken?: string;
}

/**
 * Double-submit token without sessions: a random nonce in an HttpOnly, SameSite=Strict cookie,
 * and in the form its HMAC under a key derived from the server secret. A post is taken only
 * when the field is the HMAC of the cookie, so another site can neither read nor forge it.
 */
@Injectable()
export class BoardCsrfGuard implements CanActivate {
  private readonly key: Buffer;
  private readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: RuntimeConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('board-csrf').digest();
    this.secure = config.publicBaseUrl.startsWith('https:');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<BoardRequest>();
    const nonce = readCookie(request.headers.cookie, CSRF_COOKIE);
    if (request.method === 'POST') {
      const field = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (nonce === undefined || typeof field !== 'string' || !this.matches(nonce, field)) {
        throw boardError('CSRF_REJECTED', msg('board.csrfRejected'));
      }
      request.boardFormToken = field;
      return true;
    }
    let current = nonce;
    if (current === undefined) {
      current = randomBytes(32).toString('base64url');
      context
        .switchToHttp()
        .getResponse<Response>()
        .append(
          'Set-Cookie',
          `${CSRF_COOKIE}=${current}; Path=/board; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`,
        );
    }
    request.boardFormToken = this.sign(current);
    return true;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }

  private matches(nonce: string, field: string): boolean {
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(field);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** The well-formed nonce in the Cookie header, if any (anything else is replaced by a new one). */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (key === name && NONCE.test(value)) return value;
  }
  return undefined;
}

import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { msg } from '../../common/i18n/message';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { commonError, DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { forbidden } from '../auth/auth.errors';
import { SessionVerifier } from '../auth/session-verifier';
import { DESK_ACCESS, DeskRedirect, csrfRejected, type DeskAccess } from './desk-access';
import {
  CSRF_FIELD,
  FormTokens,
  NONCE_COOKIE,
  SESSION_COOKIE,
  cookie,
  newNonce,
  readCookie,
  type DeskRequest,
} from './desk-session';

/**
 * The desk's door: the session cookie is the user's access token, checked by the same
 * SessionVerifier as a Bearer token (a deactivated user, a changed or reset password end it on
 * the next request); no session → 303 to the login with `next`. Every post carries the form
 * token (a multipart form in its action's query, as its body is read after this guard).
 */
@Injectable()
export class DeskSessionGuard implements CanActivate {
  private readonly tokens: FormTokens;
  private readonly secure: boolean;

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionVerifier,
    @Inject(APP_CONFIG) config: RuntimeConfig,
  ) {
    this.tokens = new FormTokens(config.jwtSecret);
    this.secure = config.publicBaseUrl.startsWith('https:');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.get<DeskAccess | undefined>(
      DESK_ACCESS,
      context.getHandler(),
    ) ?? {
      anonymous: false,
    };
    const request = context.switchToHttp().getRequest<DeskRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const field =
      (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ??
      (request.query as Record<string, unknown>)[CSRF_FIELD];

    if (access.anonymous) {
      let nonce = readCookie(request.headers.cookie, NONCE_COOKIE);
      if (request.method === 'POST' && (!nonce || !this.tokens.matches(nonce, field)))
        throw csrfRejected();
      if (!nonce) {
        nonce = newNonce();
        response.append(
          'Set-Cookie',
          cookie(NONCE_COOKIE, nonce, { secure: this.secure, sameSite: 'Strict' }),
        );
      }
      request.deskFormToken = this.tokens.sign(nonce);
      return true;
    }

    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    const toLogin = () =>
      new DeskRedirect(
        `/desk/login?next=${encodeURIComponent(request.method === 'GET' ? request.originalUrl : '/desk')}`,
        token ? [cookie(SESSION_COOKIE, '', { secure: this.secure, maxAgeSeconds: 0 })] : [],
      );
    if (!token) throw toLogin();
    let session;
    try {
      session = await this.sessions.verify(token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') throw toLogin();
      throw error;
    }
    request.actor = session.actor;
    request.deskToken = token;
    request.deskFormToken = this.tokens.sign(token);
    if (request.method === 'POST' && !this.tokens.matches(token, field)) throw csrfRejected();
    if (session.mustChangePassword && !access.duringPasswordChange)
      throw new DeskRedirect('/desk/account');
    if (access.roles && !access.roles.includes(session.actor.role)) {
      if (access.signOff && session.actor.role === 'cooperative')
        throw commonError('SEPARATION_OF_DUTIES', msg('auth.cooperativeOwnWork'));
      throw forbidden(msg('auth.roleMayNot', { role: session.actor.role }));
    }
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { msg } from '../../common/i18n/message';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { ActorLoader, type ActorSession } from './actor.loader';
import { unauthenticated } from './auth.errors';

export interface TokenPayload {
  sub: string;
  role: string;
  /** The user's token version when it was issued (absent: version 0, before accounts). */
  tv?: number;
}

/**
 * A token, from the Authorization header or the desk's session cookie, checked the same way:
 * signature and expiry, an active user, and the token version the user has now — a password
 * change, a reset or a deactivation ends every earlier session on its next request.
 */
@Injectable()
export class SessionVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly actors: ActorLoader,
  ) {}

  async verify(token: string): Promise<ActorSession> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch (error) {
      throw unauthenticated(
        error instanceof TokenExpiredError ? msg('auth.tokenExpired') : msg('auth.tokenInvalid'),
      );
    }
    const session = await this.actors.loadSession(payload.sub);
    if (!session) throw unauthenticated(msg('auth.userGone'));
    if ((payload.tv ?? 0) !== session.tokenVersion) throw unauthenticated(msg('auth.sessionEnded'));
    return session;
  }
}

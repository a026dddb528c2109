import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { ACCESS_KEY, type AccessRule, type AuthenticatedRequest } from './access.decorators';
import { ActorLoader } from './actor.loader';
import { commonError } from '../../common/errors/domain-error';
import { forbidden, unauthenticated } from './auth.errors';
import { msg } from '../../common/i18n/message';

export interface TokenPayload {
  sub: string;
  role: string;
}

/**
 * The global guard: every route is `@Public()` or names its roles (checked at start-up by
 * RouteAccessCheck). 401 for a missing, invalid or expired token or a deactivated user; 403
 * when the role may not use the route. Scope (404) is the services' part.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly actors: ActorLoader,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule)
      throw new Error(
        `Route ${context.getClass().name}.${context.getHandler().name} has no access rule`,
      );
    if (rule.public) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthenticated(msg('auth.bearerMissing'));

    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(match[1], { algorithms: ['HS256'] });
    } catch (error) {
      throw unauthenticated(
        error instanceof TokenExpiredError ? msg('auth.tokenExpired') : msg('auth.tokenInvalid'),
      );
    }
    const actor = await this.actors.load(payload.sub);
    if (!actor) throw unauthenticated(msg('auth.userGone'));
    request.actor = actor;

    if (!rule.roles.includes(actor.role)) {
      if (rule.signOff && actor.role === 'cooperative') {
        throw commonError('SEPARATION_OF_DUTIES', msg('auth.cooperativeOwnWork'));
      }
      throw forbidden(
        msg('auth.roleNotAllowed', { role: actor.role, allowed: rule.roles.join(', ') }),
      );
    }
    return true;
  }
}

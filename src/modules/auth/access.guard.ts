import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule, type AuthenticatedRequest } from './access.decorators';
import { commonError } from '../../common/errors/domain-error';
import { forbidden, passwordChangeRequired, unauthenticated } from './auth.errors';
import { SessionVerifier } from './session-verifier';
import { msg } from '../../common/i18n/message';

export type { TokenPayload } from './session-verifier';

/**
 * The global guard: every route is `@Public()` or names its roles (checked at start-up by
 * RouteAccessCheck). 401 for a missing, invalid or expired token, a deactivated user or a
 * session ended by a password change; 403 PASSWORD_CHANGE_REQUIRED while a temporary password
 * is unchanged; 403 when the role may not use the route. Scope (404) is the services' part.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionVerifier,
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

    const { actor, mustChangePassword } = await this.sessions.verify(match[1]);
    request.actor = actor;
    if (mustChangePassword && !rule.passwordChange) throw passwordChangeRequired();

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

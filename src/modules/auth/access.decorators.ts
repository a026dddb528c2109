import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './actor';
import { ROLES, type Role } from './roles';

export const ACCESS_KEY = 'access';

export type AccessRule =
  | { public: true }
  | {
      public: false;
      roles: readonly Role[];
      signOff?: boolean;
      /** Open while the user's password must be changed (only POST /auth/password). */
      passwordChange?: boolean;
    };

/** No login needed. Said out loud on every such route. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { public: true } satisfies AccessRule);

/** A login with one of these roles; other roles get 403. Scope is checked by the service. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { public: false, roles } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles),
    ApiUnauthorizedResponse({
      description: 'No, an invalid or an expired token (UNAUTHENTICATED)',
    }),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')} (FORBIDDEN)` }),
  );

/**
 * A sign-off (verification, acceptance, audit, payout) by one of these roles. A cooperative is
 * refused with 403 SEPARATION_OF_DUTIES: it never verifies, accepts, audits or pays its own work.
 */
export const SignOff = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    Roles(...roles),
    SetMetadata(ACCESS_KEY, { public: false, roles, signOff: true } satisfies AccessRule),
  );

/** Any logged-in user; what they see is limited by their scope. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles(...ROLES);

/**
 * Any logged-in user, even one whose temporary password must be changed first (every other
 * route answers that user 403 PASSWORD_CHANGE_REQUIRED): the password change itself.
 */
export const PasswordChange = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    Roles(...ROLES),
    SetMetadata(ACCESS_KEY, {
      public: false,
      roles: ROLES,
      passwordChange: true,
    } satisfies AccessRule),
  );

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

import { SetMetadata } from '@nestjs/common';
import { msg } from '../../common/i18n/message';
import { DomainError } from '../../common/errors/domain-error';
import type { Role } from '../auth/roles';

export const DESK_ACCESS = 'desk-access';

/** Who may open a desk route: `anonymous` (the login), any session, or these roles. */
export type DeskAccess =
  | { anonymous: true }
  | {
      anonymous: false;
      roles?: readonly Role[];
      duringPasswordChange?: boolean;
      /** A sign-off (sign, audit, pay): a cooperative is refused SEPARATION_OF_DUTIES, as REST. */
      signOff?: boolean;
    };

export const DeskAnonymous = (): MethodDecorator => SetMetadata(DESK_ACCESS, { anonymous: true });
export const DeskRoles = (...roles: Role[]): MethodDecorator =>
  SetMetadata(DESK_ACCESS, { anonymous: false, roles } satisfies DeskAccess);
/** A sign-off's roles, as the REST route's `@SignOff`: a cooperative gets SEPARATION_OF_DUTIES. */
export const DeskSignOff = (...roles: Role[]): MethodDecorator =>
  SetMetadata(DESK_ACCESS, { anonymous: false, roles, signOff: true } satisfies DeskAccess);
/** The account page and the logout stay open while a temporary password waits to be changed. */
export const DeskDuringPasswordChange = (): MethodDecorator =>
  SetMetadata(DESK_ACCESS, { anonymous: false, duringPasswordChange: true } satisfies DeskAccess);

/** Thrown by the desk's guard and handlers; the desk's filter answers 303 to `location`. */
export class DeskRedirect extends Error {
  constructor(
    readonly location: string,
    readonly setCookies: string[] = [],
  ) {
    super(`Redirect to ${location}`);
  }
}

export function csrfRejected(): DomainError {
  return new DomainError('CSRF_REJECTED', msg('desk.csrfRejected'));
}

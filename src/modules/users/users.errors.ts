import { DomainError } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';

export function usernameTaken(username: string): DomainError {
  return new DomainError('USERNAME_TAKEN', msg('user.usernameTaken', { username }));
}

export function userScopeInvalid(field: string, message: Message | string): DomainError {
  return new DomainError('USER_SCOPE_INVALID', message, {
    errors: [{ field, message }],
  });
}

export function cannotDeactivateSelf(): DomainError {
  return new DomainError('CANNOT_DEACTIVATE_SELF', msg('user.cannotDeactivateSelf'));
}

import { DomainError } from '../../common/errors/domain-error';
import type { Message } from '../../common/i18n/message';

export function usernameTaken(username: string): DomainError {
  return new DomainError('USERNAME_TAKEN', `Username ${username} is already taken`);
}

export function userScopeInvalid(field: string, message: Message | string): DomainError {
  return new DomainError('USER_SCOPE_INVALID', message, {
    errors: [{ field, message }],
  });
}

export function cannotDeactivateSelf(): DomainError {
  return new DomainError(
    'CANNOT_DEACTIVATE_SELF',
    'An admin cannot deactivate its own account; ask another admin',
  );
}

import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const UserErrors = defineErrors({
  USERNAME_TAKEN: HttpStatus.CONFLICT,
  USER_SCOPE_INVALID: HttpStatus.BAD_REQUEST,
});

export function usernameTaken(username: string): DomainError {
  return new DomainError(
    'USERNAME_TAKEN',
    UserErrors.USERNAME_TAKEN,
    `Username ${username} is already taken`,
  );
}

export function userScopeInvalid(field: string, message: string): DomainError {
  return new DomainError('USER_SCOPE_INVALID', UserErrors.USER_SCOPE_INVALID, message, {
    errors: [{ field, message }],
  });
}

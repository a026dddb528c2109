import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const BoardErrors = defineErrors({
  /** The form came without the token of a page this app served (a forged or stale post). */
  CSRF_REJECTED: HttpStatus.FORBIDDEN,
});
type Code = keyof typeof BoardErrors;

export function boardError(code: Code, message: string): DomainError {
  return new DomainError(code, BoardErrors[code], message);
}

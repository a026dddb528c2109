import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const AcceptanceErrors = defineErrors({
  ALREADY_SIGNED: HttpStatus.CONFLICT,
  ACCEPTANCE_CLOSED: HttpStatus.CONFLICT,
  ACCEPTANCE_VILLAGES_INVALID: HttpStatus.BAD_REQUEST,
});
type Code = keyof typeof AcceptanceErrors;

export function acceptanceError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, AcceptanceErrors[code], message, extra);
}

import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const FieldWorkErrors = defineErrors({
  CLAIM_INCOMPLETE: HttpStatus.CONFLICT,
  REGISTER_FILE_REJECTED: HttpStatus.BAD_REQUEST,
  ROW_FROZEN: HttpStatus.CONFLICT,
  ATTACHMENT_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
});
type Code = keyof typeof FieldWorkErrors;

export function fieldWorkError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, FieldWorkErrors[code], message, extra);
}

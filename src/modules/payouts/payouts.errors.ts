import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const PayoutErrors = defineErrors({
  PAYOUT_EXISTS: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_KEY_MISSING: HttpStatus.BAD_REQUEST,
});
type Code = keyof typeof PayoutErrors;

export function payoutError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, PayoutErrors[code], message, extra);
}

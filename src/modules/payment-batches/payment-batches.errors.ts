import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const PaymentBatchErrors = defineErrors({
  PAYOUT_IN_BATCH: HttpStatus.CONFLICT,
  BATCH_EMPTY: HttpStatus.CONFLICT,
  RESULT_FILE_REJECTED: HttpStatus.BAD_REQUEST,
});
type Code = keyof typeof PaymentBatchErrors;

export function paymentBatchError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, PaymentBatchErrors[code], message, extra);
}

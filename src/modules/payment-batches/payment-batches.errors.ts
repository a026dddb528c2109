import { DomainError } from '../../common/errors/domain-error';
import type { PAYMENT_BATCH_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof PAYMENT_BATCH_ERRORS;

export function paymentBatchError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

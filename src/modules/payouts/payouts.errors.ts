import { DomainError } from '../../common/errors/domain-error';
import type { PAYOUT_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof PAYOUT_ERRORS;

export function payoutError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

import { DomainError } from '../../common/errors/domain-error';
import type { CONTRACT_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof CONTRACT_ERRORS;

export function contractError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

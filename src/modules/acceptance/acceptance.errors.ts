import { DomainError } from '../../common/errors/domain-error';
import type { ACCEPTANCE_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof ACCEPTANCE_ERRORS;

export function acceptanceError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

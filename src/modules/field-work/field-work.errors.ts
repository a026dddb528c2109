import { DomainError } from '../../common/errors/domain-error';
import type { FIELD_WORK_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof FIELD_WORK_ERRORS;

export function fieldWorkError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

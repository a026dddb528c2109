import { DomainError } from '../../common/errors/domain-error';
import type { NOTICE_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof NOTICE_ERRORS;

export function noticeError(
  code: Code,
  message: Message | string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

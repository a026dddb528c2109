import { DomainError } from '../../common/errors/domain-error';
import type { NOTICE_ERRORS } from '../../common/errors/error-codes';

type Code = keyof typeof NOTICE_ERRORS;

export function noticeError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

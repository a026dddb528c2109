import { DomainError } from '../../common/errors/domain-error';
import type { FIELD_WORK_ERRORS } from '../../common/errors/error-codes';

type Code = keyof typeof FIELD_WORK_ERRORS;

export function fieldWorkError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

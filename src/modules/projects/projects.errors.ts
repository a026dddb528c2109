import { DomainError } from '../../common/errors/domain-error';
import type { PROJECT_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof PROJECT_ERRORS;

export function projectError(code: Code, message: Message | string, field?: string): DomainError {
  return new DomainError(code, message, field ? { errors: [{ field, message }] } : {});
}

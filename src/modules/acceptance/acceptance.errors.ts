import { DomainError } from '../../common/errors/domain-error';
import type { ACCEPTANCE_ERRORS } from '../../common/errors/error-codes';

type Code = keyof typeof ACCEPTANCE_ERRORS;

export function acceptanceError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

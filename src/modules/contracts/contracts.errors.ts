import { DomainError } from '../../common/errors/domain-error';
import type { CONTRACT_ERRORS } from '../../common/errors/error-codes';

type Code = keyof typeof CONTRACT_ERRORS;

export function contractError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, message, extra);
}

import { DomainError } from '../../common/errors/domain-error';
import type { BOARD_ERRORS } from '../../common/errors/error-codes';

type Code = keyof typeof BOARD_ERRORS;

export function boardError(code: Code, message: string): DomainError {
  return new DomainError(code, message);
}

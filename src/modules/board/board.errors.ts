import { DomainError } from '../../common/errors/domain-error';
import type { BOARD_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

type Code = keyof typeof BOARD_ERRORS;

export function boardError(code: Code, message: Message | string): DomainError {
  return new DomainError(code, message);
}

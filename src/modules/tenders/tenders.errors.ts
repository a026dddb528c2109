import { DomainError } from '../../common/errors/domain-error';
import type { TENDER_ERRORS } from '../../common/errors/error-codes';
import type { Message } from '../../common/i18n/message';

export type TenderErrorCode = keyof typeof TENDER_ERRORS;

export function tenderError(
  code: TenderErrorCode,
  message: Message | string,
  field?: string,
): DomainError {
  return new DomainError(code, message, field ? { errors: [{ field, message }] } : {});
}

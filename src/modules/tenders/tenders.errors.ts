import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const TenderErrors = defineErrors({
  TENDER_DATES_INVALID: HttpStatus.BAD_REQUEST,
  INVITATION_INVALID: HttpStatus.BAD_REQUEST,
  DUPLICATE_LOT_CODE: HttpStatus.BAD_REQUEST,
  LOT_AREA_EXCEEDS_PLAN: HttpStatus.BAD_REQUEST,
  UNKNOWN_LOT: HttpStatus.BAD_REQUEST,
  BID_PRICES_INCOMPLETE: HttpStatus.BAD_REQUEST,
  TASK_NOT_IN_LOT: HttpStatus.BAD_REQUEST,
  UNKNOWN_BID: HttpStatus.BAD_REQUEST,
  BID_NOT_IN_LOT: HttpStatus.BAD_REQUEST,
  DEADLINE_OUTSIDE_SERVICE_WINDOW: HttpStatus.BAD_REQUEST,
  AWARD_DATE_INVALID: HttpStatus.BAD_REQUEST,
  NOT_INVITED: HttpStatus.FORBIDDEN,
  TENDER_NOT_DUE: HttpStatus.CONFLICT,
  TENDER_ALREADY_OPENED: HttpStatus.CONFLICT,
  TENDER_NOT_OPENED: HttpStatus.CONFLICT,
  BID_AFTER_OPENING: HttpStatus.CONFLICT,
  BIDS_SEALED: HttpStatus.CONFLICT,
  LOT_ALREADY_AWARDED: HttpStatus.CONFLICT,
  SCORE_EXISTS: HttpStatus.CONFLICT,
});
export type TenderErrorCode = keyof typeof TenderErrors;

export function tenderError(code: TenderErrorCode, message: string, field?: string): DomainError {
  return new DomainError(
    code,
    TenderErrors[code],
    message,
    field ? { errors: [{ field, message }] } : {},
  );
}

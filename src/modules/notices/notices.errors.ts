import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const NoticeErrors = defineErrors({
  NOTICE_CLOSED: HttpStatus.CONFLICT,
  OBJECTION_ALREADY_RESOLVED: HttpStatus.CONFLICT,
  AREA_ABOVE_PREVIOUS_STAGE: HttpStatus.BAD_REQUEST,
  UNKNOWN_REGISTER_ROW: HttpStatus.BAD_REQUEST,
});
type Code = keyof typeof NoticeErrors;

export function noticeError(
  code: Code,
  message: string,
  extra: DomainError['extra'] = {},
): DomainError {
  return new DomainError(code, NoticeErrors[code], message, extra);
}

import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const ProjectErrors = defineErrors({
  PROJECT_CODE_TAKEN: HttpStatus.CONFLICT,
  SERVICE_WINDOW_INVALID: HttpStatus.BAD_REQUEST,
  DUPLICATE_TASK_CODE: HttpStatus.BAD_REQUEST,
  UNKNOWN_VILLAGE: HttpStatus.BAD_REQUEST,
  UNKNOWN_TASK: HttpStatus.BAD_REQUEST,
});
type Code = keyof typeof ProjectErrors;

export function projectError(code: Code, message: string, field?: string): DomainError {
  return new DomainError(
    code,
    ProjectErrors[code],
    message,
    field ? { errors: [{ field, message }] } : {},
  );
}

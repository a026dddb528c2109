import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const OrganisationErrors = defineErrors({
  CREDIT_CODE_INVALID: HttpStatus.BAD_REQUEST,
  CREDIT_CODE_TAKEN: HttpStatus.CONFLICT,
});

export function creditCodeInvalid(message: string): DomainError {
  return new DomainError('CREDIT_CODE_INVALID', OrganisationErrors.CREDIT_CODE_INVALID, message, {
    errors: [{ field: 'creditCode', message }],
  });
}

export function creditCodeTaken(code: string): DomainError {
  return new DomainError(
    'CREDIT_CODE_TAKEN',
    OrganisationErrors.CREDIT_CODE_TAKEN,
    `An organisation with credit code ${code} already exists`,
  );
}

import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const RegionErrors = defineErrors({
  REGION_CODE_TAKEN: HttpStatus.CONFLICT,
  REGION_PARENT_INVALID: HttpStatus.BAD_REQUEST,
});

export function regionCodeTaken(code: string): DomainError {
  return new DomainError(
    'REGION_CODE_TAKEN',
    RegionErrors.REGION_CODE_TAKEN,
    `Region code ${code} is already in use`,
  );
}

export function regionParentInvalid(message: string): DomainError {
  return new DomainError('REGION_PARENT_INVALID', RegionErrors.REGION_PARENT_INVALID, message, {
    errors: [{ field: 'parentCode', message }],
  });
}

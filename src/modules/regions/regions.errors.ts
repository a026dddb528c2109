import { DomainError } from '../../common/errors/domain-error';

export function regionCodeTaken(code: string): DomainError {
  return new DomainError('REGION_CODE_TAKEN', `Region code ${code} is already in use`);
}

export function regionParentInvalid(message: string): DomainError {
  return new DomainError('REGION_PARENT_INVALID', message, {
    errors: [{ field: 'parentCode', message }],
  });
}

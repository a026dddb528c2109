import { DomainError } from '../../common/errors/domain-error';
import type { Message } from '../../common/i18n/message';

export function regionCodeTaken(code: string): DomainError {
  return new DomainError('REGION_CODE_TAKEN', `Region code ${code} is already in use`);
}

export function regionParentInvalid(message: Message | string): DomainError {
  return new DomainError('REGION_PARENT_INVALID', message, {
    errors: [{ field: 'parentCode', message }],
  });
}

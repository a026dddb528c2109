import { DomainError } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';

export function regionCodeTaken(code: string): DomainError {
  return new DomainError('REGION_CODE_TAKEN', msg('region.codeTaken', { code }));
}

export function regionParentInvalid(message: Message | string): DomainError {
  return new DomainError('REGION_PARENT_INVALID', message, {
    errors: [{ field: 'parentCode', message }],
  });
}

import { DomainError } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';

export function creditCodeInvalid(message: Message | string): DomainError {
  return new DomainError('CREDIT_CODE_INVALID', message, {
    errors: [{ field: 'creditCode', message }],
  });
}

export function creditCodeTaken(code: string): DomainError {
  return new DomainError('CREDIT_CODE_TAKEN', msg('organisation.creditCodeTaken', { code }));
}

export function providerNotEligible(
  name: string,
  on: string,
  reason: Message | string,
): DomainError {
  return new DomainError(
    'PROVIDER_NOT_ELIGIBLE',
    msg('organisation.notEligible', { name, on, reason }),
  );
}

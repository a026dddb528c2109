import { DomainError } from '../../common/errors/domain-error';
import type { Message } from '../../common/i18n/message';

export function creditCodeInvalid(message: Message | string): DomainError {
  return new DomainError('CREDIT_CODE_INVALID', message, {
    errors: [{ field: 'creditCode', message }],
  });
}

export function creditCodeTaken(code: string): DomainError {
  return new DomainError(
    'CREDIT_CODE_TAKEN',
    `An organisation with credit code ${code} already exists`,
  );
}

export function providerNotEligible(name: string, on: string, reason: string): DomainError {
  return new DomainError('PROVIDER_NOT_ELIGIBLE', `${name} is not eligible on ${on}: ${reason}`);
}

import { commonError, DomainError } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';

export function unauthenticated(message: Message | string): DomainError {
  return commonError('UNAUTHENTICATED', message);
}

export function forbidden(message: Message | string): DomainError {
  return commonError('FORBIDDEN', message);
}

export function passwordChangeRequired(): DomainError {
  return new DomainError('PASSWORD_CHANGE_REQUIRED', msg('auth.passwordChangeRequired'));
}

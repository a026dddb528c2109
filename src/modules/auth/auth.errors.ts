import { commonError, type DomainError } from '../../common/errors/domain-error';

export function unauthenticated(message: string): DomainError {
  return commonError('UNAUTHENTICATED', message);
}

export function forbidden(message: string): DomainError {
  return commonError('FORBIDDEN', message);
}

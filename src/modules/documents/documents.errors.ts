import { DomainError } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';

export function documentNotAvailable(message: Message | string): DomainError {
  return new DomainError('DOCUMENT_NOT_AVAILABLE', message);
}

export function unknownDocumentKind(kind: string): DomainError {
  return new DomainError('UNKNOWN_DOCUMENT_KIND', msg('document.unknownKind', { kind }));
}

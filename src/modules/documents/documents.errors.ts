import { HttpStatus } from '@nestjs/common';
import { DomainError, defineErrors } from '../../common/errors/domain-error';

export const DocumentErrors = defineErrors({
  DOCUMENT_NOT_AVAILABLE: HttpStatus.CONFLICT,
  UNKNOWN_DOCUMENT_KIND: HttpStatus.NOT_FOUND,
});

export function documentNotAvailable(message: string): DomainError {
  return new DomainError('DOCUMENT_NOT_AVAILABLE', DocumentErrors.DOCUMENT_NOT_AVAILABLE, message);
}

export function unknownDocumentKind(kind: string): DomainError {
  return new DomainError(
    'UNKNOWN_DOCUMENT_KIND',
    DocumentErrors.UNKNOWN_DOCUMENT_KIND,
    `No document kind ${kind}`,
  );
}

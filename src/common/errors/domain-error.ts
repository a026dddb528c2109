import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Every error a client may see. Services throw these (never `HttpException`); the problem filter
 * turns them into `application/problem+json`. Each module declares its codes with their status in
 * its `<noun>.errors.ts`; the codes are part of the API contract.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Declares a module's error codes with their HTTP status; a code without a status does not compile. */
export function defineErrors<const T extends Record<string, HttpStatus>>(codes: T): T {
  return codes;
}

export const CommonErrors = defineErrors({
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  MALFORMED_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  SEPARATION_OF_DUTIES: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  VERSION_CONFLICT: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
});
export type CommonErrorCode = keyof typeof CommonErrors;

export function commonError(
  code: CommonErrorCode,
  message: string,
  extra?: DomainError['extra'],
): DomainError {
  return new DomainError(code, CommonErrors[code], message, extra);
}

/** The one answer for anything outside the caller's scope: it must not reveal that it exists. */
export function notFound(what: string, id: string): DomainError {
  return commonError('NOT_FOUND', `${what} ${id} was not found`);
}

export function validationFailed(errors: FieldError[]): DomainError {
  return commonError(
    'VALIDATION_FAILED',
    errors.length === 1
      ? `${errors[0].field}: ${errors[0].message}`
      : `${errors.length} fields are invalid`,
    { errors },
  );
}

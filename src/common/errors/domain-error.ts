import { ERROR_STATUS, type COMMON_ERRORS, type ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

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
  /** From the one registry (error-codes.ts): a code carries its status, no caller picks one. */
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = ERROR_STATUS[code];
  }
}

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

export function commonError(
  code: CommonErrorCode,
  message: string,
  extra?: DomainError['extra'],
): DomainError {
  return new DomainError(code, message, extra);
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

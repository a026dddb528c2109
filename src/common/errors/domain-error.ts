import { msg, render, type Message } from '../i18n/message';
import type { Entity } from '../i18n/messages.zh';
import { ERROR_STATUS, type COMMON_ERRORS, type ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

export interface FieldError {
  /** The field as the request names it (JSON path, header): never translated. */
  field: string;
  /** A catalogue message (a plain string only from code not yet moved to the catalogue). */
  message: Message | string;
}

/**
 * Every error a client may see. Services throw these (never `HttpException`); the problem filter
 * turns them into `application/problem+json`, its `detail` (and each `errors[].message`) rendered
 * from the catalogues in the request's language. The codes and their statuses are one registry
 * (error-codes.ts); a module's `<noun>.errors.ts`, where it has one, builds its errors. The codes
 * are part of the API contract.
 *
 * The message is a catalogue message (`msg(key, params)`, common/i18n). A plain string is still
 * taken, shown as it is in every language, so that code written before the catalogue compiles;
 * the catalogue test (test/unit/messages-in-catalogue.spec.ts) refuses a string literal.
 */
export class DomainError extends Error {
  /** From the one registry (error-codes.ts): a code carries its status, no caller picks one. */
  readonly status: number;
  /** What the filter renders; `message` is its English text, for logs and tests. */
  readonly text: Message | string;

  constructor(
    readonly code: ErrorCode,
    message: Message | string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(render(message, 'en'));
    this.name = 'DomainError';
    this.text = message;
    this.status = ERROR_STATUS[code];
  }
}

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

export function commonError(
  code: CommonErrorCode,
  message: Message | string,
  extra?: DomainError['extra'],
): DomainError {
  return new DomainError(code, message, extra);
}

/** The one answer for anything outside the caller's scope: it must not reveal that it exists. */
export function notFound(what: Entity, id: string): DomainError {
  return commonError('NOT_FOUND', msg('notFound', { what, id }));
}

export function validationFailed(errors: FieldError[]): DomainError {
  return commonError(
    'VALIDATION_FAILED',
    errors.length === 1
      ? msg('validation.summary.one', { field: errors[0].field, message: errors[0].message })
      : msg('validation.summary.many', { count: errors.length }),
    { errors },
  );
}

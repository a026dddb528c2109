import type { Type } from '@nestjs/common';
import { DomainError, type FieldError } from '../../common/errors/domain-error';
import { createValidationPipe } from '../../common/http/validation.pipe';
import { render } from '../../common/i18n/message';
import { CODE_MESSAGES } from './desk-strings';

const pipe = createValidationPipe();

/** A form's fields as the REST route's DTO, validated by the same pipe (400 VALIDATION_FAILED). */
export async function asDto<T>(metatype: Type<T>, plain: Record<string, unknown>): Promise<T> {
  return (await pipe.transform(plain, { type: 'body', metatype })) as T;
}

/** A repeated form field (`rowId=a&rowId=b`) as a list. */
export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A refusal's message next to its field, in Chinese: what the code means to an official, with the
 * catalogue's own words for this case in brackets.
 */
export function chinese(error: DomainError, field?: FieldError): string {
  const base = CODE_MESSAGES[error.code];
  if (field) {
    // A field's own message is already the catalogue's Chinese for this case (`密码至少 10 个字符`).
    const detail = render(field.message, 'zh');
    if (error.code === 'VALIDATION_FAILED') return detail;
    return base ? `${base}（${detail}）` : detail;
  }
  // Separation of duties has more than one reason (a cooperative's own work, one approver
  // twice): the refusal's own catalogue words say which.
  if (error.code === 'SEPARATION_OF_DUTIES' && typeof error.text !== 'string')
    return render(error.text, 'zh');
  return base ?? render(error.text, 'zh');
}

/**
 * A refused action as the page shows it: each REST field mapped to the form's own input (`map`
 * answers the input's key, or undefined for a field the form has not), the rest in the summary.
 */
export function formErrors(
  error: DomainError,
  formKey: string,
  map: (field: string) => string | undefined,
): { errors: FieldError[]; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  const errors: FieldError[] = [];
  const fields = error.extra.errors ?? [];
  for (const field of fields) {
    const key = map(field.field);
    const message = chinese(error, field);
    if (key) {
      fieldErrors[key] ??= message;
      errors.push({ field: `${formKey}-${key}`, message });
    } else errors.push({ field: formKey, message });
  }
  if (fields.length === 0) errors.push({ field: formKey, message: chinese(error) });
  return { errors, fieldErrors };
}

/**
 * A refusal that goes back to its form (the page again, at its status); the rest — outside the
 * scope, no session, a forged form, a fault — are the desk filter's pages.
 */
export function formRefusal(error: unknown): error is DomainError {
  return (
    error instanceof DomainError &&
    error.status < 500 &&
    !['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED'].includes(error.code)
  );
}

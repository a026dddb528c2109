import { validationFailed, type FieldError } from '../../common/errors/domain-error';
import type { CreateObjectionDto } from '../notices/dto/notice.dto';
import { msg } from '../../common/i18n/message';

/** What the villager typed, kept to show the form again with the problems marked. */
export interface ObjectionFormInput {
  name: string;
  phone: string;
  text: string;
  registerRowId: string;
}

// The limits of CreateObjectionDto (the JSON route), so both routes take the same objections.
export const NAME_MAX = 100;
export const TEXT_MAX = 2000;
/** A mobile number (1[3-9] + 9 digits, +86 allowed) or a landline with its area code (0558-5123456). */
const MOBILE = /^(\+?86)?1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formInput(body: unknown): ObjectionFormInput {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  return {
    name: text('name'),
    phone: text('phone'),
    text: text('text'),
    registerRowId: text('registerRowId'),
  };
}

/**
 * The form's fields as the JSON route's body, or VALIDATION_FAILED naming each bad field with a
 * message a villager understands. The phone must be one the village can call back.
 */
export function parseObjectionForm(input: ObjectionFormInput): CreateObjectionDto {
  const errors: FieldError[] = [];
  if (input.name === '') errors.push({ field: 'name', message: msg('board.nameMissing') });
  else if (input.name.length > NAME_MAX)
    errors.push({ field: 'name', message: msg('board.nameTooLong', { max: NAME_MAX }) });
  const phone = input.phone.replace(/[\s()（）]/g, '');
  if (input.phone === '') errors.push({ field: 'phone', message: msg('board.phoneMissing') });
  else if (!MOBILE.test(phone) && !LANDLINE.test(phone))
    errors.push({
      field: 'phone',
      message: msg('board.phoneInvalid'),
    });
  if (input.text === '') errors.push({ field: 'text', message: msg('board.textMissing') });
  else if (input.text.length > TEXT_MAX)
    errors.push({ field: 'text', message: msg('board.textTooLong', { max: TEXT_MAX }) });
  if (input.registerRowId !== '' && !UUID.test(input.registerRowId))
    errors.push({ field: 'registerRowId', message: msg('board.rowInvalid') });
  if (errors.length > 0) throw validationFailed(errors);
  return {
    name: input.name,
    phone,
    text: input.text,
    ...(input.registerRowId ? { registerRowId: input.registerRowId.toLowerCase() } : {}),
  };
}

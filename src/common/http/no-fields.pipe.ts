import { type PipeTransform } from '@nestjs/common';
import { validationFailed } from '../errors/domain-error';
import { msg } from '../i18n/message';

/**
 * The body of a command that takes none (opening a tender, a claim, a withdrawal) or the text
 * fields of an upload that takes only its file: any property is refused with 400
 * VALIDATION_FAILED naming it, as the validation pipe does on every other route (no field a
 * client sends is ever silently ignored). Use as `@Body(NoFields) _body: unknown`.
 */
export class NoFieldsPipe implements PipeTransform {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    const fields = typeof value === 'object' ? Object.keys(value) : ['(body)'];
    if (fields.length > 0)
      throw validationFailed(
        fields.map((field) => ({
          field,
          message: msg('validation.whitelistValidation', { field }),
        })),
      );
    return undefined;
  }
}

export const NoFields = new NoFieldsPipe();

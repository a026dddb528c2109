import { ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import { validationFailed, type FieldError } from '../errors/domain-error';
import { isMessage, messageInText, msg, type Message, type MessageKey } from '../i18n/message';
import { zh } from '../i18n/messages.zh';

/**
 * A class-validator constraint as a catalogue message: `validation.<constraint>` with the field
 * as the request names it and the decorator's own arguments (`@Length(1, 40)` → min 1, max 40);
 * a DTO's own wording is its decorator's `context` (`{ context: msg('validation.format.…') }`).
 * A constraint the catalogue does not know keeps class-validator's English text.
 */
function constraintMessage(
  error: ValidationError,
  field: string,
  constraint: string,
  text: string,
): Message | string {
  const own: unknown = error.contexts?.[constraint];
  if (isMessage(own)) return own;
  const carried = messageInText(text);
  if (carried) return carried;
  const key = `validation.${constraint === 'isUUID' ? 'isUuid' : constraint}`;
  if (!Object.hasOwn(zh, key)) return msg('validation.other', { text });
  const args = constraintArguments(error, constraint);
  const params: Record<string, unknown> = { field };
  switch (constraint) {
    case 'isLength':
      params.min = args[0];
      params.max = args[1];
      break;
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      params.min = args[0];
      break;
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      params.max = args[0];
      break;
    case 'isIn':
      params.values = Array.isArray(args[0]) ? args[0].join(', ') : '';
      break;
    case 'isTwoDecimals':
      params.positive = args[0] === true;
      params.max = args[1];
      break;
  }
  return { key: key as MessageKey, params };
}

/** The arguments of the decorator that failed (class-validator keeps them in its metadata). */
function constraintArguments(error: ValidationError, constraint: string): unknown[] {
  const target = error.target?.constructor;
  if (!target) return [];
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(target, '', true, false)) {
    if (meta.propertyName !== error.property) continue;
    const name =
      meta.name ??
      (meta.type === 'customValidation' && meta.constraintCls
        ? storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name
        : meta.type);
    if (name === constraint) return meta.constraints ?? [];
  }
  return [];
}

/** Flattens class-validator's tree into `[{field: "tasks[0].plannedAreaMu", message}]`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field =
      parent === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, text]) => ({
      field,
      message: constraintMessage(error, field, constraint, text),
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** Whitelisting pipe: unknown fields are refused (no mass assignment), types are converted. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The target tells which decorator failed with which arguments; it never reaches a client.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
  });
}

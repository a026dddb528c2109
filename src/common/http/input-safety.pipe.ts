import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validationFailed, type FieldError } from '../errors/domain-error';
import { msg } from '../i18n/message';

/** Deeper than any body of the API (a register correction is 3 levels); deeper is an attack. */
export const MAX_INPUT_DEPTH = 32;

/**
 * More values (objects, arrays, strings, numbers, …) than any request of the API holds: the
 * largest real bodies (a batch's payout ids, an acceptance record's villages) have hundreds.
 * A 1 MB JSON array has about 500,000 and took 478 ms to walk (issue 22); the walk stops here.
 */
export const MAX_INPUT_VALUES = 20_000;

/** With the `u` flag a pair is one code point: only a surrogate without its other half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Keys that would reach an object's prototype when a library copies or merges the input. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first problem of a request's input that no validator downstream handles safely, or
 * undefined: nesting deep enough to overflow the validation pipe's recursion, prototype keys
 * (class-transformer copies them past the unknown-field check), NUL bytes (PostgreSQL refuses
 * them in text) lone surrogates (they turn into U+FFFD on the way to the database) and U+FFFD itself (what
 * a body that was not UTF-8 decodes to: the name it stood for is already lost), and more than
 * {@link MAX_INPUT_VALUES} values. It walks the value without recursion, so a 5,000-level body
 * cannot overflow it either, and visits at most MAX_INPUT_VALUES of them.
 */
export function unsafeInput(value: unknown, root: string): FieldError | undefined {
  const stack: { value: unknown; field: string; depth: number }[] = [
    { value, field: root, depth: 0 },
  ];
  let visited = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (++visited > MAX_INPUT_VALUES)
      return { field: root, message: msg('validation.tooManyValues', { max: MAX_INPUT_VALUES }) };
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000'))
        return { field: item.field, message: msg('validation.nul') };
      if (LONE_SURROGATE.test(item.value) || item.value.includes('\uFFFD'))
        return { field: item.field, message: msg('validation.notUnicode') };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_INPUT_DEPTH)
      return { field: item.field, message: msg('validation.tooDeep', { max: MAX_INPUT_DEPTH }) };
    const isArray = Array.isArray(item.value);
    // Children not visited yet count too: a flat array of a million numbers stops at once,
    // before its keys are listed.
    const children = isArray ? (item.value as unknown[]).length : undefined;
    if (children !== undefined && visited + stack.length + children > MAX_INPUT_VALUES)
      return {
        field: item.field || root,
        message: msg('validation.tooManyValues', { max: MAX_INPUT_VALUES }),
      };
    const keys = Object.keys(item.value);
    if (visited + stack.length + keys.length > MAX_INPUT_VALUES)
      return {
        field: item.field || root,
        message: msg('validation.tooManyValues', { max: MAX_INPUT_VALUES }),
      };
    for (const key of keys) {
      const child = (item.value as Record<string, unknown>)[key];
      const field = isArray ? `${item.field}[${key}]` : item.field ? `${item.field}.${key}` : key;
      if (!isArray && PROTOTYPE_KEYS.has(key))
        return { field, message: msg('validation.notAField') };
      if (LONE_SURROGATE.test(key) || key.includes('\u0000'))
        return { field: item.field || 'body', message: msg('validation.badKey') };
      stack.push({ value: child, field, depth: item.depth + 1 });
    }
  }
  return undefined;
}

/**
 * Runs before the validation pipe on every body, query and route parameter: what it refuses
 * answers 400 VALIDATION_FAILED naming the field, instead of a stack overflow or a database
 * error (500).
 */
@Injectable()
export class InputSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const root = metadata.type === 'body' ? '' : (metadata.data ?? '');
    const problem = unsafeInput(value, root);
    if (problem) throw validationFailed([{ ...problem, field: problem.field || metadata.type }]);
    return value;
  }
}

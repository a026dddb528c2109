import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { invisibleCharacter } from './identifier';

/**
 * An identifier typed by hand (a contract number) without a character nobody can see: a
 * zero-width space, a BOM, a bidi control or a control character would print exactly like
 * another identifier (identifier.ts). The text is kept as typed, or refused.
 */
export function IsVisibleIdentifier(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string): void => {
    registerDecorator({
      name: 'isVisibleIdentifier',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || invisibleCharacter(value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} contains an invisible or control character (${invisibleCharacter(String(args.value))}); type it again`,
      },
    });
  };
}

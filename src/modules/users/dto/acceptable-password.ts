import { registerDecorator, type ValidationArguments } from 'class-validator';
import { messageAsText, msg } from '../../../common/i18n/message';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../password-policy';

/**
 * The password policy on a DTO field; `usernameField` names the field it must differ from (a
 * route whose username is not in the body checks that in its service).
 */
export function AcceptablePassword(usernameField?: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'acceptablePassword',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          return (
            typeof value === 'string' && passwordProblem(value, usernameOf(args)) === undefined
          );
        },
        defaultMessage(args: ValidationArguments): string {
          // The policy's message, carried to the validation pipe (class-validator takes text).
          const problem =
            typeof args.value === 'string'
              ? passwordProblem(args.value, usernameOf(args))
              : msg('password.notString');
          return messageAsText(problem ?? msg('password.tooShort', { min: MIN_PASSWORD_LENGTH }));
        },
      },
    });
  };

  function usernameOf(args: ValidationArguments): string | undefined {
    if (!usernameField) return undefined;
    const value = (args.object as Record<string, unknown>)[usernameField];
    return typeof value === 'string' ? value : undefined;
  }
}

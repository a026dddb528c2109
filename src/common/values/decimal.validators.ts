import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { toHundredths } from './decimal-units';

/**
 * A non-negative decimal (number or string) with at most two decimals: `areaMu`, `unitPriceYuan`.
 * With `positive`, zero is refused too. The service converts it with `toHundredths`.
 */
export function IsTwoDecimals(
  options: { positive?: boolean } = {},
  validationOptions?: ValidationOptions,
) {
  return (object: object, propertyName: string): void => {
    registerDecorator({
      name: 'isTwoDecimals',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate(value: unknown): boolean {
          const hundredths = toHundredths(value);
          return hundredths !== undefined && (!options.positive || hundredths > 0);
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be a ${options.positive ? 'positive ' : ''}number with at most 2 decimals`;
        },
      },
    });
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** A real calendar date written `YYYY-MM-DD` (Asia/Shanghai, as people write it). */
export function IsCalendarDate(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string): void => {
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a date written YYYY-MM-DD`,
      },
    });
  };
}

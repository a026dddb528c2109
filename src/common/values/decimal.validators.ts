import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { formatHundredths, toHundredths } from './decimal-units';

/** api.md's bounds, in hundredths: what the integer columns hold with room to add up. */
export const MAX_AREA_HUNDREDTHS = 1_000_000_000; // 10,000,000.00 mu
export const MAX_UNIT_PRICE_FEN = 1_000_000; // 10,000.00 yuan per mu
export const MAX_BUDGET_FEN = 10_000_000_000_000; // 100,000,000,000.00 yuan
export const MAX_SCORE_HUNDREDTHS = 10_000; // 100.00 points

/**
 * A non-negative decimal (number or string) with at most two decimals: `areaMu`, `unitPriceYuan`.
 * With `positive`, zero is refused too; above `max` (in hundredths) is refused. The service
 * converts it with `toHundredths`.
 */
export function IsTwoDecimals(
  options: { positive?: boolean; max: number },
  validationOptions?: ValidationOptions,
) {
  return (object: object, propertyName: string): void => {
    registerDecorator({
      name: 'isTwoDecimals',
      target: object.constructor,
      propertyName,
      // For the message: positive or not, and the bound as people write it.
      constraints: [options.positive === true, formatHundredths(options.max)],
      options: validationOptions,
      validator: {
        validate(value: unknown): boolean {
          const hundredths = toHundredths(value);
          return (
            hundredths !== undefined &&
            (!options.positive || hundredths > 0) &&
            hundredths <= options.max
          );
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be a ${options.positive ? 'positive ' : ''}number with at most 2 decimals, at most ${formatHundredths(options.max)}`;
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

import { ApiProperty } from '@nestjs/swagger';
import { formatHundredths } from '../values/decimal-units';

/** What `toHundredths` reads from a string (it trims first): digits, at most 2 decimals. */
export const TWO_DECIMALS_PATTERN = '^\\s*\\d{1,12}(\\.\\d{1,2})?\\s*$';

/**
 * The OpenAPI side of `@IsTwoDecimals` (same options): an area, price, share or score a client
 * may send as a number or as a string with at most two decimals, published as `oneOf` a number
 * and a pattern-checked string, so that a generated client accepts both (`"25000.00"` and
 * `25000`). The property's TypeScript type (`number | string`) reflects as Object, which is
 * why `@ApiProperty` alone cannot say it.
 */
export function ApiTwoDecimals(options: {
  example: string;
  description?: string;
  required?: boolean;
  positive?: boolean;
  max: number;
}): PropertyDecorator {
  const bound = `${options.positive ? 'more than 0' : 'at least 0'}, at most ${formatHundredths(options.max)}, at most 2 decimals`;
  return ApiProperty({
    required: options.required ?? true,
    description: options.description ? `${options.description} (${bound})` : bound,
    oneOf: [
      {
        type: 'number',
        // Positive with 2 decimals is at least 0.01 (said so, not with OpenAPI 3.0's boolean
        // exclusiveMinimum, which JSON Schema validators such as ajv read differently).
        minimum: options.positive ? 0.01 : 0,
        maximum: options.max / 100,
        example: Number(options.example),
      },
      { type: 'string', pattern: TWO_DECIMALS_PATTERN, example: options.example },
    ],
  });
}

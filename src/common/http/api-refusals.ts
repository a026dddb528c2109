import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS } from '../errors/error-codes';

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Documents the refusals an operation can answer, by their codes in the one error registry:
 * one response per status, listing its codes (e.g. 409: INVALID_TRANSITION, VERSION_CONFLICT).
 * The statuses come from the registry, so the document cannot drift from what is thrown.
 */
export function ApiRefusals(...codes: ErrorCode[]): MethodDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, description: `${list.join(', ')} (application/problem+json)` }),
    ),
  );
}

export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A 200 that is a file, not JSON: each media type it may have, as binary, so that a generated
 * client reads it as a blob (`parseAs: 'blob'`) and a reader of the document knows what comes.
 */
export function ApiFileResponse(description: string, ...mediaTypes: string[]): MethodDecorator {
  return ApiOkResponse({
    description,
    content: Object.fromEntries(
      mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  });
}

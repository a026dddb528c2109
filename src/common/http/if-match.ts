import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { validationFailed } from '../errors/domain-error';
import { msg } from '../i18n/message';

/**
 * The version a client saw, from `If-Match: "7"` (the contract's ETag); undefined without the
 * header. A stale version makes the command fail with 409 VERSION_CONFLICT.
 */
export const IfMatch = createParamDecorator(
  (_: unknown, context: ExecutionContext): number | undefined => {
    const header = context.switchToHttp().getRequest<Request>().headers['if-match'];
    if (header === undefined || header === '*') return undefined;
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
    if (!match) throw validationFailed([{ field: 'If-Match', message: msg('validation.ifMatch') }]);
    return Number(match[1]);
  },
);

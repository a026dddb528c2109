import { ParseUUIDPipe } from '@nestjs/common';
import { commonError } from '../errors/domain-error';
import { msg } from '../i18n/message';
import type { Entity } from '../i18n/messages.zh';

/** A malformed id names no object: answer 404 like any other unknown id. */
export function uuidParam(what: Entity): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => commonError('NOT_FOUND', msg('notFoundWithThisId', { what })),
  });
}

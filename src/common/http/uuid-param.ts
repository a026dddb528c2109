import { ParseUUIDPipe } from '@nestjs/common';
import { notFound } from '../errors/domain-error';

/** A malformed id names no object: answer 404 like any other unknown id. */
export function uuidParam(what: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => notFound(what, 'with this id') });
}

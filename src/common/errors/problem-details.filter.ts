import {
  Catch,
  HttpException,
  HttpStatus,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger as PinoLogger } from 'pino';
import { ROOT_LOGGER } from '../logging/logger';
import { DomainError, commonError, type CommonErrorCode } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 body; `code` is the stable, documented part a client branches on. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

const STATUS_CODES: Partial<Record<number, CommonErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'MALFORMED_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'TOO_MANY_REQUESTS',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
};

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one exception filter. Domain errors keep their code; framework errors (unknown route, body
 * too large, malformed JSON, throttling) get a code from their status; anything else is a 500
 * whose details go to the log only, never to the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  // The root pino logger itself: the error goes out with its own fields (a query's parameters
  // too), redacted at any depth by the logger's formatter.
  constructor(@Inject(ROOT_LOGGER) private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const error = this.toDomainError(exception);
    if (error.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, context: 'ProblemDetailsFilter' },
        'Unhandled error',
      );
    }
    if (response.headersSent) return;
    if (error.status === 429) {
      const retryAfter = error.extra.retryAfterSeconds;
      response.setHeader('Retry-After', typeof retryAfter === 'number' ? String(retryAfter) : '60');
    }
    const { errors, ...rest } = error.extra;
    const body: ProblemDetails = {
      type: `urn:agri-subsidy:problem:${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(request.id ? { instance: `urn:request:${request.id}` } : {}),
      ...(errors ? { errors } : {}),
      ...rest,
    };
    response.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status];
      if (code) return commonError(code, messageOf(exception, status));
    }
    const bodyError = bodyParserError(exception);
    if (bodyError) return bodyError;
    return commonError('INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
  }
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.too.large': 'The request body is larger than allowed',
  'entity.parse.failed': 'The request body is not valid JSON',
  'charset.unsupported':
    'The body must be JSON in UTF-8 (Content-Type: application/json; charset=utf-8)',
  'encoding.unsupported': 'Content-Encoding must be gzip, deflate, br or identity',
};

/**
 * body-parser's errors (http-errors with `expose`): a 4xx the client caused — an unsupported
 * charset or Content-Encoding (415), a body that is not JSON or does not inflate (400), too large
 * (413). Anything not marked exposable stays a 500.
 */
function bodyParserError(exception: unknown): DomainError | undefined {
  const error = exception as { type?: unknown; status?: unknown; expose?: unknown } | undefined;
  if (typeof error?.status !== 'number' || error.expose !== true) return undefined;
  if (error.status < 400 || error.status >= 500) return undefined;
  const code = STATUS_CODES[error.status] ?? 'MALFORMED_REQUEST';
  const message = typeof error.type === 'string' ? BODY_PARSER_MESSAGES[error.type] : undefined;
  // A body that does not inflate (Content-Encoding: br on plain text) is a zlib error marked 400.
  return commonError(code, message ?? 'The request body cannot be read (is it encoded as said?)');
}

function messageOf(exception: HttpException, status: number): string {
  if (status === 404) return 'No such route';
  if (status === 413) return 'The request body is larger than allowed';
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

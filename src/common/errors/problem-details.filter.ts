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
import { CONTENT_LANGUAGE, preferredLanguage } from '../i18n/language';
import { msg, render, type Message, type MessageKey } from '../i18n/message';
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
    // The words in the request's language; the code and the field names never change with it.
    const language = preferredLanguage(request.headers['accept-language']);
    const { errors, ...rest } = error.extra;
    const body: ProblemDetails = {
      type: `urn:agri-subsidy:problem:${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: render(msg('http.title', { status: error.status }), language),
      status: error.status,
      detail: render(error.text, language),
      code: error.code,
      ...(request.id ? { instance: `urn:request:${request.id}` } : {}),
      ...(errors
        ? {
            errors: errors.map(({ field, message }) => ({
              field,
              message: render(message, language),
            })),
          }
        : {}),
      ...rest,
    };
    response.setHeader('Content-Language', CONTENT_LANGUAGE[language]);
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
    return commonError('INTERNAL_ERROR', msg('http.internal'));
  }
}

const BODY_PARSER_MESSAGES: Record<string, MessageKey> = {
  'entity.too.large': 'http.bodyTooLarge',
  'entity.parse.failed': 'http.bodyNotJson',
  'charset.unsupported': 'http.bodyCharset',
  'encoding.unsupported': 'http.bodyEncoding',
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
  const key =
    typeof error.type === 'string' && Object.hasOwn(BODY_PARSER_MESSAGES, error.type)
      ? BODY_PARSER_MESSAGES[error.type]
      : undefined;
  // A body that does not inflate (Content-Encoding: br on plain text) is a zlib error marked 400.
  return commonError(code, msg(key ?? 'http.bodyUnreadable'));
}

/** A framework exception's message: ours where we know the status, else the framework's text. */
function messageOf(exception: HttpException, status: number): Message {
  if (status === 404) return msg('http.noRoute');
  if (status === 413) return msg('http.bodyTooLarge');
  if (status === 429) return msg('http.tooManyRequests');
  if (status === 405) return msg('http.methodNotAllowed');
  const response = exception.getResponse();
  let text: string;
  if (typeof response === 'string') text = response;
  else {
    const message = (response as { message?: unknown }).message;
    text = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message;
  }
  return status === 415 ? msg('http.unsupportedMediaType', { text }) : msg('http.other', { text });
}

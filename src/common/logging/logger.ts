import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../../config/app-config';
import { redactForLog, redactUrl } from './log-redaction';

/** The process's pino logger, for code that logs structured objects (errors with their fields). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Never in a log line: tokens, passwords, ID numbers, phone numbers, bank accounts. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.householdIdNo',
  '*.idNumber',
  '*.phone',
  '*.bankAccountNo',
];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'agri-subsidy' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // The paths above reach one level; an error's query parameters or a nested body go deeper.
    formatters: { log: (object) => redactForLog(object) as Record<string, unknown> },
  };
  return destination ? pino(options, destination) : pino(options);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** What an access log line carries: named fields, never the request or response objects. */
export interface AccessLine {
  res: { statusCode: number };
  responseTime: number;
  userId?: string;
  err?: unknown;
}

type LoggedRequest = IncomingMessage & {
  id?: unknown;
  originalUrl?: string;
  actor?: { id?: unknown };
};

/** The request as every line of it names it (pino-http binds it once, when the request starts). */
export function requestFields(request: LoggedRequest): { id: string; method: string; url: string } {
  return {
    id: typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : '',
    method: String(request.method),
    url: redactUrl(String(request.originalUrl ?? request.url ?? '')),
  };
}

function accessLine(request: LoggedRequest, response: ServerResponse, ms: number): AccessLine {
  const userId = request.actor?.id;
  return {
    res: { statusCode: response.statusCode },
    responseTime: ms,
    ...(typeof userId === 'string' ? { userId } : {}),
  };
}

/**
 * pino-http, one line per request: the request's id, method and URL (secret-named query
 * parameters removed) bound when it starts, and when it ends its status, duration and user. The
 * serializers get only these named fields and the line's objects are built here: neither pino's
 * standard serializers nor the log formatter ever see the request or response object (which
 * reach an upload's bytes, the socket and the whole server).
 */
export function httpLoggerOptions(logger: Logger): Options {
  return {
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const incoming = request.headers['x-request-id'];
      const id =
        typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    wrapSerializers: false,
    serializers: { req: requestFields },
    customSuccessObject: (request, response, fields: { responseTime: number }) =>
      accessLine(request, response, fields.responseTime),
    customErrorObject: (request, response, error, fields: { responseTime: number }) => ({
      ...accessLine(request, response, fields.responseTime),
      err: error,
    }),
  };
}

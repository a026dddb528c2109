import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details.filter';
import { ERROR_STATUS } from '../errors/error-codes';

type Response = {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
};
type Responses = Record<string, Response>;

const PROBLEM = PROBLEM_CONTENT_TYPE;
export const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

/**
 * The body of every refusal (RFC 9457 problem details, as ProblemDetailsFilter writes it): one
 * schema, referenced by every 4xx and 5xx response, so that a generated client types `error`.
 */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: {
      type: 'string',
      description: 'A URN naming the code',
      example: 'urn:agri-subsidy:problem:validation-failed',
    },
    title: { type: 'string', description: "The status's name", example: 'Bad Request' },
    status: { type: 'integer', description: 'The HTTP status', example: 400 },
    detail: { type: 'string', description: 'What was wrong, for people' },
    code: {
      type: 'string',
      description: 'The stable code a client branches on (the REST contract names them)',
      enum: Object.keys(ERROR_STATUS),
      example: 'VALIDATION_FAILED',
    },
    instance: {
      type: 'string',
      description: 'The request, as the logs name it',
      example: 'urn:request:6f1c…',
    },
    errors: {
      type: 'array',
      description: 'VALIDATION_FAILED: each field that was wrong',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'tasks[0].plannedAreaMu' },
          message: { type: 'string' },
        },
      },
    },
  },
  // Some refusals add their own facts (e.g. the task line's maximum area).
  additionalProperties: true,
};

/** Path parameters that are ids (the routes parse them as UUIDs; anything else is a 404). */
const isIdParameter = (name: string): boolean => name === 'id' || /Id$/.test(name);

/**
 * The statuses every operation can answer whatever its own ones are, added to the document in
 * one place: a bad body, query or parameter (400), a body too large (413) or in another charset
 * or encoding (415), a missing or expired token (401) and a role that may not (403) on protected
 * operations, and an id outside the caller's scope (404) where the path names one.
 */
export function addCommonResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const responses = operation.responses as Responses;
      const add = (status: string, description: string): void => {
        responses[status] ??= { description };
      };
      add('400', 'VALIDATION_FAILED naming the field, or MALFORMED_REQUEST');
      if (method !== 'get' && method !== 'delete') {
        add('413', 'PAYLOAD_TOO_LARGE');
        add(
          '415',
          'UNSUPPORTED_MEDIA_TYPE: another charset than UTF-8, an unknown Content-Encoding, or any Content-Encoding on an upload',
        );
      }
      // Every route is @Public() or names its roles (checked at start-up): no bearer = public.
      if (!operation.security || operation.security.length === 0) operation.security = [];
      if (operation.security.length > 0) {
        add('401', 'UNAUTHENTICATED');
        add('403', 'FORBIDDEN (or SEPARATION_OF_DUTIES)');
      }
      if (path.includes('{')) add('404', 'NOT_FOUND: no such object in the caller’s scope');
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        response.content ??= { [PROBLEM]: { schema: { $ref: PROBLEM_SCHEMA_REF } } };
      }
      for (const parameter of (operation.parameters ?? []) as {
        in: string;
        name: string;
        schema?: { type?: string; format?: string };
      }[])
        if (parameter.in === 'path' && isIdParameter(parameter.name) && parameter.schema)
          parameter.schema.format ??= 'uuid';
      const tooMany = responses['429'];
      if (tooMany) {
        tooMany.headers ??= {
          'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
        };
      }
    }
  }
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = PROBLEM_SCHEMA;
  return document;
}

type SchemaObject = {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  additionalProperties?: boolean;
};

/**
 * The validation pipe refuses properties a request DTO does not name (forbidNonWhitelisted):
 * say so in the document, on every schema a request body uses and the inputs nested in it, so
 * that a client validating against /docs-json refuses what the app refuses.
 */
export function closeRequestSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const closed = new Set<string>();
  const close = (schema: SchemaObject | undefined): void => {
    if (!schema) return;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop() as string;
      if (closed.has(name) || !schemas[name]) return;
      closed.add(name);
      close(schemas[name]);
      return;
    }
    if (schema.properties || schema.type === 'object') {
      schema.additionalProperties = false;
      Object.values(schema.properties ?? {}).forEach(close);
    }
    close(schema.items);
  };
  for (const item of Object.values(document.paths))
    for (const operation of [item.post, item.put, item.patch]) {
      const content = (
        operation?.requestBody as { content?: Record<string, { schema?: SchemaObject }> }
      )?.content;
      for (const media of Object.values(content ?? {})) close(media.schema);
    }
  return document;
}

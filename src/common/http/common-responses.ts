import type { OpenAPIObject } from '@nestjs/swagger';

type Responses = Record<string, { description: string; headers?: Record<string, unknown> }>;

const PROBLEM = 'application/problem+json with {type, title, status, detail, code}';

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
        responses[status] ??= { description: `${description} (${PROBLEM})` };
      };
      add('400', 'VALIDATION_FAILED naming the field, or MALFORMED_REQUEST');
      if (method !== 'get' && method !== 'delete') {
        add('413', 'PAYLOAD_TOO_LARGE');
        add(
          '415',
          'UNSUPPORTED_MEDIA_TYPE: another charset than UTF-8, an unknown Content-Encoding, or any Content-Encoding on an upload',
        );
      }
      if (operation.security && operation.security.length > 0) {
        add('401', 'UNAUTHENTICATED');
        add('403', 'FORBIDDEN (or SEPARATION_OF_DUTIES)');
      }
      if (path.includes('{')) add('404', 'NOT_FOUND: no such object in the caller’s scope');
      const tooMany = responses['429'];
      if (tooMany) {
        tooMany.headers ??= {
          'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
        };
      }
    }
  }
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

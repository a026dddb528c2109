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
          'UNSUPPORTED_MEDIA_TYPE: another charset than UTF-8, or an unknown Content-Encoding',
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

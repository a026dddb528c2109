import Ajv from 'ajv';
import fc from 'fast-check';
import { DOCUMENT_KINDS } from '../../src/modules/documents/documents.service';
import { ROLES, type Role } from '../../src/modules/auth/roles';
import { Api } from '../support/api';
import { filesUnder, fingerprint } from '../support/fingerprint';
import type { RawMultipart } from '../support/multipart';
import {
  invalidObjectOf,
  junkString,
  malformedMultipartOf,
  objectOf,
  resolve,
  valueOf,
  type OpenApiDocument,
  type Operation,
} from '../support/openapi-arbitrary';
import { createTestApp, type TestApp } from '../support/test-app';
import { buildScope, type Scope } from '../support/two-scopes';

/**
 * OpenAPI fuzz (quality.md): for every operation of /docs-json, requests generated from its
 * published schemas with fast-check — valid ones (built from the schema and its examples, on
 * real objects or random ids) and invalid ones (a required field gone, a field of the wrong type,
 * an unknown field, a body that is not an object), by a caller of an allowed role, of another
 * role, or without a token. Every answer is below 500 and one of the operation's documented
 * statuses; every refusal writes nothing; a body the published schema refuses (checked with ajv)
 * is refused with 400; to a multipart operation, invalid requests are malformed multipart bodies
 * (the nine hostile variants, a body cut short, random bytes), refused 400, 413 or 415 to an
 * allowed caller and leaving no file behind. Seeded: FUZZ_SEED=<n> replays a run; BATTERY_SIZE=long runs 100 cases
 * per operation and kind instead of 6.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = process.env.BATTERY_SIZE === 'long' ? 100 : 6;

type Caller = { kind: 'none' } | { kind: 'allowed' | 'refused'; role: Role };

interface Generated {
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
  invalid?: string;
  caller: Caller;
  file?: { content: Buffer; name: string };
  /** A malformed multipart body, sent as it is. */
  raw?: RawMultipart;
}

const ALL_ROLES: readonly Role[] = ROLES;

/** A real value for a path parameter of scope `s` (so that requests reach the services). */
function realParameter(path: string, name: string, s: Scope): string[] {
  const season = s.season;
  if (name === 'taskCode') return ['wheat_harvest'];
  if (name === 'villageCode') return [season.village];
  if (name === 'kind') return [...DOCUMENT_KINDS];
  if (name === 'rowId') return [s.rowId];
  if (name === 'sha256') return [s.documentSha256];
  if (name === 'code') return [season.village, season.district];
  const byPrefix: [string, string][] = [
    ['/contracts/', season.contractId],
    ['/tenders/', s.tenderId],
    ['/projects/', season.projectId],
    ['/payouts/', season.payoutId],
    ['/payment-batches/', s.batchId],
    ['/objections/', season.objectionId],
    ['/acceptance-records/', s.acceptanceRecordId],
    ['/organisations/', season.organisationId],
    // Deactivating or resetting a user ends its sessions: a spare one, never a caller's.
    ['/users/', s.spareUserId],
    ['/public/notices/', season.noticeId],
  ];
  const found = byPrefix.find(([prefix]) => path.startsWith(prefix));
  return found ? [found[1], season.mediaNoticeId] : [];
}

describe('OpenAPI fuzz: every operation of /docs-json, valid and invalid requests', () => {
  let test: TestApp;
  let document: OpenApiDocument;
  let scopes: Scope[];
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const figures = {
    requests: 0,
    refused: 0,
    accepted: 0,
    invalidBodies: 0,
    malformedMultipart: 0,
    byStatus: new Map<number, number>(),
  };

  beforeAll(async () => {
    console.log(
      `OpenAPI fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED}), ${RUNS} runs per operation and kind`,
    );
    test = await createTestApp({ testClock: true });
    const api = new Api(test);
    scopes = [await buildScope(test, api, 2021), await buildScope(test, api, 2022)];
    document = (await test.http().get('/docs-json').expect(200)).body as OpenApiDocument;
    ajv.addSchema({ $id: 'docs-json', components: document.components });
  }, 240_000);
  afterAll(async () => {
    const statuses = [...figures.byStatus].sort(([x], [y]) => x - y).map(([s, n]) => `${n} × ${s}`);
    console.log(
      `OpenAPI fuzz (seed ${SEED}): ${figures.requests} requests (${statuses.join(', ')}); ` +
        `${figures.invalidBodies} invalid bodies all 400; ` +
        `${figures.malformedMultipart} malformed multipart bodies all 400/413/415; ${figures.refused} refusals, 0 wrote anything; 0 × 5xx; 0 undocumented`,
    );
    await test?.close();
  });

  function operations(): { method: string; path: string; operation: Operation }[] {
    return Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
    );
  }

  function callerOf(operation: Operation): fc.Arbitrary<Caller> {
    const allowed = (operation['x-roles'] ?? []) as Role[];
    const refused = ALL_ROLES.filter((role) => !allowed.includes(role));
    const ways: fc.WeightedArbitrary<Caller>[] = [
      { arbitrary: fc.constant({ kind: 'none' }), weight: 1 },
    ];
    if (allowed.length > 0)
      ways.push({
        arbitrary: fc.constantFrom(...allowed).map((role) => ({ kind: 'allowed' as const, role })),
        weight: 5,
      });
    if (refused.length > 0 && allowed.length > 0)
      ways.push({
        arbitrary: fc.constantFrom(...refused).map((role) => ({ kind: 'refused' as const, role })),
        weight: 1,
      });
    return fc.oneof(...ways);
  }

  function requestOf(
    path: string,
    operation: Operation,
    invalid: boolean,
  ): fc.Arbitrary<Generated> {
    const parameters = operation.parameters ?? [];
    const pathParameters = parameters.filter((p) => p.in === 'path');
    const pathValues = fc.tuple(
      fc.constantFrom(0, 0, 0, 1),
      fc.tuple(
        ...pathParameters.map(() =>
          fc.oneof(
            { arbitrary: fc.constantFrom('real'), weight: 6 },
            { arbitrary: fc.uuid({ version: 4 }), weight: 1 },
            { arbitrary: junkString.filter((x) => x.length > 0 && !x.includes('/')), weight: 1 },
          ),
        ),
      ),
    );
    const query = fc.record(
      Object.fromEntries(
        parameters
          .filter((p) => p.in === 'query')
          .map((p) => [p.name, fc.oneof(valueOf(document, p.schema ?? {}), junkString)]),
      ),
      { requiredKeys: [] },
    );
    const content = operation.requestBody?.content ?? {};
    const json = content['application/json']?.schema;
    const multipart = content['multipart/form-data']?.schema;
    const body: fc.Arbitrary<{ body?: unknown; how?: string; raw?: RawMultipart }> = json
      ? invalid
        ? invalidObjectOf(document, resolve(document, json))
        : objectOf(document, resolve(document, json)).map((b) => ({ body: b }))
      : multipart
        ? invalid
          ? malformedMultipartOf(objectOf(document, resolve(document, multipart)))
          : objectOf(document, resolve(document, multipart)).map((b) => ({ body: b }))
        : fc.constant({});
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc
        .array(fc.array(junkString, { maxLength: 4 }), { maxLength: 4 })
        .map((rows) => Buffer.from(rows.map((row) => row.join(',')).join('\n'))),
      fc.constant(Buffer.alloc(0)),
    );
    return fc
      .record({
        pathValues,
        query,
        body,
        caller: callerOf(operation),
        file,
        key: fc.uuid({ version: 4 }),
      })
      .map(({ pathValues: [scopeIndex, values], query: q, body: b, caller, file: f, key }) => {
        let i = 0;
        const concrete = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          const choice = values[i++];
          const real = realParameter(path, name, scopes[scopeIndex]);
          const value =
            choice === 'real' && real.length > 0 ? real[key.charCodeAt(0) % real.length] : choice;
          return encodeURIComponent(value === 'real' ? key : value);
        });
        const headers: Record<string, string> = {};
        if (parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
          headers['Idempotency-Key'] = key;
        return {
          path: concrete,
          query: q,
          headers,
          body: b.body,
          invalid: b.how,
          caller,
          file: multipart && !b.raw ? { content: f, name: 'upload.csv' } : undefined,
          raw: b.raw,
        };
      });
  }

  async function send(method: string, request: Generated) {
    let call = test
      .http()
      [method as 'get'](request.path)
      .query(request.query as Record<string, string>);
    call = call.set(request.headers);
    if (request.caller.kind !== 'none') call = call.set(scopes[0].as[request.caller.role].auth);
    if (request.raw) return call.set(request.raw.headers).send(request.raw.body);
    if (request.file) {
      for (const [name, value] of Object.entries((request.body ?? {}) as Record<string, unknown>))
        call = call.field(name, typeof value === 'string' ? value : JSON.stringify(value));
      return call.attach('file', request.file.content, request.file.name);
    }
    return request.body !== undefined
      ? call.set('Content-Type', 'application/json').send(JSON.stringify(request.body))
      : call;
  }

  const kinds = [
    ['valid', false],
    ['invalid', true],
  ] as const;

  it.each(kinds)(
    '%s requests: 0 × 5xx, only documented statuses, refusals write nothing',
    async (_, invalid) => {
      let seed = SEED + (invalid ? 1_000_003 : 0);
      const problems: string[] = [];
      for (const { method, path, operation } of operations()) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        const multipart = operation.requestBody?.content['multipart/form-data'];
        if (invalid && !schema && !multipart) continue;
        const validate = schema?.$ref ? ajv.compile({ $ref: `docs-json${schema.$ref}` }) : null;
        let before = await fingerprint(test.dataSource);
        let filesBefore = filesUnder(test.config.dataDir);
        await fc.assert(
          fc.asyncProperty(requestOf(path, operation, invalid), async (request) => {
            const response = await send(method, request);
            const status = response.status;
            figures.requests++;
            figures.byStatus.set(status, (figures.byStatus.get(status) ?? 0) + 1);
            const seen = {
              op: `${method.toUpperCase()} ${path}`,
              request,
              status,
              body: response.body,
            };
            if (status >= 500 || !(status in operation.responses))
              problems.push(
                `${seen.op} → ${status} ${JSON.stringify(response.body)} for ${JSON.stringify(request)}`,
              );
            if (request.invalid !== undefined && validate) {
              // The generator's invalid body is invalid by the published schema too …
              expect({ ...seen, schemaValid: validate(request.body) }).toEqual({
                ...seen,
                schemaValid: false,
              });
              // … and an allowed caller gets 400 for it, before anything is looked up.
              if (request.caller.kind === 'allowed') {
                figures.invalidBodies++;
                expect(seen).toEqual({ ...seen, status: 400 });
              }
            }
            // A body that is not JSON text of an object or array is refused by the body parser,
            // before the login is looked at (400 MALFORMED_REQUEST).
            const parsed = request.invalid !== 'not an object' || Array.isArray(request.body);
            if (request.caller.kind === 'none' && operation.security?.length && parsed)
              expect(seen).toEqual({ ...seen, status: 401 });
            if (request.caller.kind === 'refused' && parsed)
              expect(seen).toEqual({ ...seen, status: 403 });
            // A malformed multipart body is refused as such (after the login and role checks).
            if (request.raw && request.caller.kind === 'allowed') {
              figures.malformedMultipart++;
              expect({ ...seen, refusedAs4xx: [400, 413, 415].includes(status) }).toEqual({
                ...seen,
                refusedAs4xx: true,
              });
            }
            if (status >= 400) {
              figures.refused++;
              expect(await fingerprint(test.dataSource)).toEqual(before);
              expect(filesUnder(test.config.dataDir)).toEqual(filesBefore);
            } else {
              figures.accepted++;
              before = await fingerprint(test.dataSource);
              filesBefore = filesUnder(test.config.dataDir);
            }
          }),
          { seed: seed++, numRuns: RUNS, endOnFailure: true },
        );
      }
    },
    600_000,
  );
});

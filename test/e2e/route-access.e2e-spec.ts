import { Api } from '../support/api';
import { createTestApp, type TestApp } from '../support/test-app';

interface Operation {
  security?: unknown[];
  operationId: string;
  'x-roles'?: string[];
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** api.md: no login on /health, /docs*, /public/* and POST /auth/login; nowhere else. */
const PUBLIC_OPERATIONS = [
  'HealthController_check',
  'AuthController_login',
  'NoticesController_list',
  'NoticesController_get',
  'NoticesController_object',
  'DocumentsController_verify',
];

/** Every operation of the published OpenAPI document, with its path parameters filled in. */
function operations(document: OpenApi): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
      operation,
    })),
  );
}

describe('access rules of every route in /docs-json', () => {
  let test: TestApp;
  let api: Api;
  let document: OpenApi;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
    document = (await test.http().get('/docs-json').expect(200)).body as OpenApi;
  });
  afterAll(async () => {
    await test.close();
  });

  it('names the roles of every protected operation (x-roles)', () => {
    for (const { path, operation } of operations(document)) {
      if (operation.security)
        expect({ path, roles: operation['x-roles']?.length }).toEqual({
          path,
          roles: expect.any(Number),
        });
    }
  });

  it('marks exactly the public operations as public', () => {
    const open = operations(document).filter(({ operation }) => !operation.security);
    expect(open.map(({ operation }) => operation.operationId).sort()).toEqual(
      [...PUBLIC_OPERATIONS].sort(),
    );
    for (const { method, path } of open) {
      expect(`${method} ${path}`).toMatch(
        /^(get \/health|post \/auth\/login|(get|post) \/public\/.*)$/,
      );
    }
  });

  it('answers 401 UNAUTHENTICATED on every protected operation without a token', async () => {
    const protectedOperations = operations(document).filter(({ operation }) => operation.security);
    expect(protectedOperations.length).toBeGreaterThan(5);
    for (const { method, path } of protectedOperations) {
      const response = await test.http()[method as 'get'](path).send({});
      expect({ method, path, status: response.status, code: response.body.code }).toEqual({
        method,
        path,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 403 FORBIDDEN to a cooperative on every admin-only operation', async () => {
    const organisation = await api.organisation();
    const cooperative = await api.user('cooperative', { organisationId: organisation.id });
    const adminOnly = operations(document).filter(
      ({ operation }) => operation['x-roles']?.length === 1 && operation['x-roles'][0] === 'admin',
    );
    expect(adminOnly.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining(['post /regions', 'post /organisations', 'post /users', 'get /users']),
    );
    for (const { method, path } of adminOnly) {
      const response = await test.http()[method as 'get'](path).set(cooperative.auth).send({});
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
    }
  });
});

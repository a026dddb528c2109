import type { Role } from '../../src/modules/auth/roles';
import { nextSeq } from '../factories/codes';
import { Api } from '../support/api';
import { ALL, ROWS, type Req, type Row } from '../support/authorization-rows';
import { fingerprint } from '../support/fingerprint';
import { createTestApp, type TestApp } from '../support/test-app';
import { buildScope, type Scope } from '../support/two-scopes';

/**
 * The authorization matrix (quality.md): every operation of /docs-json × every role × the
 * caller's own scope and another scope's objects. One row per operation, written out from
 * api.md (not read from the code): who may call it, what they get on their own objects, and
 * that another district's, town's, village's or organisation's objects answer 404. No token →
 * 401, a role not named → 403; every refused request writes nothing. A route of /docs-json
 * without a row fails the test, so a new route gets its row here.
 *
 * Scope A and scope B are two past seasons in two districts (test/support/two-scopes.ts): A's
 * contract is `payable`, its payout issued and in a sent payment batch. Each role's session is
 * bound to A; "other" sends it to B's objects.
 */

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { 'x-roles'?: string[]; security?: unknown[]; responses: Record<string, unknown> }
    >
  >;
};

describe('authorization matrix: every route of /docs-json × every role × own / other scope', () => {
  let test: TestApp;
  let a: Scope;
  let b: Scope;
  let document: OpenApi;
  /** Every cell as it was answered, printed at the end: the figure of this test. */
  const cells: string[] = [];

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    const api = new Api(test);
    a = await buildScope(test, api, 2021);
    b = await buildScope(test, api, 2022);
    document = (await test.http().get('/docs-json').expect(200)).body as OpenApi;
  }, 240_000);
  afterAll(async () => {
    const byStatus = new Map<string, number>();
    for (const cell of cells) {
      const status = cell.slice(cell.lastIndexOf(' ') + 1);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    const figures = [...byStatus].sort().map(([status, n]) => `${n} × ${status}`);
    console.log(
      `authorization matrix: ${ROWS.length} operations × ${ALL.length} roles + no token, own / other scope: ${cells.length} cells (${figures.join(', ')})`,
    );
    await test?.close();
  });

  async function send(req: Req, auth: Record<string, string>, method: string) {
    const verb = method.toLowerCase() as 'get';
    let call = test.http()[verb](req.path).set(auth);
    if (req.headers) call = call.set(req.headers);
    if (req.form) {
      for (const [name, value] of Object.entries(req.form.fields ?? {}))
        call = call.field(name, value);
      return call.attach('file', Buffer.from(req.form.file.content), req.form.file.name);
    }
    return req.body !== undefined ? call.send(req.body) : call;
  }

  /** Admin sees every scope; a row may name other roles that do (with its reason). */
  const seesAll = (row: Row, role: Role | 'public') =>
    role === 'admin' || (role !== 'public' && (row.sees ?? []).includes(role));

  function split(op: string): { method: string; path: string } {
    const [method, path] = op.split(' ');
    return { method, path };
  }

  it('has a row for every operation of /docs-json, and its roles are the x-roles published there', () => {
    const published = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        op: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
    expect(ROWS.map((row) => row.op).sort()).toEqual(published.map(({ op }) => op).sort());
    for (const { op, operation } of published) {
      const row = ROWS.find((r) => r.op === op)!;
      expect({
        op,
        roles: operation['x-roles'] ? [...operation['x-roles']].sort() : 'public',
        bearer: (operation.security ?? []).length > 0,
      }).toEqual({
        op,
        roles: row.roles === 'public' ? 'public' : [...row.roles].sort(),
        bearer: row.roles !== 'public',
      });
    }
    // api.md: no login on /health, /docs*, /public/* and POST /auth/login; nowhere else.
    for (const row of ROWS.filter((r) => r.roles === 'public')) {
      expect(row.op).toMatch(/^(GET \/health|POST \/auth\/login|(GET|POST) \/public\/.*)$/);
    }
  });

  it('refuses: no token → 401, a role not named → 403, another scope → 404, and writes nothing', async () => {
    let seq = nextSeq();
    const got: { cell: string; status: number; code?: string }[] = [];
    const want: typeof got = [];
    const changed: string[] = [];
    for (const row of ROWS) {
      const { method, path } = split(row.op);
      const before = await fingerprint(test.dataSource);
      const cell = async (
        name: string,
        req: Req,
        auth: Record<string, string>,
        status: number,
        code?: string,
      ) => {
        const response = await send(req, auth, method);
        got.push({
          cell: `${row.op} ${name}`,
          status: response.status,
          ...(code ? { code: response.body.code } : {}),
        });
        want.push({ cell: `${row.op} ${name}`, status, ...(code ? { code } : {}) });
        cells.push(`${row.op} ${name} ${response.status}`);
      };
      if (row.roles !== 'public') {
        await cell('no token', row.req(a, ++seq), {}, 401, 'UNAUTHENTICATED');
        for (const role of ALL) {
          if (!row.roles.includes(role)) {
            await cell(`${role} (not allowed)`, row.req(a, ++seq), a.as[role].auth, 403);
          } else if (
            (row.other ?? (path.includes('{') ? 'path' : 'none')) === 'path' &&
            !seesAll(row, role)
          ) {
            await cell(`${role} other scope`, row.req(b, ++seq), a.as[role].auth, 404, 'NOT_FOUND');
          }
        }
      }
      const after = await fingerprint(test.dataSource);
      for (const table of Object.keys(after))
        if (after[table] !== before[table]) changed.push(`${row.op}: ${table}`);
    }
    expect(got).toEqual(want);
    expect(changed).toEqual([]);
  });

  it('lets each allowed role through on its own scope exactly as api.md says; lists show only the own scope', async () => {
    let seq = nextSeq();
    const got: { cell: string; status: number; listed?: string; documented?: boolean }[] = [];
    const want: typeof got = [];
    for (const row of ROWS) {
      const { method } = split(row.op);
      const roles = row.roles === 'public' ? (['public'] as const) : row.roles;
      for (const role of roles) {
        const auth = role === 'public' ? {} : a.as[role].auth;
        const response = await send(row.req(a, ++seq), auth, method);
        const status =
          typeof row.own === 'number'
            ? row.own
            : role === 'public'
              ? 200
              : (row.own?.[role] ?? 200);
        const cell = `${row.op} ${role} own scope`;
        cells.push(`${cell} ${response.status}`);
        const documented = Object.keys(
          document.paths[split(row.op).path][method.toLowerCase()].responses,
        );
        // What the own scope answers is exactly the row's status, and /docs-json lists it.
        got.push({
          cell,
          status: response.status,
          documented: documented.includes(String(response.status)),
        });
        want.push({ cell, status, documented: true });
        if (method === 'GET' && (row.other ?? 'path') === 'path' && seesAll(row, role)) {
          const other = await send(row.req(b, ++seq), auth, method);
          got.push({ cell: `${row.op} ${role} other scope`, status: other.status });
          want.push({ cell: `${row.op} ${role} other scope`, status });
        }
        if (row.other === 'list' && row.listed && response.status === 200) {
          const ids = (response.body.items as { id: string }[]).map((item) => item.id);
          const seen = `own ${ids.includes(row.listed(a))}, other ${ids.includes(row.listed(b))}`;
          got[got.length - 1].listed = seen;
          want[want.length - 1].listed = `own true, other ${seesAll(row, role)}`;
        }
      }
    }
    expect(got).toEqual(want);
    // A liveness bound: the archive rows issue and bag every document of the season for each
    // role's disclosure, which takes most of a minute on a loaded machine.
  }, 240_000);
});

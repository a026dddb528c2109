import { DEFAULT_RATE_LIMITS } from '../../src/config/app-config';
import type { Role } from '../../src/modules/auth/roles';
import { nextSeq } from '../factories/codes';
import { Api } from '../support/api';
import { ALL, ROWS, type Req, type Row } from '../support/authorization-rows';
import { fingerprint } from '../support/fingerprint';
import { createTestApp, type TestApp } from '../support/test-app';
import { buildScope, type Scope } from '../support/two-scopes';

/**
 * Mass assignment and exposure (quality.md, OWASP API3): every write of the authorization
 * matrix's table, sent by a role allowed to make it with a field the client may not set
 * (`state`, `subsidyFen`, `organisationId`, `role`, …, each one the operation's schema does not
 * name) → 400 VALIDATION_FAILED naming the field, nothing written. Every read of the table, by
 * every role and without a login: no password hash and no `password` field anywhere, no full
 * resident ID number on a public route, no full bank account to a role that does not pay.
 * (Which channel masks what — JSON, PDFs, exports — is disclosure.e2e-spec.ts; this walks every
 * route of /docs-json.)
 */
const FORBIDDEN = [
  'state',
  'subsidyFen',
  'amountFen',
  'organisationId',
  'role',
  'id',
  'version',
  'districtCode',
  'passwordHash',
  'createdAt',
];

/** Who sees a bank account in full: the finance bureau, the administrator, the organisation. */
const BANK_ACCOUNT_IN_FULL: Role[] = ['admin', 'district_finance', 'cooperative'];

type OpenApi = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

describe('mass assignment and exposure', () => {
  let test: TestApp;
  let a: Scope;
  let document: OpenApi;

  beforeAll(async () => {
    // The objection throttle (10 a minute per client) is abuse-limits' subject, not this one's.
    test = await createTestApp({
      testClock: true,
      rateLimits: { ...DEFAULT_RATE_LIMITS, objectionsPerClient: 1000, objectionsPerNotice: 1000 },
    });
    a = await buildScope(test, new Api(test), 2021);
    document = (await test.http().get('/docs-json').expect(200)).body as OpenApi;
  }, 240_000);
  afterAll(async () => {
    await test?.close();
  });

  function split(op: string) {
    const [method, path] = op.split(' ');
    return { method: method.toLowerCase() as 'post', path };
  }

  async function send(req: Req, auth: Record<string, string>, method: 'post') {
    let call = test.http()[method](req.path).set(auth);
    if (req.headers) call = call.set(req.headers);
    if (req.form) {
      for (const [name, value] of Object.entries(req.form.fields ?? {}))
        call = call.field(name, value);
      return call.attach('file', Buffer.from(req.form.file.content), req.form.file.name);
    }
    return call.send(req.body ?? {});
  }

  /** The role that makes this write in the table (the first allowed one not refused there). */
  function caller(row: Row): Record<string, string> {
    if (row.roles === 'public') return {};
    const own = row.own;
    const role = row.roles.find(
      (r) => typeof own === 'number' || ![403, 404].includes(own?.[r] ?? 200),
    );
    return a.as[role ?? row.roles[0]].auth;
  }

  it('refuses every field a client may not set on every write, naming it, writing nothing', async () => {
    const writes = ROWS.filter((row) => !row.op.startsWith('GET '));
    const got: { op: string; field: string; status: number; code: string; named: boolean }[] = [];
    const want: typeof got = [];
    const before = await fingerprint(test.dataSource);
    let seq = nextSeq();
    for (const row of writes) {
      const { method, path } = split(row.op);
      const content = document.paths[path][method].requestBody?.content ?? {};
      const ref = Object.values(content)[0]?.schema.$ref?.split('/').pop();
      const named = Object.keys((ref && document.components.schemas[ref].properties) || {});
      for (const field of FORBIDDEN.filter((f) => !named.includes(f))) {
        const req = row.req(a, ++seq);
        const sent: Req = req.form
          ? { ...req, form: { ...req.form, fields: { ...req.form.fields, [field]: 'x' } } }
          : { ...req, body: { ...(req.body ?? {}), [field]: field === 'subsidyFen' ? 1 : 'x' } };
        const response = await send(sent, caller(row), method);
        const errors = (response.body.errors ?? []) as { field: string }[];
        got.push({
          op: row.op,
          field,
          status: response.status,
          code: response.body.code,
          named: errors.some((e) => e.field === field),
        });
        want.push({ op: row.op, field, status: 400, code: 'VALIDATION_FAILED', named: true });
      }
    }
    expect(got).toEqual(want);
    expect(await fingerprint(test.dataSource)).toEqual(before);
    console.log(
      `mass assignment: ${got.length} requests over ${writes.length} writes, all 400 naming the field, 0 writes`,
    );
  });

  it('shows no password hash, no full resident ID in public, no full bank account to a role that does not pay', async () => {
    const hashes = (
      await test.dataSource.query<{ h: string }[]>('SELECT password_hash AS h FROM app_user')
    ).map((row) => row.h);
    expect(hashes.length).toBeGreaterThan(5);
    const reads = ROWS.filter((row) => row.op.startsWith('GET '));
    const leaks: string[] = [];
    let responses = 0;
    const look = (who: Role | 'public', route: string, text: string) => {
      responses++;
      if (hashes.some((hash) => text.includes(hash)) || /"password(Hash)?"/i.test(text))
        leaks.push(`${who} ${route}: password hash`);
      if (who === 'public' && a.season.residentIds.some((id) => text.includes(id)))
        leaks.push(`${who} ${route}: resident ID`);
      if (!BANK_ACCOUNT_IN_FULL.includes(who as Role) && text.includes(a.season.bankAccountNo))
        leaks.push(`${who} ${route}: bank account`);
    };
    for (const row of reads) {
      const callers: (Role | 'public')[] = row.roles === 'public' ? ['public'] : [...ALL, 'public'];
      for (const who of callers) {
        const { path } = row.req(a, nextSeq());
        const response = await test
          .http()
          .get(path)
          .set(who === 'public' ? {} : a.as[who].auth)
          .buffer(true)
          .parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => done(null, Buffer.concat(chunks).toString('latin1')));
          });
        if (response.status === 200) look(who, path, String(response.body as string));
      }
    }
    // The writes that answer with a user: creating one, and logging in.
    const created = await test
      .http()
      .post('/users')
      .set(a.as.admin.auth)
      .send({
        username: `exposure_${nextSeq()}`,
        password: 'pw-exposure-secret',
        displayName: '甲',
        role: 'admin',
      })
      .expect(201);
    look('admin', 'POST /users', created.text);
    const login = await test
      .http()
      .post('/auth/login')
      .send({ username: created.body.username, password: 'pw-exposure-secret' })
      .expect(200);
    look('admin', 'POST /auth/login', login.text);
    expect(leaks).toEqual([]);
    console.log(
      `exposure: ${responses} responses read (${reads.length} reads × every role and the public), 0 leaks`,
    );
  });
});

import { Writable } from 'node:stream';
import { residentId } from '../factories/register-rows';
import { Api } from '../support/api';
import { addRows, toRunningNotice } from '../support/lifecycle';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * A log line is read by whoever runs the service: it must carry no password or token, and no
 * resident ID number, phone or bank account in full — at any depth, including the parameters of
 * a failed query inside an error.
 */
describe('logs', () => {
  let test: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    test = await createTestApp({ logLevel: 'info' }, { logTo: sink });
  });
  afterAll(async () => {
    await test.close();
  });

  it('a forced 500 on a register row logs the error with its query, the ID number masked', async () => {
    const api = new Api(test);
    const { q, id } = await toRunningNotice(test, api);
    // Claimed rows are frozen: correct a working row of another contract of the project.
    await test.dataSource.query(`
      CREATE FUNCTION fail_register_update() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'forced failure for the test'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER fail_register_update BEFORE UPDATE ON register_row
        FOR EACH ROW EXECUTE FUNCTION fail_register_update();`);
    const fullId = residentId(4242);
    const [{ contract_id: working }] = await test.dataSource.query<{ contract_id: string }[]>(
      `SELECT c.id AS contract_id FROM contract c WHERE c.project_id = $1 AND c.id <> $2 LIMIT 1`,
      [q.projectId, id],
    );
    await test
      .http()
      .post(`/contracts/${working}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: 'L-1', signedOn: '2015-06-01' })
      .expect(200);
    const [added] = await addRows(
      test,
      q.coops[1],
      working,
      q.villages[1].code,
      'wheat_harvest',
      [500],
    );
    const response = await test
      .http()
      .patch(`/contracts/${working}/register/${added.id}`)
      .set(q.coops[1].auth)
      .send({ householdIdNo: fullId, householdName: '张三' });
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ code: 'INTERNAL_ERROR' });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const errorLines = lines.filter((line) => line.includes('forced failure for the test'));
    expect(errorLines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).not.toContain(fullId);
    expect(logged).toContain(`${fullId.slice(0, 6)}********${fullId.slice(-4)}`);
  });

  it('no password or token is ever written', async () => {
    await test.http().post('/auth/login').send(TEST_ADMIN).expect(200);
    await test.http().post('/auth/login').send({ username: 'x', password: 'wrong-secret-1' });
    // The account routes (issue 25): a reset, a change, the desk's login form.
    const api = new Api(test);
    const admin = await api.admin();
    const user = await api.user('observer', { regionCode: (await api.regionTree(1)).district });
    await test
      .http()
      .post(`/users/${user.userId}/password`)
      .set(admin.auth)
      .send({ password: 'Reset-secret-2015' })
      .expect(200);
    const reset = await api.login(user.username, 'Reset-secret-2015');
    await test
      .http()
      .post('/auth/password')
      .set(reset.auth)
      .send({ currentPassword: 'Reset-secret-2015', newPassword: 'Changed-secret-2015' })
      .expect(200);
    await test
      .http()
      .post('/desk/login')
      .type('form')
      .send({ username: user.username, password: 'Desk-secret-2015' })
      .expect(403);
    const logged = lines.join('\n');
    for (const secret of ['Reset-secret-2015', 'Changed-secret-2015', 'Desk-secret-2015'])
      expect(logged).not.toContain(secret);
    expect(logged).not.toContain(TEST_ADMIN.password);
    expect(logged).not.toContain('wrong-secret-1');
    expect(logged).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // a JWT
  });

  it('an access line names the request and its status; a secret in the query string is not written', async () => {
    await test
      .http()
      .get('/contracts?access_token=eyJsecretInQuery&token=plain-secret-1&phone=13812345678')
      .set('X-Request-Id', 'query-secret')
      .expect(401);
    const line = lines.find(
      (entry) => entry.includes('"id":"query-secret"') && entry.includes('"responseTime"'),
    );
    expect(line).toBeDefined();
    expect(line).not.toMatch(/eyJsecretInQuery|plain-secret-1|13812345678/);
    expect(JSON.parse(line as string)).toMatchObject({
      req: { id: 'query-secret', method: 'GET' },
      res: { statusCode: 401 },
    });
  });
});

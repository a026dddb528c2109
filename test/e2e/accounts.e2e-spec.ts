/**
 * Accounts (api.md "Accounts"; issues 22 and 25): the admin's user list and its filters, a
 * deactivation that ends every session at once, a temporary password that must be changed
 * before anything else, one's own password change ending every other token, and the password
 * policy on every route that sets a password. Every refusal writes nothing; no event or answer
 * carries a password or a hash.
 */
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { createTestApp, type TestApp } from '../support/test-app';

describe('accounts', () => {
  let test: TestApp;
  let api: Api;
  let admin: Session;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
    admin = await api.admin();
  });
  afterAll(async () => {
    await test?.close();
  });

  const me = (token: string) => http().get('/users/me').set('Authorization', `Bearer ${token}`);

  it('lists users for the admin, filtered by role, region, organisation and active', async () => {
    const tree = await api.regionTree(2);
    const [a, b] = tree.villages;
    const verifierA = await api.user('village_verifier', { regionCode: a });
    await api.user('village_verifier', { regionCode: b });
    const organisation = await api.organisation();
    const coop = await api.user('cooperative', { organisationId: organisation.id });

    const byRegion = await http()
      .get(`/users?role=village_verifier&regionCode=${a}`)
      .set(admin.auth)
      .expect(200);
    expect(byRegion.body).toEqual({
      items: [
        {
          id: verifierA.userId,
          username: verifierA.username,
          displayName: verifierA.username,
          role: 'village_verifier',
          organisationId: null,
          regionCode: a,
          acceptanceRole: null,
          active: true,
          mustChangePassword: false,
        },
      ],
      total: 1,
    });
    const byOrganisation = await http()
      .get(`/users?organisationId=${organisation.id}`)
      .set(admin.auth)
      .expect(200);
    expect(byOrganisation.body.items.map((user: { id: string }) => user.id)).toEqual([coop.userId]);

    await http().patch(`/users/${coop.userId}`).set(admin.auth).send({ active: false }).expect(200);
    const inactive = await http().get('/users?active=false&limit=200').set(admin.auth).expect(200);
    expect(inactive.body.items.map((user: { id: string }) => user.id)).toContain(coop.userId);
    expect(inactive.body.items.every((user: { active: boolean }) => !user.active)).toBe(true);
    const active = await http().get('/users?active=true&limit=200').set(admin.auth).expect(200);
    expect(active.body.items.map((user: { id: string }) => user.id)).not.toContain(coop.userId);

    const bad = await http().get('/users?active=maybe').set(admin.auth).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.body.errors[0].field).toBe('active');
    await http().get('/users').set(verifierA.auth).expect(403);
  });

  it('renames a user, with an audit event', async () => {
    const tree = await api.regionTree(1);
    const observer = await api.user('observer', { regionCode: tree.district });
    const renamed = await http()
      .patch(`/users/${observer.userId}`)
      .set(admin.auth)
      .send({ displayName: '审计局 李科长' })
      .expect(200);
    expect(renamed.body).toMatchObject({ displayName: '审计局 李科长', active: true });
    const [event] = await test.dataSource.query<{ action: string; data: unknown }[]>(
      `SELECT action, data FROM audit_event WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [observer.userId],
    );
    expect(event).toEqual({
      action: 'user.updated',
      data: { username: observer.username, displayName: '审计局 李科长' },
    });
  });

  it('a deactivated user’s token stops working on its next request and its login is refused like a wrong password', async () => {
    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const password = `pw-${agri.username}-secret`;
    await me(agri.token).expect(200);

    const deactivated = await http()
      .patch(`/users/${agri.userId}`)
      .set(admin.auth)
      .send({ active: false })
      .expect(200);
    expect(deactivated.body).toMatchObject({ id: agri.userId, active: false });

    const refused = await me(agri.token).expect(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const login = await http()
      .post('/auth/login')
      .send({ username: agri.username, password })
      .expect(401);
    expect(login.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: '用户名或密码错误',
    });

    // Reactivated: a new login works, the old token stays ended.
    await http().patch(`/users/${agri.userId}`).set(admin.auth).send({ active: true }).expect(200);
    await me(agri.token).expect(401);
    const again = await api.login(agri.username, password);
    await me(again.token).expect(200);
    const actions = await test.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY seq`,
      [agri.userId],
    );
    expect(actions.map((row) => row.action)).toEqual([
      'user.created',
      'user.deactivated',
      'user.reactivated',
    ]);
  });

  it('an admin cannot deactivate itself (409 CANNOT_DEACTIVATE_SELF), and other roles may not deactivate anyone; nothing written', async () => {
    const refused = await expectNoWrites(test.dataSource, () =>
      http().patch(`/users/${admin.userId}`).set(admin.auth).send({ active: false }).expect(409),
    );
    expect(refused.body).toMatchObject({ code: 'CANNOT_DEACTIVATE_SELF' });
    await me(admin.token).expect(200);

    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const other = await api.user('observer', { regionCode: tree.district });
    await expectNoWrites(test.dataSource, () =>
      http().patch(`/users/${other.userId}`).set(agri.auth).send({ active: false }).expect(403),
    );
    await expectNoWrites(test.dataSource, () =>
      http()
        .patch(`/users/${other.userId}`)
        .set(admin.auth)
        .send({ active: false, role: 'admin' })
        .expect(400),
    );
    await expectNoWrites(test.dataSource, () =>
      http()
        .patch('/users/00000000-0000-4000-8000-000000000000')
        .set(admin.auth)
        .send({ active: false })
        .expect(404),
    );
  });

  it('a temporary password must be changed before anything else; the change ends every other token', async () => {
    const tree = await api.regionTree(1);
    const verifier = await api.user('village_verifier', { regionCode: tree.villages[0] });
    const temporary = 'Temp-2015-wheat';

    const reset = await http()
      .post(`/users/${verifier.userId}/password`)
      .set(admin.auth)
      .send({ password: temporary })
      .expect(200);
    expect(reset.body).toMatchObject({ id: verifier.userId, mustChangePassword: true });
    expect(JSON.stringify(reset.body)).not.toMatch(/"password"|passwordHash|Temp-2015|scrypt/);
    await me(verifier.token).expect(401); // the reset ends the old sessions

    const login = await http()
      .post('/auth/login')
      .send({ username: verifier.username, password: temporary })
      .expect(200);
    expect(login.body.user).toMatchObject({ id: verifier.userId, mustChangePassword: true });
    const token = login.body.accessToken as string;
    const auth = { Authorization: `Bearer ${token}` };
    const blocked = await me(token).expect(403);
    expect(blocked.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    await http().get('/work-items').set(auth).expect(403);

    const change = (body: Record<string, unknown>) =>
      http().post('/auth/password').set(auth).send(body);
    for (const [body, field, message] of [
      [
        { currentPassword: 'not-it-at-all', newPassword: 'Wheat-harvest-2015' },
        'currentPassword',
        '当前密码不正确',
      ],
      [{ currentPassword: temporary, newPassword: 'short-1' }, 'newPassword', '密码至少 10 个字符'],
      [
        { currentPassword: temporary, newPassword: verifier.username.toUpperCase() },
        'newPassword',
        '密码不能与用户名相同',
      ],
      [
        { currentPassword: temporary, newPassword: 'qwertyuiop' },
        'newPassword',
        '这个密码太常见，请换一个',
      ],
    ] as const) {
      const refused = await expectNoWrites(test.dataSource, () => change(body).expect(400));
      expect(refused.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field, message }],
      });
    }
    await expectNoWrites(test.dataSource, () => change({ currentPassword: temporary }).expect(400));

    const changed = await change({
      currentPassword: temporary,
      newPassword: 'Wheat-harvest-2015',
    }).expect(200);
    expect(Object.keys(changed.body)).toEqual(['accessToken']);
    await me(token).expect(401); // the token it was changed with ends too
    const fresh = await me(changed.body.accessToken as string).expect(200);
    expect(fresh.body).toMatchObject({ mustChangePassword: false });
    await http()
      .post('/auth/login')
      .send({ username: verifier.username, password: temporary })
      .expect(401);
    await api.login(verifier.username, 'Wheat-harvest-2015');

    const events = await test.dataSource.query<{ action: string; data: unknown }[]>(
      `SELECT action, data FROM audit_event WHERE entity_id = $1 ORDER BY seq`,
      [verifier.userId],
    );
    expect(events.map((event) => event.action)).toEqual([
      'user.created',
      'user.password-reset',
      'user.password-changed',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Temp-2015|Wheat-harvest|scrypt|hash/i);
  });

  it('the password policy holds on every route that sets a password; nothing written', async () => {
    const tree = await api.regionTree(1);
    const observer = await api.user('observer', { regionCode: tree.district });
    const create = (username: string, password: string) =>
      http().post('/users').set(admin.auth).send({
        username,
        password,
        displayName: '新用户',
        role: 'observer',
        regionCode: tree.district,
      });
    for (const [username, password, message] of [
      ['policy_a', '12345678', '密码至少 10 个字符'],
      ['policy_b', '1234567890', '这个密码太常见，请换一个'],
      ['policy_username_c', 'POLICY_username_c', '密码不能与用户名相同'],
    ] as const) {
      const refused = await expectNoWrites(test.dataSource, () =>
        create(username, password).expect(400),
      );
      expect(refused.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'password', message }],
      });
    }
    for (const [password, message] of [
      ['password123', '这个密码太常见，请换一个'],
      [observer.username, '密码不能与用户名相同'],
      ['9-chars!!', '密码至少 10 个字符'],
    ] as const) {
      const refused = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/users/${observer.userId}/password`)
          .set(admin.auth)
          .send({ password })
          .expect(400),
      );
      expect(refused.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'password', message }],
      });
    }
    await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/users/${observer.userId}/password`)
        .set(observer.auth)
        .send({ password: 'Another-good-one-1' })
        .expect(403),
    );
    await me(observer.token).expect(200);
  });
});

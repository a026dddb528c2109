import { validCreditCode, withWrongCheckCharacter } from '../factories/codes';
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { createTestApp, type TestApp } from '../support/test-app';

describe('administration: regions, organisations, users', () => {
  let test: TestApp;
  let api: Api;
  let admin: Session;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
    admin = await api.admin();
  });
  afterAll(async () => {
    await test.close();
  });

  describe('regions', () => {
    it('builds district > town > village and keeps the ancestors on each region', async () => {
      const tree = await api.regionTree(2);
      const village = await test
        .http()
        .get(`/regions/${tree.villages[0]}`)
        .set(admin.auth)
        .expect(200);
      expect(village.body).toEqual({
        code: tree.villages[0],
        name: '测试村1',
        level: 'village',
        parentCode: tree.town,
        districtCode: tree.district,
        townCode: tree.town,
      });
      const children = await test
        .http()
        .get(`/regions?parentCode=${tree.town}`)
        .set(admin.auth)
        .expect(200);
      expect(children.body).toEqual({ items: expect.any(Array), total: 2 });
    });

    it.each([
      ['a town under a town', 'town', 'town'],
      ['a village under a district', 'village', 'district'],
      ['a village without parent', 'village', null],
      ['a district with a parent', 'district', 'district'],
    ])(
      'refuses %s with 400 REGION_PARENT_INVALID and writes nothing',
      async (_, level, parentLevel) => {
        const tree = await api.regionTree(1);
        const parentCode =
          parentLevel === 'district'
            ? tree.district
            : parentLevel === 'town'
              ? tree.town
              : undefined;
        const response = await expectNoWrites(test.dataSource, () =>
          test
            .http()
            .post('/regions')
            .set(admin.auth)
            .send({ code: '999999001', name: '错误', level, parentCode }),
        );
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          code: 'REGION_PARENT_INVALID',
          errors: [{ field: 'parentCode' }],
        });
      },
    );

    it('refuses a parent that does not exist', async () => {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/regions')
          .set(admin.auth)
          .send({ code: '999999002', name: '孤儿', level: 'town', parentCode: '123456' }),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REGION_PARENT_INVALID');
    });

    it('refuses a duplicate region code with 409 REGION_CODE_TAKEN and writes nothing', async () => {
      const tree = await api.regionTree(1);
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/regions')
          .set(admin.auth)
          .send({ code: tree.district, name: '重复', level: 'district' }),
      );
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('REGION_CODE_TAKEN');
    });

    it('refuses unknown fields and wrong types with 400 VALIDATION_FAILED listing each field', async () => {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/regions')
          .set(admin.auth)
          .send({ code: 341699, name: '', level: 'province', districtCode: '1' }),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const fields = (response.body.errors as { field: string }[]).map((error) => error.field);
      expect(new Set(fields)).toEqual(new Set(['districtCode', 'code', 'name', 'level']));
    });
  });

  describe('organisations', () => {
    it('creates an organisation with a valid credit code', async () => {
      const creditCode = validCreditCode();
      const response = await test
        .http()
        .post('/organisations')
        .set(admin.auth)
        .send({
          name: '亳州市焦魁农机专业合作社',
          creditCode,
          legalRepresentative: '焦魁',
          grade: 'national',
          bankName: '安徽亳州农村商业银行',
          bankAccountName: '亳州市焦魁农机专业合作社',
          bankAccountNo: '6222 0000 1111 2222',
        })
        .expect(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        creditCode,
        bankAccountNo: '6222000011112222',
      });
    });

    it('refuses a credit code with a wrong check character: 400 CREDIT_CODE_INVALID, nothing written', async () => {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/organisations')
          .set(admin.auth)
          .send({
            name: '错误合作社',
            creditCode: withWrongCheckCharacter(validCreditCode()),
            legalRepresentative: '李四',
            grade: 'none',
            bankName: '银行',
            bankAccountName: '错误合作社',
            bankAccountNo: '622200001111',
          }),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'CREDIT_CODE_INVALID',
        errors: [{ field: 'creditCode' }],
      });
      expect(response.body.detail).toMatch(/的校验位\(第 18 位\)不对/);
    });

    it('refuses a duplicate credit code with 409 CREDIT_CODE_TAKEN', async () => {
      const { creditCode } = await api.organisation();
      const response = await expectNoWrites(test.dataSource, () =>
        test.http().post('/organisations').set(admin.auth).send({
          name: '重复合作社',
          creditCode,
          legalRepresentative: '王五',
          grade: 'none',
          bankName: '银行',
          bankAccountName: '重复合作社',
          bankAccountNo: '622200001111',
        }),
      );
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('CREDIT_CODE_TAKEN');
    });
  });

  describe('users', () => {
    it('creates a user for every role with its binding', async () => {
      const tree = await api.regionTree(1);
      const organisation = await api.organisation();
      const sessions = [
        await api.user('cooperative', { organisationId: organisation.id }),
        await api.user('village_verifier', { regionCode: tree.villages[0] }),
        await api.user('town_acceptor', { regionCode: tree.town, acceptanceRole: 'station_head' }),
        await api.user('district_agri', { regionCode: tree.district }),
        await api.user('district_finance', { regionCode: tree.district }),
        await api.user('observer', { regionCode: tree.district }),
        await api.user('admin'),
      ];
      expect(sessions.map((session) => session.role)).toEqual([
        'cooperative',
        'village_verifier',
        'town_acceptor',
        'district_agri',
        'district_finance',
        'observer',
        'admin',
      ]);
    });

    it.each([
      ['a cooperative without organisationId', { role: 'cooperative' }, 'organisationId'],
      [
        'a village verifier bound to a town',
        { role: 'village_verifier', regionCode: 'TOWN' },
        'regionCode',
      ],
      [
        'a district role bound to a village',
        { role: 'district_agri', regionCode: 'VILLAGE' },
        'regionCode',
      ],
      [
        'a town acceptor without acceptanceRole',
        { role: 'town_acceptor', regionCode: 'TOWN' },
        'acceptanceRole',
      ],
      ['an admin with a region', { role: 'admin', regionCode: 'DISTRICT' }, 'regionCode'],
      [
        'an observer of an unknown region',
        { role: 'observer', regionCode: '888888' },
        'regionCode',
      ],
    ])('refuses %s with 400 USER_SCOPE_INVALID and writes nothing', async (_, binding, field) => {
      const tree = await api.regionTree(1);
      const codes: Record<string, string> = {
        TOWN: tree.town,
        VILLAGE: tree.villages[0],
        DISTRICT: tree.district,
      };
      const body = {
        username: `bad_${field}_${Date.now()}`,
        password: 'long-enough-password',
        displayName: '错误用户',
        ...binding,
        ...('regionCode' in binding
          ? { regionCode: codes[binding.regionCode] ?? binding.regionCode }
          : {}),
      };
      const response = await expectNoWrites(test.dataSource, () =>
        test.http().post('/users').set(admin.auth).send(body),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'USER_SCOPE_INVALID', errors: [{ field }] });
    });

    it('refuses a duplicate username, whatever its case, with 409 USERNAME_TAKEN', async () => {
      const tree = await api.regionTree(1);
      const observer = await api.user('observer', { regionCode: tree.district });
      const response = await expectNoWrites(test.dataSource, () =>
        test.http().post('/users').set(admin.auth).send({
          username: observer.username.toUpperCase(),
          password: 'long-enough-password',
          displayName: '重名',
          role: 'observer',
          regionCode: tree.district,
        }),
      );
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('USERNAME_TAKEN');
    });

    it('refuses mass assignment of fields the API does not take', async () => {
      const response = await expectNoWrites(test.dataSource, () =>
        test.http().post('/users').set(admin.auth).send({
          username: 'sneaky',
          password: 'long-enough-password',
          displayName: 'sneaky',
          role: 'admin',
          passwordHash: 'x',
          active: true,
        }),
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(
        (response.body.errors as { field: string }[]).map((error) => error.field).sort(),
      ).toEqual(['active', 'passwordHash']);
    });

    it('never returns a password hash', async () => {
      const list = await test.http().get('/users').set(admin.auth).expect(200);
      expect(list.body.total).toBeGreaterThan(0);
      expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
    });
  });

  describe('roles (403) and scopes (404)', () => {
    it('answers 403 FORBIDDEN when the role may not take the action, and writes nothing', async () => {
      const tree = await api.regionTree(1);
      const organisation = await api.organisation();
      const cooperative = await api.user('cooperative', { organisationId: organisation.id });
      const agri = await api.user('district_agri', { regionCode: tree.district });

      const region = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/regions')
          .set(cooperative.auth)
          .send({ code: '777777', name: '越权', level: 'district' }),
      );
      expect(region.status).toBe(403);
      expect(region.body).toMatchObject({ code: 'FORBIDDEN' });

      const user = await expectNoWrites(test.dataSource, () =>
        test.http().post('/users').set(agri.auth).send({
          username: 'made_by_agri',
          password: 'long-enough-password',
          displayName: 'x',
          role: 'admin',
        }),
      );
      expect(user.status).toBe(403);
      await test.http().get('/users').set(agri.auth).expect(403);
      await test.http().get('/audit-log/verify').set(cooperative.auth).expect(403);
    });

    it("answers 404 for an organisation outside a cooperative user's own", async () => {
      const mine = await api.organisation();
      const theirs = await api.organisation();
      const cooperative = await api.user('cooperative', { organisationId: mine.id });

      const own = await test
        .http()
        .get(`/organisations/${mine.id}`)
        .set(cooperative.auth)
        .expect(200);
      expect(own.body.bankAccountNo).toMatch(/^\d+$/);
      const other = await test
        .http()
        .get(`/organisations/${theirs.id}`)
        .set(cooperative.auth)
        .expect(404);
      expect(other.body).toMatchObject({ code: 'NOT_FOUND' });
      // A made-up id answers exactly the same way: nothing tells the two apart.
      const unknown = await test
        .http()
        .get('/organisations/00000000-0000-4000-8000-000000000000')
        .set(cooperative.auth)
        .expect(404);
      expect(unknown.body.code).toBe(other.body.code);
      const list = await test.http().get('/organisations').set(cooperative.auth).expect(200);
      expect(list.body).toEqual({ items: [expect.objectContaining({ id: mine.id })], total: 1 });
    });

    it('masks bank accounts for officials other than finance of a district the organisation works in', async () => {
      const tree = await api.regionTree(1);
      const organisation = await api.organisation({ bankAccountNo: '6222000011112222' });
      const agri = await api.user('district_agri', { regionCode: tree.district });
      const finance = await api.user('district_finance', { regionCode: tree.district });
      const seenByAgri = await test
        .http()
        .get(`/organisations/${organisation.id}`)
        .set(agri.auth)
        .expect(200);
      expect(seenByAgri.body.bankAccountNo).toBe('************2222');
      const seenByFinance = await test
        .http()
        .get(`/organisations/${organisation.id}`)
        .set(finance.auth)
        .expect(200);
      // No contract of it in this district yet: its finance bureau pays it nothing, so it sees the
      // account masked too (finance of a district it holds contracts in: disclosure.e2e-spec.ts).
      expect(seenByFinance.body.bankAccountNo).toBe('************2222');
      const seenByAdmin = await test
        .http()
        .get(`/organisations/${organisation.id}`)
        .set(admin.auth)
        .expect(200);
      expect(seenByAdmin.body.bankAccountNo).toBe('6222000011112222');
    });

    it('answers 404 for a region of another district, 200 for one of its own', async () => {
      const mine = await api.regionTree(1);
      const theirs = await api.regionTree(1);
      const agri = await api.user('district_agri', { regionCode: mine.district });
      const verifier = await api.user('village_verifier', { regionCode: mine.villages[0] });

      await test.http().get(`/regions/${mine.villages[0]}`).set(agri.auth).expect(200);
      const other = await test
        .http()
        .get(`/regions/${theirs.villages[0]}`)
        .set(agri.auth)
        .expect(404);
      expect(other.body.code).toBe('NOT_FOUND');
      const list = await test.http().get('/regions').set(agri.auth).expect(200);
      expect(
        (list.body.items as { districtCode: string }[]).every(
          (r) => r.districtCode === mine.district,
        ),
      ).toBe(true);

      await test.http().get(`/regions/${mine.villages[0]}`).set(verifier.auth).expect(200);
      await test.http().get(`/regions/${theirs.villages[0]}`).set(verifier.auth).expect(404);
    });

    it('answers 404 for another user unless the caller is an admin', async () => {
      const tree = await api.regionTree(1);
      const one = await api.user('observer', { regionCode: tree.district });
      const two = await api.user('observer', { regionCode: tree.district });
      await test.http().get(`/users/${one.userId}`).set(one.auth).expect(200);
      await test.http().get(`/users/${two.userId}`).set(one.auth).expect(404);
      await test.http().get(`/users/${two.userId}`).set(admin.auth).expect(200);
      await test.http().get('/users/not-a-uuid').set(admin.auth).expect(404);
    });

    it('pages lists and caps the page size', async () => {
      await api.regionTree(3);
      const page = await test.http().get('/regions?limit=2&offset=1').set(admin.auth).expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThan(3);
      const tooMany = await test.http().get('/regions?limit=1000').set(admin.auth).expect(400);
      expect(tooMany.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'limit' }],
      });
    });
  });

  describe('audit log', () => {
    it('records every administrative change in a hash chain that verifies', async () => {
      await api.regionTree(1);
      const [{ n }] = await test.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'region.created'`,
      );
      expect(n).toBeGreaterThanOrEqual(3);
      const report = await test.http().get('/audit-log/verify').set(admin.auth).expect(200);
      expect(report.body).toMatchObject({ ok: true, events: expect.any(Number) });
    });

    it('cannot be edited through SQL, and a forced edit is found at the exact row', async () => {
      await api.regionTree(1);
      await expect(
        test.dataSource.query(`UPDATE audit_event SET action = 'x' WHERE seq = 2`),
      ).rejects.toThrow(/append-only/);
      await expect(test.dataSource.query('DELETE FROM audit_event WHERE seq = 2')).rejects.toThrow(
        /append-only/,
      );

      await test.dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
        await manager.query(`UPDATE audit_event SET data = '{"forged": true}' WHERE seq = 3`);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
      });
      const report = await test.http().get('/audit-log/verify').set(admin.auth).expect(200);
      expect(report.body).toMatchObject({ ok: false, firstBrokenAt: 3 });
    });
  });
});

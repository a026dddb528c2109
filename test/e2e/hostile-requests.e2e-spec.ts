import { Api, type Session } from '../support/api';
import { randomUUID } from 'node:crypto';
import { expectNothingWritten, expectNoWrites } from '../support/fingerprint';
import { hostileMultiparts, multipartBody, type RawMultipart } from '../support/multipart';
import { toRunningNotice } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng } from '../support/qiaocheng';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * Requests found by probing the running service as a hostile user would. Each one used to get a
 * 500 or slip past a check; each must answer its 4xx with a problem+json body and write nothing.
 */
describe('hostile requests', () => {
  let test: TestApp;
  let api: Api;
  let admin: Session;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    admin = await api.admin();
  });
  afterAll(async () => {
    await test.close();
  });

  const problem = (status: number, code: string) => ({ status, code });

  it.each([
    ['application/json; charset=latin1'],
    ['application/json; charset=UTF8'],
    ['application/json; charset=gb18030'],
  ])('a JSON body in another charset (%s) → 415', async (contentType) => {
    const response = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post('/auth/login')
        .set('Content-Type', contentType)
        .send(JSON.stringify(TEST_ADMIN)),
    );
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject(problem(415, 'UNSUPPORTED_MEDIA_TYPE'));
  });

  it.each([['br'], ['compress'], ['x-unknown']])(
    'Content-Encoding %s on a body that is not so encoded → 4xx, never 500',
    async (encoding) => {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/auth/login')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .send(JSON.stringify(TEST_ADMIN)),
      );
      expect([400, 415]).toContain(response.status);
      expect(response.body.code).toEqual(
        response.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_REQUEST',
      );
    },
  );

  it('a body nested 5,000 levels deep → 400, not a stack overflow', async () => {
    const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    // The login takes 1 kB (issue 22): 5,000 levels are refused unread there, 100 fit.
    for (const [route, levels] of [
      ['/auth/login', 100],
      ['/regions', 5000],
    ] as const) {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post(route)
          .set(admin.auth)
          .set('Accept-Language', 'en')
          .set('Content-Type', 'application/json')
          .send(nested(levels)),
      );
      expect(response.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
      expect(response.body.errors[0].message).toMatch(/nested deeper than 32 levels/);
    }
    const unread = await expectNoWrites(test.dataSource, () =>
      test.http().post('/auth/login').set('Content-Type', 'application/json').send(nested(5000)),
    );
    expect(unread.body).toMatchObject(problem(413, 'PAYLOAD_TOO_LARGE'));
  });

  it('a NUL byte in any string that would reach PostgreSQL → 400 naming the field', async () => {
    const { noticeId } = await toRunningNotice(test, api);
    const cases = [
      test.http().post('/auth/login').send({ username: 'ag\u0000ri', password: 'x' }),
      test
        .http()
        .post(`/public/notices/${noticeId}/objections`)
        .send({ name: '张\u0000三', phone: '13900000000', text: '面积不对' }),
      test.http().get('/contracts?state=%00').set(admin.auth),
      test.http().get('/regions/%00').set(admin.auth),
    ];
    const fields = ['username', 'name', 'state', 'code'];
    for (const [index, pending] of cases.entries()) {
      const response = await expectNoWrites(test.dataSource, async () => await pending);
      expect(response.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
      expect(response.body.errors).toEqual([
        { field: fields[index], message: '不能包含 NUL 字符' },
      ]);
    }
  });

  it('a lone surrogate or U+FFFD is refused, never stored as U+FFFD', async () => {
    for (const name of ['\ud800', 'a\udc00b', '张\ufffd']) {
      const response = await expectNoWrites(test.dataSource, () =>
        test.http().post('/organisations').set(admin.auth).send({ name }),
      );
      expect(response.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
      expect(response.body.errors).toEqual([
        { field: 'name', message: '必须是合法的 Unicode 文本' },
      ]);
    }
  });

  it('__proto__, constructor and prototype keys are unknown fields (400), at any depth', async () => {
    const bodies = [
      '{"code":"X1","name":"x","level":"district","__proto__":{"admin":true}}',
      '{"code":"X1","name":"x","level":"district","constructor":{"prototype":{"a":1}}}',
      '{"code":"X1","name":"x","level":"district","extra":[{"prototype":1}]}',
    ];
    const fields = ['__proto__', 'constructor', 'extra[0].prototype'];
    for (const [index, body] of bodies.entries()) {
      const response = await expectNoWrites(test.dataSource, () =>
        test
          .http()
          .post('/regions')
          .set(admin.auth)
          .set('Content-Type', 'application/json')
          .send(body),
      );
      expect(response.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
      expect(response.body.errors[0].field).toBe(fields[index]);
    }
  });

  it('numbers beyond what their column holds → 400 naming the field', async () => {
    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const offset = await expectNoWrites(test.dataSource, () =>
      test.http().get('/contracts?offset=99999999999999999999').set(agri.auth),
    );
    expect(offset.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
    expect(offset.body.errors[0].field).toBe('offset');
    await test.http().get('/contracts?offset=1000000').set(agri.auth).expect(200);
    await test.http().get('/contracts?offset=1000001').set(agri.auth).expect(400);

    const project = (plannedAreaMu: string) =>
      test
        .http()
        .post('/projects')
        .set(agri.auth)
        .send({
          code: `BIG-${plannedAreaMu}`,
          name: '大项目',
          year: 2019,
          districtCode: tree.district,
          villageCodes: tree.villages,
          tasks: [{ code: 'harvest', name: '小麦机收', plannedAreaMu }],
          serviceStart: '2019-06-01',
          serviceEnd: '2019-06-30',
        });
    const area = await expectNoWrites(test.dataSource, () => project('21474836.48'));
    expect(area.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
    expect(area.body.errors[0]).toMatchObject({ field: 'tasks[0].plannedAreaMu' });
    await project('10000000.00').expect(201);
  });

  it('X-Forwarded-For is not trusted by default: varying it does not defeat the login throttle', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 12; i++) {
      const response = await test
        .http()
        .post('/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ username: 'victim-xff', password: `guess-${i}` });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers['retry-after'];
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('thirty colleagues logging in from one office address are never throttled', async () => {
    const tree = await api.regionTree(1);
    const users = [];
    for (let i = 0; i < 30; i++)
      users.push(await api.user('observer', { regionCode: tree.district }));
    for (const user of users) await api.login(user.username, `pw-${user.username}-secret`);
  });

  it('objections are throttled per client and per notice; a flood on one notice spares the others', async () => {
    // Its own app: the other tests' objections from this address must not count here.
    const own = await createTestApp();
    const ownApi = new Api(own);
    const flooded = await toRunningNotice(own, ownApi);
    const other = await toRunningNotice(own, ownApi);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await own
        .http()
        .post(`/public/notices/${flooded.noticeId}/objections`)
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({ name: `村民${i}`, phone: `1390000${String(i).padStart(4, '0')}`, text: '有异议' });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.body).toMatchObject(problem(429, 'TOO_MANY_REQUESTS'));
      }
    }
    // One address: ten a minute, whatever the phone number.
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    const [{ n }] = await own.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM objection WHERE notice_id = $1',
      [flooded.noticeId],
    );
    expect(n).toBe(10);
    await own
      .http()
      .post(`/public/notices/${other.noticeId}/objections`)
      .send({ name: '王五', phone: '13700000000', text: '异议' })
      .expect(429); // the same address has used its ten, on any notice
    await own.close();

    // Many addresses on one notice: the notice's own limit.
    const perNotice = await createTestApp({
      trustProxy: ['loopback'],
      rateLimits: {
        loginFailuresPerUsername: 10,
        loginFailuresPerClient: 50,
        objectionsPerClient: 10,
        objectionsPerNotice: 20,
      },
    });
    try {
      const api2 = new Api(perNotice);
      const hot = await toRunningNotice(perNotice, api2);
      const quiet = await toRunningNotice(perNotice, api2);
      const results: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await perNotice
          .http()
          .post(`/public/notices/${hot.noticeId}/objections`)
          .set('X-Forwarded-For', `198.51.100.${i}`)
          .send({
            name: `村民${i}`,
            phone: `1390000${String(i).padStart(4, '0')}`,
            text: '有异议',
          });
        results.push(response.status);
      }
      expect(results).toEqual([...Array(20).fill(201), ...Array(10).fill(429)]);
      // A villager objecting to another notice is not blocked by the flood.
      await perNotice
        .http()
        .post(`/public/notices/${quiet.noticeId}/objections`)
        .set('X-Forwarded-For', '198.51.100.250')
        .send({ name: '李四', phone: '13800000000', text: '地块不对' })
        .expect(201);
    } finally {
      await perNotice.close();
    }
  });

  it('a register file that adds no row writes nothing, not even an audit event', async () => {
    const q = await buildQiaocheng(api);
    const { contractIds } = await awardQiaocheng(api, q);
    await test
      .http()
      .post(`/contracts/${contractIds[0]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: 'H-1', signedOn: '2015-06-01' })
      .expect(200);
    const header =
      'villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned\n';
    const response = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${contractIds[0]}/register`)
        .set(q.coops[0].auth)
        .attach('file', Buffer.from(header), 'register.csv'),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 0, rejected: [] });
  });

  it('a correction whose workDate is not a date → VALIDATION_FAILED, not AFTER_DEADLINE', async () => {
    const { q, id } = await toRunningNotice(test, api);
    const [row] = await test.dataSource.query<{ id: string }[]>(
      `SELECT id FROM register_row WHERE contract_id = $1 LIMIT 1`,
      [id],
    );
    const response = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .patch(`/contracts/${id}/register/${row.id}`)
        .set(q.coops[0].auth)
        .send({ workDate: '2024-02-30' }),
    );
    expect(response.body).toMatchObject(problem(400, 'VALIDATION_FAILED'));
    expect(response.body.errors).toEqual([
      { field: 'workDate', message: 'workDate 必须是 YYYY-MM-DD 格式的日期' },
    ]);
  });

  it('the project summary is for the district: other roles get 403', async () => {
    const { q, village } = await toRunningNotice(test, api);
    const verifier = await api.user('village_verifier', { regionCode: village });
    const acceptor = await api.user('town_acceptor', {
      regionCode: q.town,
      acceptanceRole: 'technical_guidance',
    });
    for (const session of [q.coops[0], verifier, acceptor]) {
      const response = await test.http().get(`/projects/${q.projectId}/summary`).set(session.auth);
      expect(response.body).toMatchObject(problem(403, 'FORBIDDEN'));
    }
    await test.http().get(`/projects/${q.projectId}/summary`).set(q.agri.auth).expect(200);
  });

  describe('malformed multipart: 4xx problem+json, nothing written, before and after the scope check', () => {
    let q: Awaited<ReturnType<typeof buildQiaocheng>>;
    let contractIds: string[];
    const figures = new Map<string, number>();

    beforeAll(async () => {
      q = await buildQiaocheng(api);
      ({ contractIds } = await awardQiaocheng(api, q));
    });
    afterAll(() => {
      const summary = [...figures].map(([status, n]) => `${n} × ${status}`).join(', ');
      console.log(`malformed multipart: ${summary}; 0 × 5xx; every one wrote nothing`);
    });

    /** Who sends it where: the route's own object, another's (404 if well formed), a random id. */
    const targets = (): {
      target: string;
      path: string;
      session: Session;
      fields: Record<string, string>;
    }[] => [
      {
        target: 'an attachment to the own contract',
        path: `/contracts/${contractIds[0]}/attachments`,
        session: q.coops[0],
        fields: { kind: 'other' },
      },
      {
        target: "an attachment to another cooperative's contract",
        path: `/contracts/${contractIds[1]}/attachments`,
        session: q.coops[0],
        fields: { kind: 'other' },
      },
      {
        target: 'a register to the own contract',
        path: `/contracts/${contractIds[0]}/register`,
        session: q.coops[0],
        fields: {},
      },
      {
        target: 'a bank result file to a random batch',
        path: `/payment-batches/${randomUUID()}/result`,
        session: q.finance,
        fields: {},
      },
    ];

    const send = (path: string, auth: Record<string, string>, raw: RawMultipart) =>
      test.http().post(path).set(auth).set(raw.headers).send(raw.body);

    it.each(hostileMultiparts().map(({ name }, index) => [name, index] as const))(
      '%s',
      async (_name, index) => {
        for (const { target, path, session, fields } of targets()) {
          const variant = hostileMultiparts(fields)[index];
          const response = await expectNothingWritten(test, () =>
            send(path, session.auth, variant.request),
          );
          const seen = {
            target,
            status: response.status,
            type: response.headers['content-type'],
            code: response.body.code as string,
          };
          expect(seen).toEqual({
            target,
            status: variant.status,
            type: expect.stringMatching(/^application\/problem\+json/) as string,
            code: variant.code,
          });
          if (variant.code === 'VALIDATION_FAILED')
            expect(response.body.errors).toEqual([{ field: 'file', message: expect.any(String) }]);
          figures.set(String(response.status), (figures.get(String(response.status)) ?? 0) + 1);
        }
      },
    );

    it('the same request well formed: 201 to the own contract, 404 to the other one', async () => {
      const [own, other] = targets();
      const whole = {
        headers: hostileMultiparts()[2].request.headers,
        body: multipartBody(own.fields, { content: Buffer.from('%PDF-1.4\n% well formed\n') }),
      };
      await send(own.path, own.session.auth, whole).expect(201);
      const refused = await expectNothingWritten(test, () =>
        send(other.path, other.session.auth, whole),
      );
      expect(refused.body).toMatchObject(problem(404, 'NOT_FOUND'));
    });
  });
});

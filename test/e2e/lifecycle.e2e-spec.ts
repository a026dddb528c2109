import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { fetchPdfText } from '../support/pdf-text';
import { addRows, advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

interface ContractBody {
  state: string;
  version: number;
  taskLines: {
    taskCode: string;
    state: string;
    claimedAreaMu: string | null;
    verifiedAreaMu: string | null;
    villageParts: {
      villageCode: string;
      state: string;
      claimedAreaMu: string;
      verifiedAreaMu: string | null;
      noticeId: string | null;
    }[];
  }[];
}

describe('the contract lifecycle through HTTP: sign, work, claim, village verification, 7-day notices, objections', () => {
  let test: TestApp;
  let api: Api;
  let q: Qiaocheng;
  let admin: Session;
  let verifier: Session;
  let otherVerifier: Session;
  let coop: Session;
  let contractId: string;
  let village: string;

  const http = (): ReturnType<TestApp['http']> => test.http();
  const contract = async (): Promise<ContractBody> =>
    (await http().get(`/contracts/${contractId}`).set(q.agri.auth).expect(200))
      .body as ContractBody;
  const line = async (taskCode: string): Promise<ContractBody['taskLines'][number]> =>
    (await contract()).taskLines.find(
      (candidate) => candidate.taskCode === taskCode,
    ) as ContractBody['taskLines'][number];
  const verification = (
    session: Session,
    taskCode: string,
    villageCode: string,
    body: object = {},
  ) =>
    http()
      .post(`/contracts/${contractId}/task-lines/${taskCode}/villages/${villageCode}/verification`)
      .set(session.auth)
      .send(body);

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    admin = await api.admin();
    q = await buildQiaocheng(api);
    const { contractIds } = await awardQiaocheng(api, q);
    contractId = contractIds[0];
    coop = q.coops[0];
    village = q.villages[0].code;
    verifier = await api.user('village_verifier', { regionCode: village });
    otherVerifier = await api.user('village_verifier', { regionCode: q.villages[1].code });
  });
  afterAll(async () => {
    await test.close();
  });

  it('signs the contract (awarded → contracted); a second signing is refused with the state', async () => {
    const signed = await http()
      .post(`/contracts/${contractId}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: '谯农服合〔2015〕1号', signedOn: '2015-06-01' })
      .expect(200);
    expect(signed.body).toMatchObject({
      state: 'contracted',
      version: 2,
      contractNo: '谯农服合〔2015〕1号',
      signedOn: '2015-06-01',
    });
    const again = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/contracts/${contractId}/sign`)
        .set(q.agri.auth)
        .send({ contractNo: 'X', signedOn: '2015-06-02' }),
    );
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      state: 'contracted',
      event: 'contract.signed',
    });
  });

  it('refuses a stale If-Match with 409 VERSION_CONFLICT and writes nothing', async () => {
    const response = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/contracts/${contractId}/terminate`)
        .set(q.agri.auth)
        .set('If-Match', '"1"')
        .send({ reason: '测试' }),
    );
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'VERSION_CONFLICT', version: 2 });
  });

  it('starts the work with the first register rows (contracted → inService)', async () => {
    await addRows(test, coop, contractId, village, 'wheat_harvest', [250, 300, 125]);
    await uploadClaimAttachments(test, coop, contractId);
    const body = await contract();
    expect(body.state).toBe('inService');
    expect(body.taskLines.map((taskLine) => taskLine.state)).toEqual([
      'working',
      'working',
      'working',
    ]);
  });

  it('claims a task line: claimed area = Σ rows, one village part verifying; a second claim is refused', async () => {
    const claimed = await http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
      .set(coop.auth)
      .expect(200);
    const wheat = (claimed.body as ContractBody).taskLines.find(
      (taskLine) => taskLine.taskCode === 'wheat_harvest',
    );
    expect(wheat).toMatchObject({
      state: 'claimed',
      claimedAreaMu: '6.75',
      villageParts: [
        {
          villageCode: village,
          state: 'verifying',
          claimedAreaMu: '6.75',
          verifiedAreaMu: null,
          noticeId: null,
        },
      ],
    });
    const again = await expectNoWrites(test.dataSource, () =>
      http()
        .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
        .set(coop.auth)
        .set('Accept-Language', 'en'),
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect(again.body.detail).toMatch(/task line wheat_harvest is claimed/);
  });

  it('refuses a claim without register rows: 409 CLAIM_INCOMPLETE', async () => {
    const response = await expectNoWrites(test.dataSource, () =>
      http().post(`/contracts/${contractId}/task-lines/corn_seeding/claim`).set(coop.auth),
    );
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CLAIM_INCOMPLETE');
  });

  describe('village verification', () => {
    it('refuses a verifier of another village with 404', async () => {
      const response = await expectNoWrites(test.dataSource, () =>
        verification(otherVerifier, 'wheat_harvest', village),
      );
      expect(response.status).toBe(404);
    });

    it('refuses a verified area above the claimed one with 400 AREA_ABOVE_PREVIOUS_STAGE naming the row', async () => {
      const rows = await test.dataSource.query<{ id: string; row_no: number }[]>(
        `SELECT id, row_no FROM register_row WHERE contract_id = $1 AND task_code = 'wheat_harvest' ORDER BY row_no`,
        [contractId],
      );
      const response = await expectNoWrites(test.dataSource, () =>
        verification(verifier, 'wheat_harvest', village, {
          rows: [{ rowId: rows[1].id, verifiedAreaMu: '3.01' }],
        }),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        row: rows[1].row_no,
        errors: [{ field: 'rows[0].verifiedAreaMu' }],
      });
    });
  });

  describe('a notice with an objection: kept open past day 7, dismissed, cleared', () => {
    let noticeId: string;
    let objectionId: string;

    it('verification opens a 7-day notice, public without login, ID numbers masked', async () => {
      const rows = await test.dataSource.query<{ id: string }[]>(
        `SELECT id FROM register_row WHERE contract_id = $1 AND task_code = 'wheat_harvest' ORDER BY row_no`,
        [contractId],
      );
      const before = Date.now();
      const verified = await verification(verifier, 'wheat_harvest', village, {
        rows: [{ rowId: rows[0].id, verifiedAreaMu: 2 }],
      }).expect(200);
      expect(verified.body).toEqual({
        state: 'noticeRunning',
        noticeId: expect.any(String),
        endsAt: expect.any(String),
      });
      noticeId = verified.body.noticeId;
      const endsAt = Date.parse(verified.body.endsAt);
      expect(endsAt - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000 - 1000);

      const wheat = await line('wheat_harvest');
      expect(wheat.state).toBe('villageVerification');
      expect(wheat.villageParts[0]).toMatchObject({
        state: 'noticeRunning',
        verifiedAreaMu: '6.25',
        noticeId,
      });

      const list = await http().get('/public/notices').expect(200);
      expect(list.body.items.map((notice: { id: string }) => notice.id)).toContain(noticeId);
      const detail = await http().get(`/public/notices/${noticeId}`).expect(200);
      expect(detail.body).toMatchObject({
        kind: 'village',
        state: 'running',
        title: '王各村 小麦机收 作业面积公示',
        organisationName: q.organisations[0].name,
      });
      expect(detail.body.rows).toHaveLength(3);
      for (const row of detail.body.rows as { householdIdNo: string }[])
        expect(row.householdIdNo).toMatch(/^341602\*{8}\d{3}[\dX]$/);
    });

    it('takes an objection from anyone, without login', async () => {
      const response = await http()
        .post(`/public/notices/${noticeId}/objections`)
        .send({ name: '王大爷', phone: '13800000000', text: '我家的地只收了一半' })
        .expect(201);
      objectionId = response.body.id;
    });

    it('refuses an objection naming a register row that is not on the notice (400 UNKNOWN_REGISTER_ROW)', async () => {
      const refused = await expectNoWrites(test.dataSource, () =>
        http().post(`/public/notices/${noticeId}/objections`).send({
          name: '王大爷',
          phone: '13800000000',
          text: '这一行不是我家的',
          registerRowId: '00000000-0000-4000-8000-000000000000',
        }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'UNKNOWN_REGISTER_ROW',
        errors: [{ field: 'registerRowId' }],
      });
    });

    it('day 7 passes: the notice stays open while the objection is', async () => {
      const { fired } = await advanceClock(test, admin, { advanceDays: 7, advanceHours: 1 });
      expect(fired).toBe(1);
      expect((await line('wheat_harvest')).villageParts[0].state).toBe('noticeRunning');
      const detail = await http().get(`/public/notices/${noticeId}`).expect(200);
      expect(detail.body).toMatchObject({ state: 'running', openObjections: 1 });
    });

    it('lists the objection for those who resolve or oversee it: the phone in full only for resolvers', async () => {
      const mine = await http()
        .get(`/objections?state=open&noticeId=${noticeId}`)
        .set(verifier.auth)
        .expect(200);
      expect(mine.body).toEqual({
        items: [
          expect.objectContaining({
            id: objectionId,
            noticeId,
            noticeKind: 'village',
            contractId,
            taskCode: 'wheat_harvest',
            villageCode: village,
            name: '王大爷',
            phone: '13800000000',
            text: '我家的地只收了一半',
            state: 'open',
            resolutionNote: null,
          }),
        ],
        total: 1,
      });
      const other = await http().get('/objections').set(otherVerifier.auth).expect(200);
      expect(other.body).toEqual({ items: [], total: 0 });
      const observer = await api.user('observer', { regionCode: q.district });
      const overseen = await http()
        .get(`/objections?contractId=${contractId}`)
        .set(observer.auth)
        .expect(200);
      expect(overseen.body.items).toEqual([
        expect.objectContaining({ id: objectionId, phone: '138****0000' }),
      ]);
      const dismissed = await http().get('/objections?state=dismissed').set(verifier.auth);
      expect(dismissed.body).toEqual({ items: [], total: 0 });
      await http().get('/objections').set(coop.auth).expect(403);
      const bad = await http().get('/objections?state=maybe&limit=1000').set(verifier.auth);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect((bad.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual([
        'limit',
        'state',
      ]);
    });

    it('only the village verifier of that village resolves it', async () => {
      await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/objections/${objectionId}/resolve`)
          .set(otherVerifier.auth)
          .send({ outcome: 'dismissed', note: 'x' })
          .expect(404),
      );
      await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/objections/${objectionId}/resolve`)
          .set(q.agri.auth)
          .send({ outcome: 'dismissed', note: 'x' })
          .expect(403),
      );
    });

    it('dismissed after day 7: the notice clears at once and the task line reaches town acceptance', async () => {
      const resolved = await http()
        .post(`/objections/${objectionId}/resolve`)
        .set(verifier.auth)
        .send({ outcome: 'dismissed', note: '经核实，面积无误' })
        .expect(200);
      expect(resolved.body).toEqual({
        id: objectionId,
        state: 'dismissed',
        noticeState: 'cleared',
      });
      const wheat = await line('wheat_harvest');
      expect(wheat).toMatchObject({ state: 'townAcceptance', verifiedAreaMu: '6.25' });
      expect(wheat.villageParts[0].state).toBe('noticeCleared');
    });

    it('refuses resolving twice (409 OBJECTION_ALREADY_RESOLVED) and objections on a cleared notice (409 NOTICE_CLOSED)', async () => {
      const twice = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/objections/${objectionId}/resolve`)
          .set(verifier.auth)
          .send({ outcome: 'upheld', note: 'x' }),
      );
      expect({ status: twice.status, code: twice.body.code }).toEqual({
        status: 409,
        code: 'OBJECTION_ALREADY_RESOLVED',
      });
      const late = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/public/notices/${noticeId}/objections`)
          .send({ name: '李四', phone: '13900000000', text: '太晚了' }),
      );
      expect({ status: late.status, code: late.body.code }).toEqual({
        status: 409,
        code: 'NOTICE_CLOSED',
      });
    });

    it('wrote the history: each part with its own from/to, cause before effect', async () => {
      const history = (
        await http().get(`/contracts/${contractId}/history`).set(q.agri.auth).expect(200)
      ).body as {
        event: string;
        taskCode?: string;
        villageCode?: string;
        from: string | null;
        to: string;
        actor: string | null;
      }[];
      const events = history.map((row) => [
        row.event,
        row.taskCode ?? null,
        row.villageCode ?? null,
        row.from,
        row.to,
      ]);
      expect(events).toEqual([
        ['contract.awarded', null, null, null, 'awarded'],
        ['contract.signed', null, null, 'awarded', 'contracted'],
        ['work.started', 'corn_seeding', null, 'pending', 'working'],
        ['work.started', 'straw_crushing', null, 'pending', 'working'],
        ['work.started', 'wheat_harvest', null, 'pending', 'working'],
        ['work.started', null, null, 'contracted', 'inService'],
        ['taskLine.claimed', 'wheat_harvest', village, null, 'verifying'],
        ['taskLine.claimed', 'wheat_harvest', null, 'working', 'claimed'],
        ['village.verified', 'wheat_harvest', village, 'verifying', 'noticeRunning'],
        ['village.verified', 'wheat_harvest', null, 'claimed', 'villageVerification'],
        ['objection.filed', 'wheat_harvest', village, 'noticeRunning', 'noticeRunning'],
        ['notice.elapsed', 'wheat_harvest', village, 'noticeRunning', 'noticeRunning'],
        ['objection.resolved', 'wheat_harvest', village, 'noticeRunning', 'noticeCleared'],
        ['objection.resolved', 'wheat_harvest', null, 'villageVerification', 'townAcceptance'],
      ]);
      expect(history.find((row) => row.event === 'notice.elapsed')?.actor).toBe('scheduler');
      expect(history.find((row) => row.event === 'objection.filed')?.actor).toBe('public');
    });
  });

  describe('an upheld objection sends the village part back; a new 7-day notice runs', () => {
    it('upheld → verifying; verified again → new notice → clears at day 7', async () => {
      await addRows(test, coop, contractId, village, 'straw_crushing', [400]);
      await http()
        .post(`/contracts/${contractId}/task-lines/straw_crushing/claim`)
        .set(coop.auth)
        .expect(200);
      const first = await verification(verifier, 'straw_crushing', village).expect(200);
      const noticePdf = `/contracts/${contractId}/documents/village-notice?taskCode=straw_crushing&villageCode=${village}`;
      const running = await fetchPdfText(http, noticePdf, verifier.auth);
      expect(running.status).toBe(200);
      expect(running.text).toContain('如有异议，请于公示期内向村核实小组反映');
      expect(running.text).not.toContain('公示状态');
      const objection = await http()
        .post(`/public/notices/${first.body.noticeId}/objections`)
        .send({ name: '赵五', phone: '13700000000', text: '面积不对' })
        .expect(201);
      const upheld = await http()
        .post(`/objections/${objection.body.id}/resolve`)
        .set(verifier.auth)
        .send({ outcome: 'upheld', note: '重新核实' })
        .expect(200);
      expect(upheld.body.noticeState).toBe('superseded');
      let straw = await line('straw_crushing');
      expect(straw.villageParts[0]).toMatchObject({
        state: 'verifying',
        verifiedAreaMu: null,
        noticeId: null,
      });
      await http()
        .get(`/public/notices/${first.body.noticeId}`)
        .expect(200)
        .expect((response) => expect(response.body.state).toBe('superseded'));
      // Printed now, the withdrawn notice says so and invites no objection.
      const withdrawn = await fetchPdfText(http, noticePdf, verifier.auth);
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.text).toContain('公示状态 异议成立，公示撤回');
      expect(withdrawn.text).toContain(
        '有异议经核实成立，本次公示撤回；将重新核实，并重新公示 7 天。',
      );
      expect(withdrawn.text).not.toContain('如有异议');

      const second = await verification(verifier, 'straw_crushing', village, {}).expect(200);
      expect(second.body.noticeId).not.toBe(first.body.noticeId);
      // The old notice's timer comes due first and changes nothing.
      await advanceClock(test, admin, { advanceDays: 7 });
      straw = await line('straw_crushing');
      expect(straw.state).toBe('townAcceptance');
      const outcomes = await test.dataSource.query<{ notice_id: string; outcome: string }[]>(
        'SELECT notice_id, outcome FROM timer WHERE notice_id = ANY($1) ORDER BY id',
        [[first.body.noticeId, second.body.noticeId]],
      );
      expect(outcomes).toEqual([
        { notice_id: first.body.noticeId, outcome: 'ignored: INVALID_TRANSITION' },
        { notice_id: second.body.noticeId, outcome: 'applied' },
      ]);
    });
  });

  describe('a notice with no objection', () => {
    it('is not cleared at day 7 minus one second, and is cleared at day 7', async () => {
      await addRows(test, coop, contractId, village, 'corn_seeding', [1000]);
      await http()
        .post(`/contracts/${contractId}/task-lines/corn_seeding/claim`)
        .set(coop.auth)
        .expect(200);
      await verification(verifier, 'corn_seeding', village).expect(200);
      await advanceClock(test, admin, { advanceHours: 7 * 24 - 1 / 3600 });
      expect((await line('corn_seeding')).villageParts[0].state).toBe('noticeRunning');
      await advanceClock(test, admin, { advanceHours: 1 / 3600 });
      const corn = await line('corn_seeding');
      expect(corn.villageParts[0].state).toBe('noticeCleared');
      expect(corn.state).toBe('townAcceptance');
      expect((await contract()).state).toBe('inService');
    });
  });

  it('answers an event in a state that does not take it with 409 INVALID_TRANSITION, writing nothing', async () => {
    const response = await expectNoWrites(test.dataSource, () =>
      verification(verifier, 'wheat_harvest', village).set('Accept-Language', 'en'),
    );
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      state: 'inService',
      event: 'village.verified',
    });
    expect(response.body.detail).toMatch(/village .* is noticeCleared/);
  });

  it('keeps the audit chain intact', async () => {
    const report = await http().get('/audit-log/verify').set(admin.auth).expect(200);
    expect(report.body.ok).toBe(true);
  });
});

import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { addRows, advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

const TASKS = ['wheat_harvest', 'straw_crushing', 'corn_seeding'] as const;
/** Register rows per task, hundredths of a mu: 1,234.56 / 1,200.50 / 800.25 mu. */
const ROWS: Record<(typeof TASKS)[number], number[]> = {
  wheat_harvest: [50000, 73456],
  straw_crushing: [100000, 20050],
  corn_seeding: [80025],
};

describe('town acceptance, district audit, media notice and payout: the Qiaocheng story to paid', () => {
  let test: TestApp;
  let api: Api;
  let q: Qiaocheng;
  let admin: Session;
  let verifiers: Session[];
  let acceptors: Record<'tech1' | 'tech2' | 'leader' | 'station' | 'farmer1' | 'farmer2', Session>;
  let finance2: Session;
  let contractIds: string[];

  const http_ = (): ReturnType<TestApp['http']> => test.http();
  const contract = async (id: string) =>
    (await http_().get(`/contracts/${id}`).set(q.agri.auth).expect(200)).body;

  /** Sign, register, claim, verify every task line; 7 days pass: every line in town acceptance. */
  async function toTownAcceptance(
    contractId: string,
    index: number,
    objection = false,
  ): Promise<void> {
    const coop = q.coops[index];
    const village = q.villages[index].code;
    const verifier = verifiers[index];
    await http_()
      .post(`/contracts/${contractId}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: `谯-${contractId.slice(0, 4)}`, signedOn: '2015-06-01' })
      .expect(200);
    await uploadClaimAttachments(test, coop, contractId);
    for (const task of TASKS) {
      await addRows(test, coop, contractId, village, task, ROWS[task]);
      await http_()
        .post(`/contracts/${contractId}/task-lines/${task}/claim`)
        .set(coop.auth)
        .expect(200);
      const verified = await http_()
        .post(`/contracts/${contractId}/task-lines/${task}/villages/${village}/verification`)
        .set(verifier.auth)
        .send({})
        .expect(200);
      if (objection && task === 'wheat_harvest') {
        const filed = await http_()
          .post(`/public/notices/${verified.body.noticeId}/objections`)
          .send({ name: '王大爷', phone: '13800000001', text: '面积有出入' })
          .expect(201);
        await http_()
          .post(`/objections/${filed.body.id}/resolve`)
          .set(verifier.auth)
          .send({ outcome: 'dismissed', note: '复核无误' })
          .expect(200);
      }
    }
    await advanceClock(test, admin, { advanceDays: 7 });
  }

  async function accept(
    contractId: string,
    task: string,
    signers: Session[],
  ): Promise<{ recordId: string; last: Record<string, unknown> }> {
    const parts = (await contract(contractId)).taskLines.find(
      (line: { taskCode: string }) => line.taskCode === task,
    ).villageParts;
    const record = await http_()
      .post(`/contracts/${contractId}/task-lines/${task}/acceptance`)
      .set(acceptors.station.auth)
      .send({
        villages: parts.map((part: { villageCode: string; verifiedAreaMu: string }) => ({
          villageCode: part.villageCode,
          acceptedAreaMu: part.verifiedAreaMu,
        })),
      })
      .expect(201);
    let last: Record<string, unknown> = {};
    for (const signer of signers) {
      last = (
        await http_()
          .post(`/acceptance-records/${record.body.id}/signatures`)
          .set(signer.auth)
          .send({ decision: 'pass' })
          .expect(200)
      ).body;
    }
    return { recordId: record.body.id, last };
  }

  const quorum = (): Session[] => [
    acceptors.tech1,
    acceptors.leader,
    acceptors.station,
    acceptors.farmer1,
    acceptors.tech2,
  ];

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    admin = await api.admin();
    q = await buildQiaocheng(api);
    ({ contractIds } = await awardQiaocheng(api, q));
    verifiers = [];
    for (const village of q.villages)
      verifiers.push(await api.user('village_verifier', { regionCode: village.code }));
    const member = (
      acceptanceRole:
        'technical_guidance' | 'township_leader' | 'station_head' | 'farmer_supervisor',
    ) => api.user('town_acceptor', { regionCode: q.town, acceptanceRole });
    acceptors = {
      tech1: await member('technical_guidance'),
      tech2: await member('technical_guidance'),
      leader: await member('township_leader'),
      station: await member('station_head'),
      farmer1: await member('farmer_supervisor'),
      farmer2: await member('farmer_supervisor'),
    };
    finance2 = await api.user('district_finance', { regionCode: q.district });
  });
  afterAll(async () => {
    await test.close();
  });

  it('runs one contract with three task lines from award to paid, with the hand-checked subsidy', async () => {
    const id = contractIds[0];
    const coop = q.coops[0];
    await toTownAcceptance(id, 0, true);
    const inAcceptance = await contract(id);
    expect(inAcceptance.taskLines.map((line: { state: string }) => line.state)).toEqual([
      'townAcceptance',
      'townAcceptance',
      'townAcceptance',
    ]);

    // Wheat: four signers cover the four roles but are not five; the fifth completes it.
    const parts = inAcceptance.taskLines.find(
      (line: { taskCode: string }) => line.taskCode === 'wheat_harvest',
    ).villageParts;
    const tooMuch = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/task-lines/wheat_harvest/acceptance`)
        .set(acceptors.station.auth)
        .send({ villages: [{ villageCode: parts[0].villageCode, acceptedAreaMu: '1234.57' }] }),
    );
    expect({ status: tooMuch.status, code: tooMuch.body.code }).toEqual({
      status: 400,
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
    });
    const record = await http_()
      .post(`/contracts/${id}/task-lines/wheat_harvest/acceptance`)
      .set(acceptors.station.auth)
      .send({ villages: [{ villageCode: parts[0].villageCode, acceptedAreaMu: '1234.56' }] })
      .expect(201);
    expect(record.body).toEqual({ id: expect.any(String), revision: 1 });
    const sign = (session: Session, decision = 'pass') =>
      http_()
        .post(`/acceptance-records/${record.body.id}/signatures`)
        .set(session.auth)
        .send({ decision });
    for (const signer of [acceptors.tech1, acceptors.leader, acceptors.station])
      await sign(signer).expect(200);
    const fourth = await sign(acceptors.farmer1).expect(200);
    expect(fourth.body).toEqual({
      passCount: 4,
      rolesCovered: ['technical_guidance', 'township_leader', 'station_head', 'farmer_supervisor'],
      complete: false,
      recordState: 'open',
    });
    const twice = await expectNoWrites(test.dataSource, () => sign(acceptors.tech1));
    expect({ status: twice.status, code: twice.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_SIGNED',
    });
    const byCoop = await expectNoWrites(test.dataSource, () => sign(coop));
    expect({ status: byCoop.status, code: byCoop.body.code }).toEqual({
      status: 403,
      code: 'SEPARATION_OF_DUTIES',
    });
    const fifth = await sign(acceptors.tech2).expect(200);
    expect(fifth.body).toMatchObject({ passCount: 5, complete: true, recordState: 'complete' });
    const sixth = await expectNoWrites(test.dataSource, () => sign(acceptors.farmer2));
    expect({ status: sixth.status, code: sixth.body.code }).toEqual({
      status: 409,
      code: 'ACCEPTANCE_CLOSED',
    });
    expect(
      (await contract(id)).taskLines.find(
        (line: { taskCode: string }) => line.taskCode === 'wheat_harvest',
      ).state,
    ).toBe('accepted');

    await accept(id, 'straw_crushing', quorum());
    await accept(id, 'corn_seeding', quorum());
    expect((await contract(id)).state).toBe('districtAudit');

    // The audit: agriculture lowers corn to 800.00 mu; finance confirms.
    const above = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/audit/approvals`)
        .set(q.agri.auth)
        .send({ taskLines: [{ taskCode: 'corn_seeding', auditedAreaMu: '800.26' }] }),
    );
    expect({ status: above.status, code: above.body.code }).toEqual({
      status: 400,
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
    });
    await http_()
      .post(`/contracts/${id}/audit/approvals`)
      .set(q.agri.auth)
      .send({ taskLines: [{ taskCode: 'corn_seeding', auditedAreaMu: '800.00' }] })
      .expect(200);
    const again = await expectNoWrites(test.dataSource, () =>
      http_().post(`/contracts/${id}/audit/approvals`).set(q.agri.auth).send({}),
    );
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 403,
      code: 'SEPARATION_OF_DUTIES',
    });
    const agri2 = await api.user('district_agri', { regionCode: q.district });
    const sameBureau = await expectNoWrites(test.dataSource, () =>
      http_().post(`/contracts/${id}/audit/approvals`).set(agri2.auth).send({}),
    );
    expect({ status: sameBureau.status, code: sameBureau.body.code }).toEqual({
      status: 409,
      code: 'APPROVAL_EXISTS',
    });
    const audited = await http_()
      .post(`/contracts/${id}/audit/approvals`)
      .set(q.finance.auth)
      .send({})
      .expect(200);
    // 1,234.56 × 63.67 = 78,604.4352 → 78,604.44; 1,200.50 × 19.33 = 23,205.665 → 23,205.67; 800.00 × 24.33 = 19,464.00
    expect(audited.body).toMatchObject({
      state: 'audited',
      subsidyFen: 12127411,
      subsidyYuan: '121274.11',
    });
    expect(
      Object.fromEntries(
        audited.body.taskLines.map((line: { taskCode: string; amountFen: number }) => [
          line.taskCode,
          line.amountFen,
        ]),
      ),
    ).toEqual({
      wheat_harvest: 7860444,
      straw_crushing: 2320567,
      corn_seeding: 1946400,
    });

    const media = await http_()
      .post(`/contracts/${id}/media-notice`)
      .set(q.agri.auth)
      .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-20' })
      .expect(200);
    expect(media.body).toMatchObject({ state: 'mediaNotice', noticeId: expect.any(String) });
    // The media notice runs 7 × 24 h too: not cleared one second before its end, cleared at it.
    await advanceClock(test, admin, { advanceHours: 7 * 24 - 1 / 3600 });
    expect((await contract(id)).state).toBe('mediaNotice');
    const early = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/payouts`)
        .set(finance2.auth)
        .set('Idempotency-Key', 'early')
        .send({}),
    );
    expect({ status: early.status, code: early.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });
    await advanceClock(test, admin, { advanceHours: 1 / 3600 });
    expect((await contract(id)).state).toBe('payable');

    const byApprover = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/payouts`)
        .set(q.finance.auth)
        .set('Idempotency-Key', 'k-approver')
        .send({}),
    );
    expect({ status: byApprover.status, code: byApprover.body.code }).toEqual({
      status: 403,
      code: 'SEPARATION_OF_DUTIES',
    });
    const noKey = await expectNoWrites(test.dataSource, () =>
      http_().post(`/contracts/${id}/payouts`).set(finance2.auth).send({}),
    );
    expect({ status: noKey.status, code: noKey.body.code }).toEqual({
      status: 400,
      code: 'IDEMPOTENCY_KEY_MISSING',
    });

    const payout = await http_()
      .post(`/contracts/${id}/payouts`)
      .set(finance2.auth)
      .set('Idempotency-Key', 'story-1')
      .send({})
      .expect(201);
    expect(payout.body).toMatchObject({
      amountFen: 12127411,
      amountYuan: '121274.11',
      state: 'issued',
      payee: {
        name: q.organisations[0].name,
        bankAccountName: q.organisations[0].name,
        bankAccountNo: expect.stringMatching(/^\d+$/),
      },
    });
    const replay = await http_()
      .post(`/contracts/${id}/payouts`)
      .set(finance2.auth)
      .set('Idempotency-Key', 'story-1')
      .send({})
      .expect(201);
    expect(replay.body).toEqual(payout.body);
    // The payee's account in full for finance and the payee; masked for the other officials.
    const account = payout.body.payee.bankAccountNo as string;
    const asSeenBy = async (auth: Record<string, string>) =>
      (
        await http_()
          .get(`/payouts/${payout.body.id as string}`)
          .set(auth)
          .expect(200)
      ).body.payee.bankAccountNo as string;
    expect(await asSeenBy(finance2.auth)).toBe(account);
    expect(await asSeenBy(q.coops[0].auth)).toBe(account);
    expect(await asSeenBy(q.agri.auth)).toBe(
      `${'*'.repeat(account.length - 4)}${account.slice(-4)}`,
    );
    const listed = await http_().get('/payouts?state=issued').set(finance2.auth).expect(200);
    expect(listed.body).toEqual({ items: [payout.body], total: 1 });
    const overseen = await http_().get(`/payouts?contractId=${id}`).set(q.agri.auth).expect(200);
    expect(overseen.body.items).toEqual([
      {
        ...payout.body,
        payee: { ...payout.body.payee, bankAccountNo: await asSeenBy(q.agri.auth) },
      },
    ]);
    expect((await http_().get('/payouts?state=confirmed').set(finance2.auth)).body.total).toBe(0);
    await http_().get('/payouts').set(q.coops[0].auth).expect(403);
    const reused = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/payouts`)
        .set(finance2.auth)
        .set('Idempotency-Key', 'story-1')
        .send({ note: 'other' }),
    );
    expect({ status: reused.status, code: reused.body.code }).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const otherKey = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/contracts/${id}/payouts`)
        .set(finance2.auth)
        .set('Idempotency-Key', 'story-2')
        .send({}),
    );
    expect({ status: otherKey.status, code: otherKey.body.code }).toEqual({
      status: 409,
      code: 'PAYOUT_EXISTS',
    });

    const exported = await http_()
      .get('/payouts/export?state=issued&format=csv')
      .set(finance2.auth)
      .expect(200);
    expect(exported.text).toContain(`,121274.11,`);
    expect(exported.text).toMatch(/合计,,,,121274\.11,1 笔/);

    const confirmed = await http_()
      .post(`/payouts/${payout.body.id}/confirm`)
      .set(finance2.auth)
      .send({ bankReference: 'NX2015072800123' })
      .expect(200);
    expect(confirmed.body).toMatchObject({ state: 'confirmed', bankReference: 'NX2015072800123' });
    const twiceConfirmed = await expectNoWrites(test.dataSource, () =>
      http_()
        .post(`/payouts/${payout.body.id}/confirm`)
        .set(finance2.auth)
        .send({ bankReference: 'X' }),
    );
    expect({ status: twiceConfirmed.status, code: twiceConfirmed.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });
    const paid = await contract(id);
    expect(paid).toMatchObject({ state: 'paid', subsidyFen: 12127411 });

    const sheet = await http_()
      .get(`/contracts/${id}/calculation`)
      .set(q.observer.auth)
      .expect(200);
    expect(sheet.body).toMatchObject({
      state: 'paid',
      subsidyFen: 12127411,
      subsidyYuan: '121274.11',
    });
    const corn = sheet.body.taskLines.find(
      (line: { taskCode: string }) => line.taskCode === 'corn_seeding',
    );
    expect(corn).toMatchObject({
      claimedAreaMu: '800.25',
      verifiedAreaMu: '800.25',
      acceptedAreaMu: '800.25',
      auditedAreaMu: '800.00',
      amountFen: 1946400,
      formula: '800.00 亩 × 24.33 元/亩 = 19464.00 元（四舍五入到分）',
      villages: [{ villageCode: q.villages[0].code, rows: 1, claimedAreaMu: '800.25' }],
    });
    const stages = (sheet.body.signers as { stage: string; taskCode: string | null }[]).map(
      (signer) => `${signer.stage}:${signer.taskCode}`,
    );
    expect(stages.filter((stage) => stage === 'town acceptance:wheat_harvest')).toHaveLength(5);
    expect(stages.filter((stage) => stage.startsWith('district audit'))).toHaveLength(2);
    expect(stages.filter((stage) => stage.startsWith('village verification'))).toHaveLength(3);

    const summary = await http_()
      .get(`/projects/${q.projectId}/summary`)
      .set(q.agri.auth)
      .expect(200);
    expect(summary.body).toMatchObject({
      paidFen: 12127411,
      paidYuan: '121274.11',
      committedFen: 12127411,
    });
    expect(summary.body.contractsByState).toEqual({ paid: 1, awarded: 2 });
    expect(
      summary.body.tasks.find((task: { taskCode: string }) => task.taskCode === 'wheat_harvest'),
    ).toMatchObject({
      plannedAreaMu: '25000.00',
      assignedAreaMu: '25000.00',
      registeredAreaMu: '1234.56',
      auditedAreaMu: '1234.56',
      committedFen: 7860444,
    });

    const report = await http_().get('/audit-log/verify').set(admin.auth).expect(200);
    expect(report.body.ok).toBe(true);
  });
});

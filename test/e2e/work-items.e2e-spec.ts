/**
 * The to-do list (api.md "To-do list"; issue 25): one contract walked from its award to its
 * bank result, and at every step each role's `GET /work-items` — the item appears for the role
 * it waits on, only in its scope, and is gone as soon as anyone has done it.
 */
import { Api, type Session } from '../support/api';
import { addRows, advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { createTestApp, type TestApp } from '../support/test-app';

interface Item {
  kind: string;
  contractId: string | null;
  contractNo: string | null;
  organisationName: string | null;
  taskCode?: string;
  villageCode?: string;
  recordId?: string;
  objectionId?: string;
  batchId?: string;
  since: string;
  dueAt?: string;
}
interface ItemPage {
  items: Item[];
  total: number;
  countsByKind: Record<string, number>;
}

describe('GET /work-items', () => {
  let test: TestApp;
  let api: Api;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test?.close();
  });

  const page = async (session: Session, query = ''): Promise<ItemPage> =>
    (await http().get(`/work-items${query}`).set(session.auth).expect(200)).body as ItemPage;
  const kinds = async (session: Session): Promise<string[]> =>
    (await page(session)).items.map((item) => item.kind);

  it('each role sees what waits on it, in its scope, until anyone has done it', async () => {
    const tree = await api.regionTree(2);
    const [village, otherVillage] = tree.villages;
    const admin = await api.admin();
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const approver = await api.user('district_finance', { regionCode: tree.district });
    const finance = await api.user('district_finance', { regionCode: tree.district });
    const observer = await api.user('observer', { regionCode: tree.district });
    const verifier = await api.user('village_verifier', { regionCode: village });
    const otherVerifier = await api.user('village_verifier', { regionCode: otherVillage });
    const organisation = await api.organisation({ name: '谯城区待办农机合作社' });
    const coop = await api.user('cooperative', { organisationId: organisation.id });
    const otherCoop = await api.user('cooperative', {
      organisationId: (await api.organisation()).id,
    });
    const roles = [
      'technical_guidance',
      'township_leader',
      'station_head',
      'farmer_supervisor',
      'technical_guidance',
    ] as const;
    const signers: Session[] = [];
    for (const acceptanceRole of roles)
      signers.push(await api.user('town_acceptor', { regionCode: tree.town, acceptanceRole }));
    const everyone = [
      admin,
      agri,
      approver,
      finance,
      observer,
      verifier,
      otherVerifier,
      coop,
      otherCoop,
      ...signers,
    ];
    /** Who has which kinds now: only `expected`'s people have any item. */
    const expectOnly = async (expected: Map<Session, string[]>) => {
      for (const session of everyone) {
        expect({ who: session.username, kinds: await kinds(session) }).toEqual({
          who: session.username,
          kinds: expected.get(session) ?? [],
        });
      }
    };

    const tender = await openedTender(test, {
      agri,
      coop,
      districtCode: tree.district,
      villageCodes: [village],
      code: `TODO-${tree.district}`,
      name: '待办测试',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '《亳州晚报》',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: '60.00',
    });
    const award = await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' });
    expect(award.status).toBe(201);
    const contractId = award.body.contractId as string;

    // district_agri: contract.sign
    await expectOnly(new Map([[agri, ['contract.sign']]]));
    const toSign = await page(agri);
    expect(toSign).toEqual({
      items: [
        {
          kind: 'contract.sign',
          contractId,
          contractNo: null,
          organisationName: '谯城区待办农机合作社',
          since: expect.any(String),
        },
      ],
      total: 1,
      countsByKind: {
        'contract.sign': 1,
        'audit.sample': 0,
        'audit.approve': 0,
        'mediaNotice.open': 0,
        objection: 0,
      },
    });
    await http()
      .post(`/contracts/${contractId}/sign`)
      .set(agri.auth)
      .send({ contractNo: '谯农服合〔2015〕9号', signedOn: '2015-05-04' })
      .expect(200);

    // cooperative: register, then claim
    await expectOnly(new Map([[coop, ['register']]]));
    expect((await page(coop)).items[0]).toMatchObject({
      contractId,
      contractNo: '谯农服合〔2015〕9号',
    });
    await uploadClaimAttachments(test, coop, contractId);
    await addRows(test, coop, contractId, village, 'wheat_harvest', [1000, 2000]);
    await expectOnly(new Map([[coop, ['claim']]]));
    expect((await page(coop)).items[0]).toMatchObject({ taskCode: 'wheat_harvest' });
    await http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
      .set(coop.auth)
      .expect(200);

    // village_verifier of the village (not of the other): verify, then an objection
    await expectOnly(new Map([[verifier, ['verify']]]));
    expect((await page(verifier)).items[0]).toMatchObject({
      kind: 'verify',
      contractId,
      taskCode: 'wheat_harvest',
      villageCode: village,
    });
    const verified = await http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/villages/${village}/verification`)
      .set(verifier.auth)
      .send({})
      .expect(200);
    await expectOnly(new Map());
    const objection = await http()
      .post(`/public/notices/${verified.body.noticeId}/objections`)
      .send({ name: '张三', phone: '13800000000', text: '面积不对' })
      .expect(201);
    await expectOnly(new Map([[verifier, ['objection']]]));
    expect((await page(verifier)).items[0]).toMatchObject({
      objectionId: objection.body.id,
      taskCode: 'wheat_harvest',
      villageCode: village,
      dueAt: verified.body.endsAt,
    });
    await http()
      .post(`/objections/${objection.body.id}/resolve`)
      .set(verifier.auth)
      .send({ outcome: 'dismissed', note: '已核实无误' })
      .expect(200);
    await expectOnly(new Map());

    // town_acceptor: acceptance.open for the whole group, then acceptance.sign per signer
    await advanceClock(test, admin, { advanceDays: 7 });
    await expectOnly(new Map(signers.map((signer) => [signer, ['acceptance.open']])));
    const record = await http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/acceptance`)
      .set(signers[2].auth)
      .send({ villages: [{ villageCode: village, acceptedAreaMu: '30.00' }] })
      .expect(201);
    await expectOnly(new Map(signers.map((signer) => [signer, ['acceptance.sign']])));
    expect((await page(signers[0])).items[0]).toMatchObject({ recordId: record.body.id });
    for (const [index, signer] of signers.entries()) {
      await http()
        .post(`/acceptance-records/${record.body.id}/signatures`)
        .set(signer.auth)
        .send({ decision: 'pass' })
        .expect(200);
      if (index < signers.length - 1)
        await expectOnly(
          new Map(signers.slice(index + 1).map((waiting) => [waiting, ['acceptance.sign']])),
        );
    }

    // district audit: each bureau until it has approved
    await expectOnly(
      new Map([
        [agri, ['audit.approve']],
        [approver, ['audit.approve']],
        [finance, ['audit.approve']],
      ]),
    );
    await http()
      .post(`/contracts/${contractId}/audit/approvals`)
      .set(agri.auth)
      .send({})
      .expect(200);
    await expectOnly(
      new Map([
        [approver, ['audit.approve']],
        [finance, ['audit.approve']],
      ]),
    );
    await http()
      .post(`/contracts/${contractId}/audit/approvals`)
      .set(approver.auth)
      .send({})
      .expect(200);

    // district_agri: the media notice, then an objection on it
    await expectOnly(new Map([[agri, ['mediaNotice.open']]]));
    const media = await http()
      .post(`/contracts/${contractId}/media-notice`)
      .set(agri.auth)
      .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-20' })
      .expect(200);
    await expectOnly(new Map());
    const mediaObjection = await http()
      .post(`/public/notices/${media.body.noticeId}/objections`)
      .send({ name: '李四', phone: '13900000000', text: '补助有误' })
      .expect(201);
    await expectOnly(new Map([[agri, ['objection']]]));
    expect((await page(agri)).items[0]).toMatchObject({ objectionId: mediaObjection.body.id });
    await http()
      .post(`/objections/${mediaObjection.body.id}/resolve`)
      .set(agri.auth)
      .send({ outcome: 'dismissed', note: '经核实无误' })
      .expect(200);
    await expectOnly(new Map());

    // district_finance: the payout, then the bank's result of its batch
    await advanceClock(test, admin, { advanceDays: 7 });
    await expectOnly(
      new Map([
        [approver, ['payout.issue']],
        [finance, ['payout.issue']],
      ]),
    );
    const payout = await http()
      .post(`/contracts/${contractId}/payouts`)
      .set(finance.auth)
      .set('Idempotency-Key', `todo-${contractId}`)
      .send({})
      .expect(201);
    await expectOnly(new Map());
    const batch = await http().post('/payment-batches').set(finance.auth).send({}).expect(201);
    await expectOnly(
      new Map([
        [approver, ['batch.result']],
        [finance, ['batch.result']],
      ]),
    );
    expect((await page(finance)).items[0]).toMatchObject({
      kind: 'batch.result',
      contractId: null,
      batchId: batch.body.id,
    });
    const amount = (payout.body.amountYuan as string).replace(/,/g, '');
    await http()
      .post(`/payment-batches/${batch.body.id}/result`)
      .set(finance.auth)
      .attach(
        'file',
        Buffer.from(
          `拨付单号,银行账号,金额(元),状态,银行流水号,失败原因\n${payout.body.payoutNo},${payout.body.payee.bankAccountNo},${amount},成功,B-TODO-1,\n`,
        ),
        'result.csv',
      )
      .expect(200);
    await expectOnly(new Map());
  });

  it('pages oldest first, filters by kind, counts every kind of the role, and refuses an unknown kind', async () => {
    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const awarded: string[] = [];
    for (let i = 0; i < 3; i++) {
      const organisation = await api.organisation();
      const coop = await api.user('cooperative', { organisationId: organisation.id });
      const tender = await openedTender(test, {
        agri,
        coop,
        districtCode: tree.district,
        villageCodes: tree.villages,
        code: `TODO-PAGE-${tree.district}-${i}`,
        name: '待办分页',
        year: 2015,
        serviceStart: '2015-06-01',
        serviceEnd: '2015-06-30',
        publishedIn: '报',
        publishedOn: '2015-05-01',
        openingOn: '2015-05-02',
        task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
        unitPriceYuan: '60.00',
      });
      const award = await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' });
      awarded.push(award.body.contractId as string);
    }
    const all = await page(agri);
    expect(all.items.map((item) => item.contractId)).toEqual(awarded);
    const since = all.items.map((item) => Date.parse(item.since));
    expect([...since].sort((a, b) => a - b)).toEqual(since);
    const second = await page(agri, '?limit=1&offset=1');
    expect(second).toEqual({
      items: [all.items[1]],
      total: 3,
      countsByKind: {
        'contract.sign': 3,
        'audit.sample': 0,
        'audit.approve': 0,
        'mediaNotice.open': 0,
        objection: 0,
      },
    });
    expect((await page(agri, '?kind=audit.approve')).total).toBe(0);
    expect((await page(agri, '?kind=contract.sign')).total).toBe(3);
    const refused = await http().get('/work-items?kind=everything').set(agri.auth).expect(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'kind' })],
    });
    const observer = await api.user('observer', { regionCode: tree.district });
    expect(await page(observer)).toEqual({ items: [], total: 0, countsByKind: {} });
    await http().get('/work-items').expect(401);
  });
});

import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { addRows, advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

describe('town acceptance: another town, a failed record, revision and rework', () => {
  let test: TestApp;
  let api: Api;
  let q: Qiaocheng;
  let contractId: string;
  let members: Session[];
  let verifier: Session;
  const village = (): string => q.villages[0].code;

  async function toTownAcceptance(): Promise<void> {
    await test
      .http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
      .set(q.coops[0].auth)
      .expect(200);
    await test
      .http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/villages/${village()}/verification`)
      .set(verifier.auth)
      .send({})
      .expect(200);
    await advanceClock(test, await api.admin(), { advanceDays: 7 });
  }

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    q = await buildQiaocheng(api);
    ({
      contractIds: [contractId],
    } = await awardQiaocheng(api, q));
    verifier = await api.user('village_verifier', { regionCode: village() });
    members = [];
    for (const role of [
      'technical_guidance',
      'township_leader',
      'station_head',
      'farmer_supervisor',
      'technical_guidance',
    ] as const) {
      members.push(await api.user('town_acceptor', { regionCode: q.town, acceptanceRole: role }));
    }
    await test
      .http()
      .post(`/contracts/${contractId}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: 'A-1', signedOn: '2015-06-01' })
      .expect(200);
    await uploadClaimAttachments(test, q.coops[0], contractId);
    await addRows(test, q.coops[0], contractId, village(), 'wheat_harvest', [1000, 1500]);
    await toTownAcceptance();
  });
  afterAll(async () => {
    await test.close();
  });

  const open = (session: Session, acceptedAreaMu: string) =>
    test
      .http()
      .post(`/contracts/${contractId}/task-lines/wheat_harvest/acceptance`)
      .set(session.auth)
      .send({ villages: [{ villageCode: village(), acceptedAreaMu }] });
  const sign = (recordId: string, session: Session, decision: 'pass' | 'fail') =>
    test
      .http()
      .post(`/acceptance-records/${recordId}/signatures`)
      .set(session.auth)
      .send({ decision });

  it('answers 404 to a town acceptor of another town, and writes nothing', async () => {
    const elsewhere = await api.regionTree(1);
    const stranger = await api.user('town_acceptor', {
      regionCode: elsewhere.town,
      acceptanceRole: 'station_head',
    });
    const response = await expectNoWrites(test.dataSource, () => open(stranger, '25.00'));
    expect(response.status).toBe(404);
  });

  it('a fail stops the record; a revision resets the signatures and can complete', async () => {
    const first = await open(members[2], '25.00').expect(201);
    await sign(first.body.id, members[0], 'pass').expect(200);
    const failed = await sign(first.body.id, members[1], 'fail').expect(200);
    expect(failed.body).toMatchObject({ recordState: 'failed', complete: false });
    const closed = await expectNoWrites(test.dataSource, () =>
      sign(first.body.id, members[3], 'pass'),
    );
    expect({ status: closed.status, code: closed.body.code }).toEqual({
      status: 409,
      code: 'ACCEPTANCE_CLOSED',
    });

    const revised = await test
      .http()
      .post(`/acceptance-records/${first.body.id}/revise`)
      .set(members[2].auth)
      .send({
        villages: [{ villageCode: village(), acceptedAreaMu: '24.50' }],
        note: '复核后核减 0.5 亩',
      })
      .expect(201);
    expect(revised.body).toEqual({ id: expect.any(String), revision: 2 });
    // The members who signed revision 1 sign revision 2 afresh.
    let last = { body: {} as { complete?: boolean; passCount?: number } };
    for (const member of members) last = await sign(revised.body.id, member, 'pass').expect(200);
    expect(last.body).toMatchObject({ complete: true, passCount: 5 });
    const contract = await test.http().get(`/contracts/${contractId}`).set(q.agri.auth).expect(200);
    expect(
      contract.body.taskLines.find(
        (line: { taskCode: string }) => line.taskCode === 'wheat_harvest',
      ),
    ).toMatchObject({
      state: 'accepted',
      acceptedAreaMu: '24.50',
    });
  });

  it('rework sends a task line in town acceptance back to working; its rows can be corrected and claimed again', async () => {
    await addRows(test, q.coops[0], contractId, village(), 'straw_crushing', [800]);
    await test
      .http()
      .post(`/contracts/${contractId}/task-lines/straw_crushing/claim`)
      .set(q.coops[0].auth)
      .expect(200);
    await test
      .http()
      .post(`/contracts/${contractId}/task-lines/straw_crushing/villages/${village()}/verification`)
      .set(verifier.auth)
      .send({})
      .expect(200);
    await advanceClock(test, await api.admin(), { advanceDays: 7 });

    const reworked = await test
      .http()
      .post(`/contracts/${contractId}/task-lines/straw_crushing/rework`)
      .set(members[1].auth)
      .send({ note: '部分地块秸秆未粉碎到位，需返工' })
      .expect(200);
    const straw = reworked.body.taskLines.find(
      (line: { taskCode: string }) => line.taskCode === 'straw_crushing',
    );
    expect(straw).toMatchObject({ state: 'working', claimedAreaMu: null, villageParts: [] });
    const rows = await test
      .http()
      .get(`/contracts/${contractId}/register?taskCode=straw_crushing`)
      .set(q.coops[0].auth)
      .expect(200);
    expect(rows.body.items.map((row: { state: string }) => row.state)).toEqual(['working']);
    await test
      .http()
      .patch(`/contracts/${contractId}/register/${rows.body.items[0].id}`)
      .set(q.coops[0].auth)
      .send({ areaMu: '7.50' })
      .expect(200);
    const again = await test
      .http()
      .post(`/contracts/${contractId}/task-lines/straw_crushing/claim`)
      .set(q.coops[0].auth)
      .expect(200);
    expect(
      again.body.taskLines.find((line: { taskCode: string }) => line.taskCode === 'straw_crushing'),
    ).toMatchObject({
      state: 'claimed',
      claimedAreaMu: '7.50',
    });
    const byCoop = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${contractId}/task-lines/straw_crushing/rework`)
        .set(q.coops[0].auth)
        .send({ note: 'x' }),
    );
    expect({ status: byCoop.status, code: byCoop.body.code }).toEqual({
      status: 403,
      code: 'SEPARATION_OF_DUTIES',
    });
  });
});

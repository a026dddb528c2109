import { Api, type Session } from '../support/api';
import { payableContracts, type PayableWorld } from '../support/payable';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { batterySize, race, tally, type Answer } from '../support/race-client';
import { createTestApp, startWeakenedTwin, type TestApp } from '../support/test-app';

/**
 * Battery rows on the contract's row lock (quality.md): identical transitions, and separation of
 * duties raced from two logins of one person (the two audit approvals are by two different
 * people). Each races through `race()`; each negative control runs the same race against a twin
 * of the app whose commands take no row lock and check no version (TEST_WEAKEN=transition-lock),
 * where it must break.
 */
describe('battery: transitions under the row lock', () => {
  let test: TestApp;
  let twin: TestApp;
  let q: Qiaocheng;
  let contractIds: string[];
  let world: PayableWorld;
  const identical = batterySize(50, 200);

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    const api = new Api(test);
    q = await buildQiaocheng(api);
    ({ contractIds } = await awardQiaocheng(api, q));
    world = await payableContracts(test, api, 2, 2, { stopBeforeAudit: true });
    twin = await startWeakenedTwin(test, ['transition-lock']);
  }, 180_000);
  afterAll(async () => {
    await twin.close();
    await test.close();
  });

  const count = async (contractId: string, event: string) =>
    (
      await test.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = $2',
        [contractId, event],
      )
    )[0].n;

  const signs = (contractId: string) =>
    Array.from({ length: identical }, () => ({
      path: `/contracts/${contractId}/sign`,
      body: { contractNo: '谯农服合〔2015〕2号', signedOn: '2015-06-01' },
      headers: q.agri.auth,
    }));

  /** The row's assertions: the negative control expects them to fail on the twin. */
  const expectOneSigning = (answers: Answer[], history: number, version: number) => {
    expect(tally(answers)).toEqual({ '200': 1, '409 INVALID_TRANSITION': identical - 1 });
    expect({ history, version }).toEqual({ history: 1, version: 2 });
  };
  async function signingRace(target: TestApp, contractId: string) {
    const answers = await race(target, signs(contractId));
    const [{ version }] = await test.dataSource.query<{ version: number }[]>(
      'SELECT version FROM contract WHERE id = $1',
      [contractId],
    );
    return { answers, history: await count(contractId, 'contract.signed'), version };
  }

  it(`identical transitions: ${identical} concurrent signings → 1 applied, ${identical - 1} × 409, 1 history row`, async () => {
    const { answers, history, version } = await signingRace(test, contractIds[0]);
    console.log(
      `identical transitions: ${JSON.stringify(tally(answers))}, ${history} history row, version ${version}`,
    );
    expectOneSigning(answers, history, version);
  });

  it('negative control: without the row lock the same race fails those assertions', async () => {
    const { answers, history, version } = await signingRace(twin, contractIds[1]);
    console.log(
      `identical transitions, weakened: ${JSON.stringify(tally(answers))}, ${history} history rows, version ${version}`,
    );
    expect(() => expectOneSigning(answers, history, version)).toThrow();
  });

  /** The agriculture committee's approver, from two logins, approving its side at once. */
  async function approvalRace(target: TestApp, contractId: string, each: number) {
    const agri: Session = world.agri;
    const second = await new Api(test).login(agri.username, `pw-${agri.username}-secret`);
    expect(second.token).not.toBe(agri.token);
    const requests = Array.from({ length: each }, () =>
      [agri, second].map((session) => ({
        path: `/contracts/${contractId}/audit/approvals`,
        body: {},
        headers: session.auth,
      })),
    ).flat();
    const answers = await race(target, requests);
    return { answers, approvals: await count(contractId, 'audit.approved') };
  }

  const expectOneApproval = (answers: Answer[], approvals: number, each: number) => {
    expect(tally(answers)).toEqual({ '200': 1, '403 SEPARATION_OF_DUTIES': 2 * each - 1 });
    expect(approvals).toBe(1);
  };

  it('separation of duties raced from two logins of one person: one approval, the rest 403', async () => {
    const each = 10;
    const { answers, approvals } = await approvalRace(test, world.contractIds[0], each);
    console.log(
      `separation of duties, approval race: ${JSON.stringify(tally(answers))}, ${approvals} approval`,
    );
    expectOneApproval(answers, approvals, each);
    // The finance side is still open for another person: the audit is not complete.
    const contract = await test
      .http()
      .get(`/contracts/${world.contractIds[0]}`)
      .set(world.agri.auth)
      .expect(200);
    expect(contract.body.state).toBe('districtAudit');
  });

  it('negative control: without the row lock the same race fails those assertions', async () => {
    const { answers, approvals } = await approvalRace(twin, world.contractIds[1], 10);
    console.log(
      `separation of duties, weakened: ${approvals} approvals by one person, ${JSON.stringify(tally(answers))}`,
    );
    expect(() => expectOneApproval(answers, approvals, 10)).toThrow();
  });
});

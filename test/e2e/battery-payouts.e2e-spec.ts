import type { Session } from '../support/api';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { payableContracts, type PayableWorld } from '../support/payable';
import { batterySize, race, tally, type Answer } from '../support/race-client';
import { createTestApp, startWeakenedTwin, type TestApp } from '../support/test-app';

/**
 * The payout rows of the battery (quality.md): the idempotency storm, key misuse, separation of
 * duties raced from two logins of one person, each race through `race()` (warm pool, barrier),
 * and the negative controls: the same races against a twin of the app whose payout claims its
 * key by check-then-insert without the row lock (TEST_WEAKEN=payout-key-claim), on a schema
 * without the one-live-payout index. They must break there, or the races prove nothing.
 */
describe('battery: payouts', () => {
  let test: TestApp;
  let world: PayableWorld;
  let finance: Session;
  const storm = batterySize(200, 1000);
  const keys = batterySize(100, 500);

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    world = await payableContracts(test, new Api(test), 8);
    finance = world.finance;
  }, 180_000);
  afterAll(async () => {
    await test.close();
  });

  const pay = (contractId: string, key: string, session = finance, body: object = {}) => ({
    path: `/contracts/${contractId}/payouts`,
    body,
    headers: { ...session.auth, 'Idempotency-Key': key },
  });
  interface Facts {
    payouts: number;
    keys: number;
    issued: number;
  }
  const facts = async (contractId: string) =>
    (
      await test.dataSource.query<Facts[]>(
        `SELECT (SELECT count(*)::int FROM payout WHERE contract_id = $1) AS payouts,
                (SELECT count(*)::int FROM idempotency_key WHERE scope LIKE '%:' || $1) AS keys,
                (SELECT count(*)::int FROM contract_history
                  WHERE contract_id = $1 AND event = 'payout.issued') AS issued`,
        [contractId],
      )
    )[0];

  async function sameKeyStorm(target: TestApp, contractId: string) {
    const answers = await race(
      target,
      Array.from({ length: storm }, () => pay(contractId, `storm-${contractId}`)),
    );
    return { answers, bodies: new Set(answers.map((answer) => answer.text)).size };
  }

  async function differentKeys(target: TestApp, contractId: string) {
    return race(
      target,
      Array.from({ length: keys }, (_, index) => pay(contractId, `k-${index}`)),
    );
  }

  /** The rows' assertions: the negative controls expect them to fail on the twin. */
  const expectOneStoredAnswer = (answers: Answer[], bodies: number, found: Facts) => {
    expect(tally(answers)).toEqual({ '201': storm });
    expect(bodies).toBe(1);
    expect(found).toEqual({ payouts: 1, keys: 1, issued: 1 });
  };
  const expectOnePayout = (answers: Answer[], found: Facts) => {
    expect(tally(answers)).toEqual({ '201': 1, '409 PAYOUT_EXISTS': keys - 1 });
    // The refused requests wrote nothing: their key claims rolled back with them.
    expect(found).toEqual({ payouts: 1, keys: 1, issued: 1 });
  };

  it(`payout idempotency storm: ${storm} concurrent same-key payouts → 1 payout, ${storm} identical answers`, async () => {
    const contractId = world.contractIds[0];
    const { answers, bodies } = await sameKeyStorm(test, contractId);
    const found = await facts(contractId);
    console.log(
      `payout storm: ${storm} same-key requests → ${found.payouts} payout, ${JSON.stringify(tally(answers))}, ${bodies} distinct bodies`,
    );
    expectOneStoredAnswer(answers, bodies, found);
  });

  it(`payout key misuse: ${keys} different keys → 1 payout + ${keys - 1} × 409 PAYOUT_EXISTS`, async () => {
    const contractId = world.contractIds[1];
    const answers = await differentKeys(test, contractId);
    const found = await facts(contractId);
    console.log(
      `payout keys: ${keys} keys → ${found.payouts} payout, ${JSON.stringify(tally(answers))}`,
    );
    expectOnePayout(answers, found);
  });

  /** One payout request through supertest; `key` undefined: no Idempotency-Key header. */
  const issue = (contractId: string, key: string | undefined, body: object, session = finance) => {
    const request = test.http().post(`/contracts/${contractId}/payouts`).set(session.auth);
    return (key === undefined ? request : request.set('Idempotency-Key', key)).send(body);
  };
  /** A refused request: its status and code, and the proof (every table's fingerprint) it wrote nothing. */
  const refusal = async (act: () => ReturnType<typeof issue>) => {
    const answer = await expectNoWrites(test.dataSource, act);
    return { status: answer.status, code: answer.body.code as string };
  };

  it('payout key misuse: no key → 400, the same key with another body → 422, writing nothing', async () => {
    const contractId = world.contractIds[2];
    expect(await refusal(() => issue(contractId, undefined, {}))).toEqual({
      status: 400,
      code: 'IDEMPOTENCY_KEY_MISSING',
    });
    const first = await issue(contractId, 'misuse', { note: '第一次' }).expect(201);
    expect(await refusal(() => issue(contractId, 'misuse', { note: '改过' }))).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const again = await expectNoWrites(test.dataSource, () =>
      issue(contractId, 'misuse', { note: '第一次' }),
    );
    expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
    expect(await facts(contractId)).toEqual({ payouts: 1, keys: 1, issued: 1 });
  });

  it('payout key misuse: a key is scoped per caller and per contract', async () => {
    const [paid, other] = [world.contractIds[2], world.contractIds[3]];
    const colleague = await new Api(test).user('district_finance', { regionCode: world.district });
    // Another caller with a key already used on this contract: its own request, not a replay.
    expect(await refusal(() => issue(paid, 'misuse', { note: '第一次' }, colleague))).toEqual({
      status: 409,
      code: 'PAYOUT_EXISTS',
    });
    // The same caller and key on another contract: a payout of that contract.
    const elsewhere = await issue(other, 'misuse', { note: '第一次' }).expect(201);
    expect(elsewhere.body).toMatchObject({
      contractId: other,
      amountFen: world.subsidyFen.get(other),
    });
    expect(await facts(other)).toEqual({ payouts: 1, keys: 1, issued: 1 });
  });

  it('separation of duties, raced from two logins of the audit approver: 20 × 403, nothing written; the other official pays', async () => {
    const contractId = world.contractIds[4];
    const password = `pw-${world.approver.username}-secret`;
    const second = await new Api(test).login(world.approver.username, password);
    expect(second.token).not.toBe(world.approver.token);
    const each = 10;
    const requests = Array.from({ length: each }, (_, index) => [
      pay(contractId, `a-${index}`, world.approver),
      pay(contractId, `b-${index}`, second),
    ]).flat();
    const answers = await expectNoWrites(test.dataSource, () => race(test, requests));
    console.log(`separation of duties, payout race: ${JSON.stringify(tally(answers))}`);
    expect(tally(answers)).toEqual({ '403 SEPARATION_OF_DUTIES': 2 * each });
    const paid = await issue(contractId, 'f-1', {}).expect(201);
    expect(paid.body).toMatchObject({ contractId, amountFen: world.subsidyFen.get(contractId) });
    const [{ issuedBy }] = await test.dataSource.query<{ issuedBy: string }[]>(
      'SELECT issued_by AS "issuedBy" FROM payout WHERE contract_id = $1',
      [contractId],
    );
    expect(issuedBy).toBe(finance.userId);
  });

  describe('negative controls: a twin that claims the key by check-then-insert, no row lock', () => {
    let twin: TestApp;
    beforeAll(async () => {
      twin = await startWeakenedTwin(test, ['payout-key-claim']);
      // The second defence, the one-live-payout index, goes too (the database is dropped after).
      await test.dataSource.query('DROP INDEX payout_live_contract_key');
    });
    afterAll(async () => {
      await twin.close();
    });

    it('the storm fails its assertions: more than one payout, answers that differ', async () => {
      const contractId = world.contractIds[6];
      const { answers, bodies } = await sameKeyStorm(twin, contractId);
      const found = await facts(contractId);
      console.log(
        `payout storm, weakened: ${found.payouts} payouts of ${storm} same-key requests, ${JSON.stringify(tally(answers))}, ${bodies} distinct bodies`,
      );
      // It showed 2–4 payouts in every run (the history's primary key refuses most of the rest
      // with a 500); the control is that the row's own assertions fail.
      expect(() => expectOneStoredAnswer(answers, bodies, found)).toThrow();
    });

    it('the different keys fail their assertions', async () => {
      const contractId = world.contractIds[7];
      const answers = await differentKeys(twin, contractId);
      const found = await facts(contractId);
      console.log(
        `payout keys, weakened: ${found.payouts} payouts of ${keys} keys, ${JSON.stringify(tally(answers))}`,
      );
      expect(() => expectOnePayout(answers, found)).toThrow();
    });
  });
});

import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { advanceClock, toRunningNotice } from '../support/lifecycle';
import { race, tally, type Answer } from '../support/race-client';
import { createTestApp, startWeakenedTwin, type TestApp } from '../support/test-app';

const ROLES = [
  'technical_guidance',
  'township_leader',
  'station_head',
  'farmer_supervisor',
] as const;

/**
 * Town acceptance (quality.md, "acceptance quorum race"; domain.md: at least five distinct pass
 * signers covering the four roles). The race goes through `race()`; its negative control runs it
 * against a twin that counts signatures without the contract's row lock
 * (TEST_WEAKEN=acceptance-lock), where its assertions must fail.
 */
describe('acceptance quorum', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  /** A task line in town acceptance with an open record; `members` of the town's group. */
  async function openRecord(roles: readonly (typeof ROLES)[number][]) {
    const admin = await api.admin();
    const { q, id, village } = await toRunningNotice(test, api);
    await advanceClock(test, admin, { advanceDays: 7 });
    const members: Session[] = [];
    for (const role of roles)
      members.push(await api.user('town_acceptor', { regionCode: q.town, acceptanceRole: role }));
    const record = await test
      .http()
      .post(`/contracts/${id}/task-lines/wheat_harvest/acceptance`)
      .set(members[0].auth)
      .send({ villages: [{ villageCode: village, acceptedAreaMu: '30.00' }] })
      .expect(201);
    return { id, town: q.town, members, recordId: record.body.id as string };
  }

  const sign = (recordId: string, member: Session) => ({
    path: `/acceptance-records/${recordId}/signatures`,
    body: { decision: 'pass' },
    headers: member.auth,
  });

  const signAs = (recordId: string, member: Session) =>
    test
      .http()
      .post(`/acceptance-records/${recordId}/signatures`)
      .set(member.auth)
      .send({ decision: 'pass' });

  async function quorumRace(target: TestApp) {
    const { id, members, recordId } = await openRecord([...ROLES, ...ROLES]);
    // Eight members at once, each twice.
    const answers = await race(
      target,
      [...members, ...members].map((member) => sign(recordId, member)),
    );
    const [facts] = await test.dataSource.query<{ completed: number; signatures: number }[]>(
      `SELECT (SELECT count(*)::int FROM contract_history WHERE contract_id = $1
                 AND event = 'acceptance.completed' AND task_code = 'wheat_harvest'
                 AND village_code IS NULL) AS completed,
              (SELECT count(*)::int FROM acceptance_signature WHERE record_id = $2) AS signatures`,
      [id, recordId],
    );
    return { answers, ...facts };
  }

  /** The row's assertions: the negative control expects them to fail on the twin. */
  const expectAcceptedOnce = (answers: Answer[], completed: number, signatures: number) => {
    const signed = answers.filter((answer) => answer.status === 200);
    const bodies = signed.map(
      (answer) => JSON.parse(answer.text) as { complete: boolean; passCount: number },
    );
    // How many sign before it completes depends on the order (five, or more until the four roles
    // are covered); exactly one signature completes it, and it is the last one taken.
    expect(bodies.filter((body) => body.complete).length).toBe(1);
    expect(signed.length).toBeGreaterThanOrEqual(5);
    expect(bodies.find((body) => body.complete)?.passCount).toBe(signed.length);
    expect(Math.max(...bodies.map((body) => body.passCount))).toBe(signed.length);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.every((answer) => answer.status === 409)).toBe(true);
    expect(new Set(refused.map((answer) => answer.code))).toEqual(
      new Set(['ALREADY_SIGNED', 'ACCEPTANCE_CLOSED']),
    );
    expect({ completed, signatures }).toEqual({ completed: 1, signatures: signed.length });
  };

  it('eight members sign at once, each twice: the task line is accepted exactly once', async () => {
    const { answers, completed, signatures } = await quorumRace(test);
    console.log(
      `acceptance race: ${JSON.stringify(tally(answers))}, ${signatures} signatures, completed ${completed} time(s)`,
    );
    expectAcceptedOnce(answers, completed, signatures);
  });

  it('negative control: counted without the row lock, the same race fails those assertions', async () => {
    const twin = await startWeakenedTwin(test, ['acceptance-lock']);
    try {
      const { answers, completed, signatures } = await quorumRace(twin);
      console.log(
        `acceptance race, weakened: ${JSON.stringify(tally(answers))}, ${signatures} signatures, completed ${completed} time(s)`,
      );
      expect(() => expectAcceptedOnce(answers, completed, signatures)).toThrow();
    } finally {
      await twin.close();
    }
  });

  it('five pass signers with one of the four roles absent: no completion, the task line waits', async () => {
    // Two technical guidance members, two township leaders, a station head: no farmer supervisor.
    const roles = [
      'technical_guidance',
      'technical_guidance',
      'township_leader',
      'township_leader',
      'station_head',
    ] as const;
    const { id, town, members, recordId } = await openRecord(roles);
    const answers: { complete: boolean; passCount: number; rolesCovered: string[] }[] = [];
    for (const member of members) answers.push((await signAs(recordId, member).expect(200)).body);
    expect(answers[4]).toMatchObject({
      passCount: 5,
      complete: false,
      recordState: 'open',
      rolesCovered: ['technical_guidance', 'township_leader', 'station_head'],
    });
    expect(answers.every((answer) => !answer.complete)).toBe(true);
    const contract = await test.http().get(`/contracts/${id}`).set(members[0].auth).expect(200);
    const line = contract.body.taskLines.find(
      (candidate: { taskCode: string }) => candidate.taskCode === 'wheat_harvest',
    );
    expect(line.state).toBe('townAcceptance');
    const [{ n }] = await test.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'acceptance.completed'`,
      [id],
    );
    expect(n).toBe(0);

    // The sixth, the missing role, completes it.
    const farmer = await api.user('town_acceptor', {
      regionCode: town,
      acceptanceRole: 'farmer_supervisor',
    });
    const last = await signAs(recordId, farmer).expect(200);
    expect(last.body).toMatchObject({ passCount: 6, complete: true, recordState: 'complete' });
    // A member signing again is refused and writes nothing.
    const again = await expectNoWrites(test.dataSource, () => signAs(recordId, members[0]));
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 409,
      code: 'ALREADY_SIGNED',
    });
  });
});

import { Api, type Session } from '../support/api';
import { advanceClock, toRunningNotice } from '../support/lifecycle';
import { createTestApp, type TestApp } from '../support/test-app';

describe('acceptance quorum race', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
  });
  afterAll(async () => {
    await test.close();
  });

  it('eight members sign at once, each twice: the task line is accepted exactly once', async () => {
    const api = new Api(test);
    const admin = await api.admin();
    const { q, id, village } = await toRunningNotice(test, api);
    await advanceClock(test, admin, { advanceDays: 7 });

    const roles = [
      'technical_guidance',
      'township_leader',
      'station_head',
      'farmer_supervisor',
    ] as const;
    const members: Session[] = [];
    for (const role of [...roles, ...roles])
      members.push(await api.user('town_acceptor', { regionCode: q.town, acceptanceRole: role }));
    const record = await test
      .http()
      .post(`/contracts/${id}/task-lines/wheat_harvest/acceptance`)
      .set(members[0].auth)
      .send({ villages: [{ villageCode: village, acceptedAreaMu: '30.00' }] })
      .expect(201);

    const answers = await Promise.all(
      [...members, ...members].map((member) =>
        test
          .http()
          .post(`/acceptance-records/${record.body.id}/signatures`)
          .set(member.auth)
          .send({ decision: 'pass' }),
      ),
    );
    const completes = answers.filter(
      (answer) => answer.status === 200 && answer.body.complete === true,
    ).length;
    const codes = answers
      .filter((answer) => answer.status !== 200)
      .map((answer) => answer.body.code as string);
    console.log(
      `acceptance race: ${answers.length - codes.length} signed, ${completes} completed it, refused: ${codes.join(', ')}`,
    );
    // How many sign before it completes depends on the order (five, or more until the four roles
    // are covered); exactly one signature completes it, and it is the last one taken.
    const signed = answers.filter((answer) => answer.status === 200);
    expect(completes).toBe(1);
    expect(signed.length).toBeGreaterThanOrEqual(5);
    const completing = signed.find((answer) => answer.body.complete === true);
    expect(completing?.body.passCount).toBe(signed.length);
    expect(Math.max(...signed.map((answer) => answer.body.passCount as number))).toBe(
      signed.length,
    );
    expect(new Set(codes)).toEqual(new Set(['ALREADY_SIGNED', 'ACCEPTANCE_CLOSED']));
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);

    const [{ n }] = await test.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'acceptance.completed' AND task_code = 'wheat_harvest' AND village_code IS NULL`,
      [id],
    );
    expect(n).toBe(1);
    const [{ signatures }] = await test.dataSource.query<{ signatures: number }[]>(
      'SELECT count(*)::int AS signatures FROM acceptance_signature WHERE record_id = $1',
      [record.body.id],
    );
    expect(signatures).toBe(signed.length);
  });
});

import { DEFAULT_RATE_LIMITS } from '../../src/config/app-config';
import { ContractWorkflowService } from '../../src/modules/contracts/contract-workflow.service';
import { Api } from '../support/api';
import { toRunningNotice } from '../support/lifecycle';
import { race, tally, type Answer } from '../support/race-client';
import { createTestApp, startWeakenedTwin, type TestApp } from '../support/test-app';

/**
 * Filing an objection is optimistic: no row lock unless two collide (Command.optimistic). Many
 * villagers objecting to one notice at once must each be counted once: no lost update, no
 * double, whichever path each took.
 */
describe('objection race', () => {
  let test: TestApp;

  beforeAll(async () => {
    // Forty villagers at once from one test address: above the public limits, on purpose.
    test = await createTestApp({
      testClock: true,
      rateLimits: { ...DEFAULT_RATE_LIMITS, objectionsPerClient: 1000, objectionsPerNotice: 1000 },
    });
  });
  afterAll(async () => {
    await test.close();
  });

  const objection = (noticeId: string, index: number) => ({
    path: `/public/notices/${noticeId}/objections`,
    body: {
      name: `村民${index}`,
      phone: `1390000${String(index).padStart(4, '0')}`,
      text: '面积不对',
    },
  });

  const factsOf = async (id: string, noticeId: string, village: string) =>
    (
      await test.dataSource.query<
        { objections: number; history: number; audit: number; version: number; open: number }[]
      >(
        `SELECT (SELECT count(*)::int FROM objection WHERE notice_id = $2) AS objections,
                (SELECT count(*)::int FROM contract_history
                  WHERE contract_id = $1 AND event = 'objection.filed') AS history,
                (SELECT count(*)::int FROM audit_event
                  WHERE entity_id = $1::text AND action = 'objection.filed') AS audit,
                version,
                (snapshot->'context'->'taskLines'->'wheat_harvest'->'villageParts'->$3->'notice'->>'openObjections')::int AS open
           FROM contract WHERE id = $1`,
        [id, noticeId, village],
      )
    )[0];

  /** The row's assertions: the negative control expects them to fail on the twin. */
  const expectAllCounted = (
    answers: Answer[],
    facts: Awaited<ReturnType<typeof factsOf>>,
    before: number,
  ) => {
    expect(tally(answers)).toEqual({ '201': 40 });
    expect(facts).toEqual({
      objections: 40,
      history: 40,
      audit: 40,
      version: before + 40,
      open: 40,
    });
  };

  it('40 objections to one notice at once: 40 stored, counted, in history and in the audit chain', async () => {
    const api = new Api(test);
    const admin = await api.admin();
    const { id, village, noticeId } = await toRunningNotice(test, api);
    const [{ version: before }] = await test.dataSource.query<{ version: number }[]>(
      'SELECT version FROM contract WHERE id = $1',
      [id],
    );

    // Count the optimistic attempts that lost and went on under the lock.
    const service: ContractWorkflowService = test.app.get(ContractWorkflowService);
    const workflow = service as unknown as {
      tryOptimistic: (command: unknown) => Promise<unknown>;
    };
    const tryOptimistic = workflow.tryOptimistic.bind(workflow);
    let conflicts = 0;
    workflow.tryOptimistic = async (command) => {
      const result = await tryOptimistic(command);
      if (result === undefined) conflicts += 1;
      return result;
    };

    const answers = await race(
      test,
      Array.from({ length: 40 }, (_, index) => objection(noticeId, index)),
    );
    console.log(`objection race: ${conflicts} of 40 optimistic saves lost and ran under the lock`);
    // Forty at once on one contract: some must have collided, or this test proves nothing.
    expect(conflicts).toBeGreaterThan(0);
    expectAllCounted(answers, await factsOf(id, noticeId, village), before);
    const notice = await test.http().get(`/public/notices/${noticeId}`).expect(200);
    expect(notice.body).toMatchObject({ state: 'running', openObjections: 40 });
    const chain = await test.http().get('/audit-log/verify').set(admin.auth).expect(200);
    expect(chain.body).toMatchObject({ ok: true });
  });

  it('negative control: without the version check (a twin) the same race fails those assertions', async () => {
    const twin = await startWeakenedTwin(test, ['transition-lock']);
    try {
      const { id, village, noticeId } = await toRunningNotice(test, new Api(test));
      const [{ version: before }] = await test.dataSource.query<{ version: number }[]>(
        'SELECT version FROM contract WHERE id = $1',
        [id],
      );
      const answers = await race(
        twin,
        Array.from({ length: 40 }, (_, index) => objection(noticeId, index)),
      );
      const facts = await factsOf(id, noticeId, village);
      console.log(
        `objection race, weakened: ${JSON.stringify(tally(answers))}; ${facts.objections} stored, counted ${facts.open}, version +${facts.version - before}`,
      );
      expect(() => expectAllCounted(answers, facts, before)).toThrow();
    } finally {
      await twin.close();
    }
  });
});

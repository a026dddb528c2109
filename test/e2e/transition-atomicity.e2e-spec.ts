import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { addRows, advanceClock, toRunningNotice } from '../support/lifecycle';
import type { Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A fault injected at each step of a command leaves no partial write (quality.md, "transition
 * atomicity"). The faults are database triggers that raise for one event:
 *
 * - after the command's own rows (a notice and its timer) and before the save;
 * - inside the one statement that saves the transition (its last write, the audit row);
 * - at COMMIT, in the trigger that links the audit row into the chain, for a command under the
 *   row lock, for an optimistic one (an objection) and for a timer the scheduler fires.
 *
 * Each time: 500, nothing written (every table's fingerprint); then, the fault removed, the same
 * command succeeds once.
 */
describe('transition atomicity: a fault at each step writes nothing', () => {
  let test: TestApp;
  let api: Api;
  let admin: Session;
  let q: Qiaocheng;
  let id: string;
  let village: string;
  let verifier: Session;
  let noticeId: string;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    admin = await api.admin();
    ({ q, id, village, verifier, noticeId } = await toRunningNotice(test, api));
  });
  afterAll(async () => {
    await test.close();
  });

  /** Installs a trigger on `table` that raises for rows matching `when`, runs `act`, removes it. */
  async function withFault<T>(table: string, when: string, act: () => Promise<T>): Promise<T> {
    await test.dataSource.query(
      `CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'injected fault'; END $$`,
    );
    await test.dataSource.query(
      `CREATE TRIGGER injected_fault BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION injected_fault()`,
    );
    try {
      return await act();
    } finally {
      await test.dataSource.query(`DROP TRIGGER injected_fault ON ${table}`);
      await test.dataSource.query('DROP FUNCTION injected_fault()');
    }
  }

  /** Makes the audit chain's link trigger (it runs at COMMIT) raise for one action. */
  async function withFaultAtCommit<T>(action: string, act: () => Promise<T>): Promise<T> {
    const [{ definition }] = await test.dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_functiondef('audit_event_link'::regproc) AS definition`,
    );
    const faulty = definition.replace(
      /BEGIN/,
      `BEGIN
         IF NEW.action = '${action}' THEN RAISE EXCEPTION 'injected fault at commit'; END IF;`,
    );
    expect(faulty).not.toBe(definition);
    await test.dataSource.query(faulty);
    try {
      return await act();
    } finally {
      await test.dataSource.query(definition);
    }
  }

  const count = async (sql: string, params: unknown[]) =>
    (await test.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  it('after the command wrote its notice and timer, before the save (village verification)', async () => {
    await addRows(test, q.coops[0], id, village, 'straw_crushing', [800]);
    await test
      .http()
      .post(`/contracts/${id}/task-lines/straw_crushing/claim`)
      .set(q.coops[0].auth)
      .expect(200);
    const verify = () =>
      test
        .http()
        .post(`/contracts/${id}/task-lines/straw_crushing/villages/${village}/verification`)
        .set(verifier.auth)
        .send({});
    await withFault('contract_history', `NEW.event = 'village.verified'`, () =>
      expectNoWrites(test.dataSource, () => verify().expect(500)),
    );
    await verify().expect(200);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM notice WHERE contract_id = $1 AND task_code = 'straw_crushing'`,
        [id],
      ),
    ).toBe(1);
  });

  it('inside the save statement, at its last write (the audit row of a claim)', async () => {
    await addRows(test, q.coops[0], id, village, 'corn_seeding', [600]);
    const claim = () =>
      test.http().post(`/contracts/${id}/task-lines/corn_seeding/claim`).set(q.coops[0].auth);
    await withFault('audit_event', `NEW.action = 'taskLine.claimed'`, () =>
      expectNoWrites(test.dataSource, () => claim().expect(500)),
    );
    await claim().expect(200);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'taskLine.claimed' AND task_code = 'corn_seeding'`,
        [id],
      ),
    ).toBe(2); // the task line's row and its village part's row
  });

  it('at COMMIT, for a command under the row lock (a resolution)', async () => {
    const objection = await test
      .http()
      .post(`/public/notices/${noticeId}/objections`)
      .send({ name: '钱七', phone: '13600000001', text: '面积不对' })
      .expect(201);
    const resolve = () =>
      test
        .http()
        .post(`/objections/${objection.body.id as string}/resolve`)
        .set(verifier.auth)
        .send({ outcome: 'dismissed', note: '已核实' });
    await withFaultAtCommit('objection.resolved', () =>
      expectNoWrites(test.dataSource, () => resolve().expect(500)),
    );
    await resolve().expect(200);
  });

  it('at COMMIT, for an optimistic command (an objection)', async () => {
    const object = () =>
      test
        .http()
        .post(`/public/notices/${noticeId}/objections`)
        .send({ name: '孙八', phone: '13600000002', text: '没有机收' });
    await withFaultAtCommit('objection.filed', () =>
      expectNoWrites(test.dataSource, () => object().expect(500)),
    );
    const filed = await object().expect(201);
    expect(
      await count(`SELECT count(*)::int AS n FROM objection WHERE id = $1`, [filed.body.id]),
    ).toBe(1);
    await test
      .http()
      .post(`/objections/${filed.body.id as string}/resolve`)
      .set(verifier.auth)
      .send({ outcome: 'dismissed', note: '已核实' })
      .expect(200);
  });

  it('at COMMIT, for a timer the scheduler fires: the timer is put off, others go on, it fires once later', async () => {
    const timers = async () =>
      test.dataSource.query<
        {
          task_code: string;
          fired_at: Date | null;
          outcome: string | null;
          attempts: number;
          last_error: string | null;
        }[]
      >(
        `SELECT n.task_code, t.fired_at, t.outcome, t.attempts, t.last_error
           FROM timer t JOIN notice n ON n.id = t.notice_id
          WHERE t.contract_id = $1 ORDER BY n.task_code`,
        [id],
      );
    const elapsedEvents = () =>
      count(
        `SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1::text AND action = 'notice.elapsed'`,
        [id],
      );
    // Both notices (straw crushing, wheat harvest) come due; every notice.elapsed fails at COMMIT.
    await withFaultAtCommit('notice.elapsed', () => advanceClock(test, admin, { advanceDays: 7 }));
    expect(await elapsedEvents()).toBe(0);
    expect(await timers()).toEqual([
      expect.objectContaining({ task_code: 'straw_crushing', fired_at: null, attempts: 1 }),
      expect.objectContaining({ task_code: 'wheat_harvest', fired_at: null, attempts: 1 }),
    ]);
    expect((await timers())[0].last_error).toMatch(/injected fault at commit/);

    // Past the first retry delay, only the wheat notice still fails: the straw one fires anyway.
    await withFault(
      'contract_history',
      `NEW.event = 'notice.elapsed' AND NEW.task_code = 'wheat_harvest'`,
      () => advanceClock(test, admin, { advanceHours: 6 / 3600 }),
    );
    expect(await timers()).toEqual([
      expect.objectContaining({ task_code: 'straw_crushing', outcome: 'applied', attempts: 1 }),
      expect.objectContaining({ task_code: 'wheat_harvest', fired_at: null, attempts: 2 }),
    ]);

    // Without the fault, not before its retry time (10 s now), then once.
    await advanceClock(test, admin, { advanceHours: 0 });
    expect((await timers())[1].fired_at).toBeNull();
    await advanceClock(test, admin, { advanceHours: 11 / 3600 });
    expect(await timers()).toEqual([
      expect.objectContaining({ task_code: 'straw_crushing', outcome: 'applied' }),
      expect.objectContaining({ task_code: 'wheat_harvest', outcome: 'applied', attempts: 2 }),
    ]);
    expect(await elapsedEvents()).toBe(2);
    const chain = await test.http().get('/audit-log/verify').set(admin.auth).expect(200);
    expect(chain.body).toMatchObject({ ok: true });
  });
});

import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { advanceClock, toRunningNotice } from '../support/lifecycle';
import { createTestApp, type TestApp } from '../support/test-app';

/** A terminated contract closes its running notices: off the board, no objections, no timers. */
describe('termination closes the contract’s notices', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  it('marks them terminated, takes them off the board, answers NOTICE_CLOSED, cancels the timer', async () => {
    const { q, id, noticeId } = await toRunningNotice(test, api);
    const board = async () =>
      (
        (await test.http().get('/public/notices?limit=200').expect(200)).body.items as {
          id: string;
        }[]
      ).map((notice) => notice.id);
    expect(await board()).toContain(noticeId);

    const terminated = await test
      .http()
      .post(`/contracts/${id}/terminate`)
      .set(q.agri.auth)
      .send({ reason: '合作社放弃作业' })
      .expect(200);
    expect(terminated.body.state).toBe('terminated');

    const [notice] = await test.dataSource.query<{ state: string; closed_at: Date | null }[]>(
      'SELECT state, closed_at FROM notice WHERE id = $1',
      [noticeId],
    );
    expect(notice.state).toBe('terminated');
    expect(notice.closed_at).not.toBeNull();
    const [timer] = await test.dataSource.query<{ fired_at: Date | null; outcome: string }[]>(
      'SELECT fired_at, outcome FROM timer WHERE notice_id = $1',
      [noticeId],
    );
    expect(timer).toMatchObject({ outcome: 'cancelled: contract terminated' });
    expect(timer.fired_at).not.toBeNull();
    expect(await board()).not.toContain(noticeId);

    const detail = await test.http().get(`/public/notices/${noticeId}`).expect(200);
    expect(detail.body.state).toBe('terminated');

    const objection = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/public/notices/${noticeId}/objections`)
        .send({ name: '王五', phone: '13700000000', text: '异议' }),
    );
    expect(objection.body).toMatchObject({ status: 409, code: 'NOTICE_CLOSED' });
    expect(objection.body.detail).toMatch(/^这份公示已因合同终止而关闭（.+），不再受理异议$/);

    // Seven days later nothing fires for it: the timer was cancelled with the notice.
    const admin = await api.admin();
    const advanced = await advanceClock(test, admin, { advanceDays: 8 });
    expect(advanced.fired).toBe(0);
    const history = await test.http().get(`/contracts/${id}/history`).set(q.agri.auth).expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'contract.terminated', to: 'terminated' });
    const [audit] = await test.dataSource.query<{ reason: string }[]>(
      `SELECT data->>'reason' AS reason FROM audit_event WHERE entity_id = $1 AND action = 'contract.terminated'`,
      [id],
    );
    expect(audit.reason).toBe('合作社放弃作业');
  });
});

import { MACHINE_VERSION } from '../../src/modules/contracts/machine/contract.machine';
import { NoticeSchedulerService } from '../../src/modules/notices/notice-scheduler.service';
import { Api } from '../support/api';
import { addRows, contractWithRunningNotices, uploadClaimAttachments } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app';

/**
 * Restarts and two instances: what must hold for a workflow that moves public money. (The race
 * of identical transitions is in battery-transitions.e2e-spec.ts.)
 */
describe('lifecycle durability', () => {
  let database: { url: string; drop: () => Promise<void> };
  let test: TestApp;
  let api: Api;
  let q: Qiaocheng;
  let contractIds: string[];
  const jwtSecret = 'a-secret-shared-by-every-instance-of-this-test';

  beforeAll(async () => {
    database = await createTestDatabase();
    test = await startTestApp({ databaseUrl: database.url, testClock: true, jwtSecret });
    api = new Api(test);
    q = await buildQiaocheng(api);
    ({ contractIds } = await awardQiaocheng(api, q));
  });
  afterAll(async () => {
    await test.close();
    await database.drop();
  });

  it('migrates a contract stored before the machine existed (version 0, no snapshot) when it is next used', async () => {
    await test.dataSource.query(
      `UPDATE contract SET snapshot = NULL, machine_version = 0 WHERE id = $1`,
      [contractIds[2]],
    );
    await test
      .http()
      .post(`/contracts/${contractIds[2]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: '谯农服合〔2015〕3号', signedOn: '2015-06-01' })
      .expect(200);
    const [row] = await test.dataSource.query<
      { machine_version: number; state: string; snapshot: { value: string } }[]
    >('SELECT machine_version, state, snapshot FROM contract WHERE id = $1', [contractIds[2]]);
    expect(row).toMatchObject({
      machine_version: MACHINE_VERSION,
      state: 'contracted',
      snapshot: { value: 'contracted' },
    });
  });

  it('a notice that ends while the app is down clears once, at the next start', async () => {
    const coop = q.coops[0];
    const village = q.villages[0].code;
    const verifier = await api.user('village_verifier', { regionCode: village });
    await test
      .http()
      .post(`/contracts/${contractIds[0]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: 'R-1', signedOn: '2015-06-01' })
      .expect(200);
    await addRows(test, coop, contractIds[0], village, 'wheat_harvest', [500]);
    await uploadClaimAttachments(test, coop, contractIds[0]);
    await test
      .http()
      .post(`/contracts/${contractIds[0]}/task-lines/wheat_harvest/claim`)
      .set(coop.auth)
      .expect(200);
    const verified = await test
      .http()
      .post(
        `/contracts/${contractIds[0]}/task-lines/wheat_harvest/villages/${village}/verification`,
      )
      .set(verifier.auth)
      .send({})
      .expect(200);

    await test.close();
    // Eight days pass while the app is down.
    await test.dataSource.destroy().catch(() => undefined);
    const restarted = await startTestApp({ databaseUrl: database.url, testClock: true, jwtSecret });
    try {
      await restarted.dataSource.query(
        `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + $1`,
        [8 * 24 * 3600 * 1000],
      );
      // What a start does: the scheduler's first run, here awaited.
      const fired = await restarted.app.get(NoticeSchedulerService).runDue();
      expect(fired).toBe(1);
      expect(await restarted.app.get(NoticeSchedulerService).runDue()).toBe(0);
      const [notice] = await restarted.dataSource.query<{ state: string }[]>(
        'SELECT state FROM notice WHERE id = $1',
        [verified.body.noticeId],
      );
      expect(notice.state).toBe('cleared');
      const elapsed = await restarted.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'notice.elapsed'`,
        [contractIds[0]],
      );
      expect(elapsed[0].n).toBe(2); // the village part and the task line, from one event
    } finally {
      test = restarted;
      api = new Api(test);
    }
  });

  it('two instances on one database, 200 due timers: each fires exactly once', async () => {
    const second = await startTestApp({ databaseUrl: database.url, testClock: true, jwtSecret });
    try {
      // One contract whose lot has 200 villages: 200 village parts, 200 notices, 200 timers.
      const contractId = await contractWithRunningNotices(test, api, 200);
      await test.dataSource.query(
        `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + $1`,
        [8 * 24 * 3600 * 1000],
      );
      const [a, b] = await Promise.all([
        test.app.get(NoticeSchedulerService).runDue(),
        second.app.get(NoticeSchedulerService).runDue(),
      ]);
      console.log(`two instances fired ${a} + ${b} timers`);
      expect(a + b).toBe(200);
      const timers = await test.dataSource.query<{ outcome: string; n: number }[]>(
        'SELECT outcome, count(*)::int AS n FROM timer WHERE contract_id = $1 GROUP BY outcome',
        [contractId],
      );
      expect(timers).toEqual([{ outcome: 'applied', n: 200 }]);
      const cleared = await test.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM contract_history WHERE contract_id = $1 AND event = 'notice.elapsed' AND village_code IS NOT NULL`,
        [contractId],
      );
      expect(cleared[0].n).toBe(200);
      const [{ state }] = await test.dataSource.query<{ state: string }[]>(
        `SELECT state FROM contract_task_line WHERE contract_id = $1`,
        [contractId],
      );
      expect(state).toBe('townAcceptance');
    } finally {
      await second.close();
    }
  });
});

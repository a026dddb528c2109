import { DEFAULT_RATE_LIMITS } from '../../src/config/app-config';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { toRunningNotice } from '../support/lifecycle';
import { race, tally } from '../support/race-client';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Abuse limits (quality.md): an objection flood released at once is throttled (429) without
 * blocking other villagers, and the refused part writes nothing; bodies over the limit → 413 on
 * JSON and on attachments, writing nothing (an over-size register file: battery-files); every list's page size is capped. The sequential flood,
 * the per-notice limit and the login throttle are in hostile-requests.e2e-spec.ts.
 */
describe('battery: abuse limits', () => {
  let test: TestApp;
  let api: Api;
  const uploadMaxBytes = 64 * 1024;

  beforeAll(async () => {
    // The proxy is trusted so that one test address can stand for many villagers.
    test = await createTestApp({ trustProxy: ['loopback'], uploadMaxBytes });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  const objection = (noticeId: string, index: number, address: string) => ({
    path: `/public/notices/${noticeId}/objections`,
    body: {
      name: `村民${index}`,
      phone: `1390000${String(index).padStart(4, '0')}`,
      text: '有异议',
    },
    headers: { 'X-Forwarded-For': address },
  });
  const written = async (contractId: string, noticeId: string) =>
    (
      await test.dataSource.query<{ objections: number; history: number; audit: number }[]>(
        `SELECT (SELECT count(*)::int FROM objection WHERE notice_id = $2) AS objections,
                (SELECT count(*)::int FROM contract_history
                  WHERE contract_id = $1 AND event = 'objection.filed') AS history,
                (SELECT count(*)::int FROM audit_event
                  WHERE entity_id = $1::text AND action = 'objection.filed') AS audit`,
        [contractId, noticeId],
      )
    )[0];

  it('an objection flood from one address, released at once: its limit passes, the rest 429, others unaffected', async () => {
    const flooded = await toRunningNotice(test, api);
    const other = await toRunningNotice(test, api);
    const flood = 40;
    const limit = DEFAULT_RATE_LIMITS.objectionsPerClient;
    const answers = await race(
      test,
      Array.from({ length: flood }, (_, index) =>
        objection(flooded.noticeId, index, '203.0.113.7'),
      ),
    );
    console.log(
      `objection flood: ${flood} at once from one address → ${JSON.stringify(tally(answers))}`,
    );
    expect(tally(answers)).toEqual({ '201': limit, '429 TOO_MANY_REQUESTS': flood - limit });
    // The refused ones wrote nothing: one objection, one history row and one audit row each for the rest.
    expect(await written(flooded.id, flooded.noticeId)).toEqual({
      objections: limit,
      history: limit,
      audit: limit,
    });
    // Another villager, on the same notice and on another, is not blocked.
    const neighbour = await race(test, [
      objection(flooded.noticeId, 90, '203.0.113.8'),
      objection(other.noticeId, 91, '203.0.113.9'),
    ]);
    expect(tally(neighbour)).toEqual({ '201': 2 });
  });

  it('a JSON body over the limit on a write route → 413 PAYLOAD_TOO_LARGE, writing nothing', async () => {
    const { q, id } = await toRunningNotice(test, api);
    const answer = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${id}/terminate`)
        .set(q.agri.auth)
        .send({ reason: '长'.repeat(1024 * 1024) }),
    );
    expect({ status: answer.status, code: answer.body.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('an attachment over UPLOAD_MAX_BYTES → 413 ATTACHMENT_TOO_LARGE, writing nothing', async () => {
    const { q, id } = await toRunningNotice(test, api);
    const attachment = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${id}/attachments`)
        .set(q.coops[0].auth)
        .field('kind', 'other')
        .attach('file', Buffer.alloc(uploadMaxBytes + 1, 'a'), 'big.pdf'),
    );
    expect({ status: attachment.status, code: attachment.body.code }).toEqual({
      status: 413,
      code: 'ATTACHMENT_TOO_LARGE',
    });
  });

  it('every list of /docs-json caps its page size: limit=201 → 400, limit=200 → 200', async () => {
    const admin = await api.admin();
    const document = (await test.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const lists = Object.entries(document.paths)
      .filter(
        ([path, operations]) =>
          (operations.get?.parameters ?? []).some(
            (parameter) => parameter.name === 'limit' && parameter.in === 'query',
          ) && !path.includes('{'),
      )
      .map(([path]) => path);
    expect(lists.length).toBeGreaterThan(5);
    // The administrator lists everything but the finance bureau's payment batches.
    const tree = await api.regionTree(1);
    const finance = await api.user('district_finance', { regionCode: tree.district });
    const viewer = (path: string) => (path === '/payment-batches' ? finance : admin);
    const refused: string[] = [];
    for (const path of lists) {
      const session = viewer(path);
      const over = await expectNoWrites(test.dataSource, () =>
        test.http().get(`${path}?limit=201`).set(session.auth),
      );
      if (over.status !== 400 || over.body.code !== 'VALIDATION_FAILED')
        refused.push(`${path}: ${over.status}`);
      const capped = await test.http().get(`${path}?limit=200`).set(session.auth);
      if (capped.status !== 200) refused.push(`${path} at 200: ${capped.status}`);
    }
    console.log(`page size: ${lists.length} list routes, limit=201 refused on each`);
    expect(refused).toEqual([]);
  });
});

import { toChineseCapital } from '../../src/modules/documents/chinese-amount';
import { Api, type Session } from '../support/api';
import { pdfText } from '../support/pdf-text';
import { createTestApp, type TestApp } from '../support/test-app';

const WANGGE = '341602104201';

describe('official documents as PDF in Chinese (on the demo data)', () => {
  let test: TestApp;
  let agri: Session;
  let paidId: string;
  let waitingId: string;
  let subsidyFen: number;

  const fetchPdf = async (
    contractId: string,
    kind: string,
    query = '',
  ): Promise<{ pdf: Buffer; sha256: string }> => {
    const response = await test
      .http()
      .get(`/contracts/${contractId}/documents/${kind}${query}`)
      .set(agri.auth)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    return {
      pdf: response.body as Buffer,
      sha256: response.headers['x-document-sha256'],
    };
  };

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    agri = await new Api(test).login('agri', 'Demo-2014');
    const contracts = (await test.http().get('/contracts').set(agri.auth).expect(200)).body
      .items as {
      id: string;
      state: string;
      subsidyFen: number;
      taskLines: { state: string }[];
    }[];
    const paid = contracts.find((contract) => contract.state === 'paid');
    paidId = paid?.id as string;
    subsidyFen = paid?.subsidyFen as number;
    waitingId = contracts.find((contract) =>
      contract.taskLines.every((line) => line.state === 'townAcceptance'),
    )?.id as string;
  });
  afterAll(async () => {
    await test.close();
  });

  it.each([
    ['award-notice', '', ['中标通知书', '亳州市焦魁农机专业合作社', '63.67 元/亩', '《亳州晚报》']],
    [
      'application',
      '',
      ['奖补资金申请表', '第一联', '第二联', '第三联', '统一社会信用代码', '签字清册'],
    ],
    ['register', '?taskCode=wheat_harvest', ['落实到户清册', '王各村', '小计', '镇干部']],
    [
      'village-notice',
      `?taskCode=wheat_harvest&villageCode=${WANGGE}`,
      // The demo's notices have cleared: printed now, each says so instead of inviting objections.
      ['公示', '王各村 小麦机收 作业面积公示', '公示状态', '公示期满，已结束'],
    ],
    [
      'acceptance',
      '?taskCode=wheat_harvest',
      ['验收表', '验收通过', '农业综合服务站长', '农民监督员'],
    ],
    ['audit', '', ['审核验收表', '区农委', '区财政局']],
    ['media-notice', '', ['媒体公示', '《亳州晚报》', '公示期', '公示期满，已结束']],
    ['payout-order', '', ['拨付单', '亳州市焦魁农机专业合作社', '已到账']],
  ])(
    '%s: a PDF in Chinese with its digest in the footer, verifiable, with no full ID number',
    async (kind, query, phrases) => {
      const { pdf, sha256 } = await fetchPdf(paidId, kind, query);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { text } = pdfText(pdf);
      for (const phrase of phrases) expect(text).toContain(phrase);
      // The demo's notices have closed: neither invites objections any more.
      if (kind === 'village-notice' || kind === 'media-notice')
        expect(text).not.toContain('如有异议');
      expect(text).toContain(`SHA-256 ${sha256}`);
      // The demo's households are born in 谯城区 (341602): no ID number may appear in full.
      expect(text).not.toMatch(/341602(19|20)\d{6}\d{3}[\dX]/);
      expect(text).toMatch(
        kind === 'register' || kind === 'village-notice' ? /341602\*{8}\d{3}[\dX]/ : /./,
      );
      const check = await test.http().get(`/public/documents/${sha256}`).expect(200);
      expect(check.body).toMatchObject({ issued: true, kind, contractId: paidId });
    },
  );

  it('prints and records the head of the district audit chain at issue time: an anchor to keep', async () => {
    const { pdf, sha256 } = await fetchPdf(paidId, 'award-notice');
    const printed = /审计链 (\d+) 第 (\d+) 条 ([0-9a-f]{16})/.exec(pdfText(pdf).text);
    expect(printed?.[1]).toBe('341602');
    const [issued] = await test.dataSource.query<
      { audit_chain: string; audit_seq: string; audit_hash: string }[]
    >('SELECT audit_chain, audit_seq, audit_hash FROM issued_document WHERE sha256 = $1', [sha256]);
    expect(issued).toMatchObject({ audit_chain: '341602', audit_seq: printed?.[2] });
    expect(issued.audit_hash.startsWith(printed?.[3] ?? '-')).toBe(true);
    const [{ head }] = await test.dataSource.query<{ head: string }[]>(
      `SELECT max(seq) AS head FROM audit_event WHERE chain = '341602'`,
    );
    expect(printed?.[2]).toBe(head);
    // The printed head checks against the chain as it is now.
    const admin = await new Api(test).admin();
    const checked = await test
      .http()
      .post('/audit-log/verify-heads')
      .set(admin.auth)
      .send({ heads: [{ chain: '341602', seq: Number(printed?.[2]), hash: printed?.[3] }] })
      .expect(200);
    expect(checked.body).toMatchObject({ ok: true, chains: [{ chain: '341602', ok: true }] });
  });

  it('writes the subsidy in figures and in capital numerals on the audit sheet and the payout order', async () => {
    const capital = toChineseCapital(subsidyFen);
    for (const kind of ['audit', 'payout-order']) {
      const { text } = pdfText((await fetchPdf(paidId, kind)).pdf);
      expect(text).toContain(capital);
      expect(text.replace(/\s/g, '')).toContain(
        (subsidyFen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ''),
      );
    }
  });

  it('answers 409 for a kind that does not fit the state, 404 outside the scope or for an unknown kind', async () => {
    const early = await test
      .http()
      .get(`/contracts/${waitingId}/documents/payout-order`)
      .set(agri.auth)
      .expect(409);
    expect(early.body).toMatchObject({ code: 'DOCUMENT_NOT_AVAILABLE' });
    expect(early.body.detail).toMatch(/^发放补助后才有拨付单；合同现在的状态是“/);
    const stranger = await new Api(test).login('guiqin', 'Demo-2014');
    await test
      .http()
      .get(`/contracts/${paidId}/documents/award-notice`)
      .set(stranger.auth)
      .expect(404);
    const unknown = await test
      .http()
      .get(`/contracts/${paidId}/documents/selfie`)
      .set(agri.auth)
      .expect(404);
    expect(unknown.body.code).toBe('UNKNOWN_DOCUMENT_KIND');
    await test
      .http()
      .get(`/public/documents/${'0'.repeat(64)}`)
      .expect(404);
  });

  it("names the acceptance record's state in Chinese: 验收通过 when complete, 验收中 while signing", async () => {
    const complete = pdfText((await fetchPdf(paidId, 'acceptance', '?taskCode=wheat_harvest')).pdf);
    expect(complete.text).toMatch(/第 \d+ 版\s+验收通过/);
    // The contract waiting for town acceptance: the station head opens a record, nobody signs.
    const waiting = (await test.http().get(`/contracts/${waitingId}`).set(agri.auth).expect(200))
      .body as {
      taskLines: {
        taskCode: string;
        villageParts: { villageCode: string; verifiedAreaMu: string }[];
      }[];
    };
    const line = waiting.taskLines[0];
    const station = await new Api(test).login('station', 'Demo-2014');
    await test
      .http()
      .post(`/contracts/${waitingId}/task-lines/${line.taskCode}/acceptance`)
      .set(station.auth)
      .send({
        villages: line.villageParts.map((part) => ({
          villageCode: part.villageCode,
          acceptedAreaMu: part.verifiedAreaMu,
        })),
      })
      .expect(201);
    const open = { contract_id: waitingId, task_code: line.taskCode };
    const signing = pdfText(
      (await fetchPdf(open.contract_id, 'acceptance', `?taskCode=${open.task_code}`)).pdf,
    );
    expect(signing.text).toMatch(/第 \d+ 版\s+验收中（签字未齐）/);
    expect(signing.text).not.toMatch(/\bopen\b/);
  });

  it('issues a document once per state: a repeat download gives the same bytes, a change a new issue, and both check', async () => {
    const kinds: [string, string][] = [
      ['award-notice', ''],
      ['application', ''],
      ['register', '?taskCode=wheat_harvest'],
      ['register', ''],
      ['village-notice', `?taskCode=wheat_harvest&villageCode=${WANGGE}`],
      ['acceptance', '?taskCode=wheat_harvest'],
      ['audit', ''],
      ['media-notice', ''],
      ['payout-order', ''],
    ];
    for (const [kind, query] of kinds) {
      const first = await fetchPdf(paidId, kind, query);
      const second = await fetchPdf(paidId, kind, query);
      expect({ kind, query, same: second.pdf.equals(first.pdf) }).toEqual({
        kind,
        query,
        same: true,
      });
      expect(second.sha256).toBe(first.sha256);
    }
    // The register of one task line and of all of them are two documents.
    const one = await fetchPdf(paidId, 'register', '?taskCode=wheat_harvest');
    const all = await fetchPdf(paidId, 'register');
    expect(all.sha256).not.toBe(one.sha256);
    // What the reader may see in full is part of the document: finance sees the bank account.
    const finance = await new Api(test).login('finance', 'Demo-2014');
    const financeCopy = await test
      .http()
      .get(`/contracts/${paidId}/documents/payout-order`)
      .set(finance.auth)
      .expect(200);
    const agriCopy = await fetchPdf(paidId, 'payout-order');
    expect(financeCopy.headers['x-document-sha256']).not.toBe(agriCopy.sha256);

    // A change to the contract's papers: the application lists its attachments.
    const [{ username }] = await test.dataSource.query<{ username: string }[]>(
      `SELECT u.username FROM app_user u JOIN contract c ON c.organisation_id = u.organisation_id
        WHERE c.id = $1 AND u.role = 'cooperative' ORDER BY u.username LIMIT 1`,
      [waitingId],
    );
    const coop = await new Api(test).login(username, 'Demo-2014');
    const before = await fetchPdf(waitingId, 'application');
    await test
      .http()
      .post(`/contracts/${waitingId}/attachments`)
      .set(coop.auth)
      .field('kind', 'other')
      .attach('file', Buffer.from('%PDF-1.4 stable documents'), 'other.pdf')
      .expect(201);
    const after = await fetchPdf(waitingId, 'application');
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.pdf.equals(before.pdf)).toBe(false);
    expect((await fetchPdf(waitingId, 'application')).pdf.equals(after.pdf)).toBe(true);
    for (const sha256 of [before.sha256, after.sha256]) {
      const check = await test.http().get(`/public/documents/${sha256}`).expect(200);
      expect(check.body).toMatchObject({
        issued: true,
        kind: 'application',
        contractId: waitingId,
      });
    }
    const [{ files }] = await test.dataSource.query<{ files: string }[]>(
      `SELECT count(DISTINCT file_sha256) AS files FROM issued_document WHERE contract_id = $1 AND kind = 'application'`,
      [waitingId],
    );
    expect(Number(files)).toBe(2);
  });

  it('two first downloads at once issue one document: the same bytes for both, one record', async () => {
    const query = '?taskCode=corn_seeding';
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetchPdf(paidId, 'register', query)),
    );
    for (const answer of answers) {
      expect(answer.sha256).toBe(answers[0].sha256);
      expect(answer.pdf.equals(answers[0].pdf)).toBe(true);
    }
    const [{ issues }] = await test.dataSource.query<{ issues: string }[]>(
      `SELECT count(*) AS issues FROM issued_document
        WHERE contract_id = $1 AND kind = 'register' AND options = '{"taskCode":"corn_seeding"}'::jsonb`,
      [paidId],
    );
    expect(Number(issues)).toBe(1);
  });
});

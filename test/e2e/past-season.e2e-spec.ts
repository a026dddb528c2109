import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { openedTender } from '../support/open-tender';
import { fetchPdfText } from '../support/pdf-text';
import { DOCUMENT_KINDS, documentPath, recordPastSeason, type PastSeason } from '../support/season';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Counties enter last season's records after the fact. A 2019 season typed in today (the app's
 * clock is years later) must run from the tender to `paid` with every client date in 2019, and
 * its documents must carry those dates.
 */
describe('a past season recorded after the fact', () => {
  let test: TestApp;
  let season: PastSeason;
  const texts = new Map<string, string>();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    season = await recordPastSeason(test, new Api(test), 2019);
    for (const kind of DOCUMENT_KINDS) {
      const { status, text } = await fetchPdfText(
        test.http,
        documentPath(season, kind),
        season.sessions.agri.auth,
      );
      expect(status).toBe(200);
      texts.set(kind, text);
    }
    // A whole season and eight PDFs: about 20 s alone, more on a shared 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await test.close();
  });

  it('runs from the tender to paid, with the 2019 dates it was given', async () => {
    const contract = await test
      .http()
      .get(`/contracts/${season.contractId}`)
      .set(season.sessions.agri.auth)
      .expect(200);
    expect(contract.body).toMatchObject({
      state: 'paid',
      awardedOn: '2019-05-20',
      signedOn: '2019-05-22',
      workDeadline: '2019-06-30',
      subsidyFen: 230804, // 36.25 mu × 63.67 yuan
    });
    const [{ now }] = await test.dataSource.query<{ now: string }[]>(
      `SELECT extract(year FROM now())::text AS now`,
    );
    expect(Number(now)).toBeGreaterThan(2019);
  });

  it('stamps every row with the app’s clock, not the database’s', async () => {
    // The season moved the test clock 14 days ahead of the database's own.
    const organisation = await new Api(test).organisation();
    const [row] = await test.dataSource.query<{ ahead: boolean }[]>(
      `SELECT created_at > now() + interval '13 days' AS ahead FROM organisation WHERE id = $1`,
      [organisation.id],
    );
    expect(row.ahead).toBe(true);
    const [acceptance] = await test.dataSource.query<{ ahead: boolean }[]>(
      `SELECT bool_and(created_at > now() + interval '6 days') AS ahead FROM acceptance_record WHERE contract_id = $1`,
      [season.contractId],
    );
    expect(acceptance.ahead).toBe(true);
  });

  it('prints the season’s own dates on every document', () => {
    expect(texts.get('award-notice')).toMatch(
      /2019-05-10.*2019-05-18.*2019-06-30.*中标日期 2019-05-20/,
    );
    for (const kind of ['application', 'village-notice', 'acceptance', 'audit', 'payout-order'])
      expect(texts.get(kind)).toContain('签订日期 2019-05-22');
    expect(texts.get('register')).toContain('2019年作业');
    expect(texts.get('register')).toMatch(/06-10.*06-11/);
    expect(texts.get('media-notice')).toContain('《亳州晚报》 2019-07-20');
    // Objections go to the villagers' board, as on the village notice.
    expect((texts.get('media-notice') ?? '').replace(/\s+/g, '')).toContain(
      `/board/notices/${season.mediaNoticeId}`,
    );
    for (const kind of DOCUMENT_KINDS) expect(texts.get(kind)).toContain('2019');
  });

  it('names the town’s acceptance group on the acceptance form', async () => {
    const [town] = await test.dataSource.query<{ name: string }[]>(
      'SELECT name FROM region WHERE code = $1',
      [season.town],
    );
    expect(texts.get('acceptance')).toContain(`验收小组 ${town.name}关键技术落实验收小组`);
    expect(texts.get('acceptance')).toContain(
      `${town.name}关键技术落实验收小组签字（不少于 5 人）`,
    );
  });

  it('names each approver with bureau and role, and keeps the audit notes', async () => {
    const [district] = await test.dataSource.query<{ name: string }[]>(
      'SELECT name FROM region WHERE code = $1',
      [season.district],
    );
    // Without white space: a long opinion wraps, and the PDF's text breaks where the line does.
    const audit = (texts.get('audit') ?? '').replace(/\s+/g, '');
    expect(audit).toMatch(
      new RegExp(
        `项目审核${district.name}农业农村委员会审核人${season.sessions.agri.username}\\d{4}-\\d\\d-\\d\\d意见：资料齐全，入户核查无误`,
      ),
    );
    expect(audit).toMatch(
      new RegExp(
        `资金审核${district.name}财政局审核人${season.sessions.finance.username}\\d{4}-\\d\\d-\\d\\d意见：同意拨付`,
      ),
    );
    expect(audit).toMatch(
      new RegExp(
        `退回审核人${season.sessions.finance.username}\\d{4}-\\d\\d-\\d\\d意见：缺少农户签字确认单，退回补充`,
      ),
    );
    expect(texts.get('payout-order')).toContain(
      `${district.name}农业农村委员会 项目审核 ${season.sessions.agri.username}`,
    );

    const history = await test.dataSource.query<{ event: string; note: string | null }[]>(
      `SELECT event, payload->>'note' AS note FROM contract_history
        WHERE contract_id = $1 AND event IN ('audit.approved', 'audit.rejected') ORDER BY seq`,
      [season.contractId],
    );
    expect(history).toEqual([
      { event: 'audit.approved', note: null },
      { event: 'audit.rejected', note: '缺少农户签字确认单，退回补充' },
      { event: 'audit.approved', note: '资料齐全，入户核查无误' },
      { event: 'audit.approved', note: '同意拨付' },
    ]);
    const audited = await test.dataSource.query<{ action: string; note: string | null }[]>(
      `SELECT action, data->>'note' AS note FROM audit_event
        WHERE entity_id = $1 AND action IN ('audit.approved', 'audit.rejected') ORDER BY seq`,
      [season.contractId],
    );
    expect(audited.map((row) => row.note)).toEqual([
      null,
      '缺少农户签字确认单，退回补充',
      '资料齐全，入户核查无误',
      '同意拨付',
    ]);
  });
});

describe('client dates are checked against each other, never against today', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  /** An awarded 2019 contract (tender opened 2019-05-18, deadline 2019-06-30). */
  async function awarded(awardedOn?: string) {
    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const organisation = await api.organisation();
    const coop = await api.user('cooperative', { organisationId: organisation.id });
    const tender = await openedTender(test, {
      agri,
      coop,
      districtCode: tree.district,
      villageCodes: tree.villages,
      code: `D-${tree.district}`,
      name: '2019年项目',
      year: 2019,
      serviceStart: '2019-05-20',
      serviceEnd: '2019-07-31',
      publishedIn: '报',
      publishedOn: '2019-05-10',
      openingOn: '2019-05-18',
      task: { code: 'harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: 10,
    });
    const award = (body: { awardedOn?: string }) =>
      tender.award({ workDeadline: '2019-06-30', ...body });
    return { agri, award, awardedOn };
  }

  it('an award dated before the opening or after the work deadline → 400 AWARD_DATE_INVALID', async () => {
    const { award } = await awarded();
    for (const awardedOn of ['2019-05-17', '2019-07-01']) {
      const response = await expectNoWrites(test.dataSource, () => award({ awardedOn }));
      expect(response.body).toMatchObject({ status: 400, code: 'AWARD_DATE_INVALID' });
    }
  });

  it('signing: not before the opening, nor the given award date, nor after the deadline', async () => {
    const given = await awarded();
    const withDate = (await given.award({ awardedOn: '2019-05-25' }).expect(201)).body.contractId;
    const sign = (id: string, signedOn: string, agri = given.agri) =>
      test
        .http()
        .post(`/contracts/${id}/sign`)
        .set(agri.auth)
        .send({ contractNo: 'S-1', signedOn });
    for (const [signedOn, message] of [
      ['2019-05-17', '不能早于开标日（2019-05-18）'],
      ['2019-05-24', '不能早于定标日（2019-05-25）'],
      ['2019-07-01', '不能晚于作业截止日期（2019-06-30）'],
    ]) {
      const response = await expectNoWrites(test.dataSource, () => sign(withDate, signedOn));
      expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.errors).toEqual([{ field: 'signedOn', message }]);
    }
    await sign(withDate, '2019-05-25').expect(200);

    // The media notice's publication date: not before the signing.
    const early = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${withDate}/media-notice`)
        .set(given.agri.auth)
        .send({ mediaName: '《亳州晚报》', publishedOn: '2019-05-24' }),
    );
    expect(early.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(early.body.errors).toEqual([
      { field: 'publishedOn', message: '不能早于合同签订日期（2019-05-25）' },
    ]);

    // Without an award date the award notice shows today's, and the signing is only checked
    // against the opening: a 2019 contract awarded "today" still signs in 2019.
    const today = await awarded();
    const withoutDate = (await today.award({}).expect(201)).body.contractId;
    await sign(withoutDate, '2019-05-19', today.agri).expect(200);
  });
});

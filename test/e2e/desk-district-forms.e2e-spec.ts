/**
 * The district bureaus' and the finance bureau's desk forms without a browser (issue 26): for
 * each form — 签订合同, 抽取样本, 登记走访, 审核通过/审核驳回, 发布媒体公示, 发放补助, 生成批次,
 * 上传银行回单 — the wrong role answers 403 (or 404 out of scope) as REST does, a forged form 403,
 * and a refusal of the services or the machine shows the page again with the catalogue's message
 * at the REST status, with nothing written; each success is applied once. The to-do items link
 * to the form where they are done.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { advanceClock } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { payableContracts, type PayableWorld } from '../support/payable';
import { createTestApp, type TestApp } from '../support/test-app';

const PHOTO = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', 'field-visit.jpg'));
const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('the district desk’s forms: refusals write nothing, successes apply once', () => {
  let test: TestApp;
  let api: Api;
  let world: PayableWorld;
  /** A contract in districtAudit under a policy that asks for an audit sample. */
  let a: string;
  /** An awarded contract, not signed. */
  let awarded: string;
  const http = () => test.http();
  const cookies = new Map<string, { cookie: string; csrf: string }>();

  beforeAll(async () => {
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    world = await payableContracts(test, api, 1, 1, {
      stopBeforeAudit: true,
      rowAreas: [1001, 1202, 803],
      beforeProject: async (district, admin) => {
        await http()
          .post('/policies')
          .set(admin.auth)
          .send({
            code: `DESK-F-${district}`,
            name: '抽查核验标准',
            districtCode: district,
            effectiveFrom: '2015-01-01',
            subsidySharePct: 100,
            requireDirectoryListing: false,
            auditSample: { ratePct: '30', minPerVillage: 1, tolerancePct: '2.00' },
          })
          .expect(201);
      },
    });
    [a] = world.contractIds;
    const tender = await openedTender(test, {
      agri: world.agri,
      coop: world.coops[0],
      districtCode: world.district,
      villageCodes: [world.village],
      code: `DESK-S-${world.district}`,
      name: '签订合同测试',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '报',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: '60.00',
    });
    awarded = (await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' })).body
      .contractId as string;
    for (const session of [world.agri, world.approver, world.finance, world.coops[0]])
      await desk(session);
  }, 180_000);
  afterAll(async () => {
    await test?.close();
  });

  /** The desk's session cookie and a form token of `session` (logged in once). */
  async function desk(session: Session): Promise<{ cookie: string; csrf: string }> {
    const known = cookies.get(session.username);
    if (known) return known;
    const form = await http().get('/desk/login').expect(200);
    const nonce = ([] as string[]).concat(form.headers['set-cookie'] ?? [])[0].split(';')[0];
    const response = await http()
      .post('/desk/login')
      .set('Cookie', nonce)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        username: session.username,
        password: `pw-${session.username}-secret`,
      })
      .expect(303);
    const cookie = ([] as string[])
      .concat(response.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('desk_session='))!
      .split(';')[0];
    const page = await http().get('/desk').set('Cookie', cookie).expect(200);
    const found = { cookie, csrf: csrfOf(page.text) };
    cookies.set(session.username, found);
    return found;
  }

  /** `session`'s desk, logged in before (`desk`). */
  function known(session: Session): { cookie: string; csrf: string } {
    const found = cookies.get(session.username);
    if (!found) throw new Error(`${session.username} is not logged in on the desk`);
    return found;
  }

  /** A form post as `session` (its own token unless `csrf` is given). */
  function post(session: Session, url: string, form: Record<string, string>, csrf?: string) {
    const { cookie, csrf: token } = known(session);
    return http()
      .post(url)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf ?? token, ...form });
  }

  /** A multipart post as `session` (the token in the action's query, as the page writes it). */
  function upload(session: Session, url: string, csrf?: string) {
    const { cookie, csrf: token } = known(session);
    return http()
      .post(`${url}?_csrf=${encodeURIComponent(csrf ?? token)}`)
      .set('Cookie', cookie);
  }

  const state = async (id: string) =>
    (await http().get(`/contracts/${id}`).set(world.agri.auth).expect(200)).body.state as string;
  const none = <T>(act: () => Promise<T>) => expectNoWrites(test.dataSource, act);

  it('the to-do items of both bureaus link to the form where they are done', async () => {
    const { cookie } = await desk(world.agri);
    const todo = await http().get('/desk').set('Cookie', cookie).expect(200);
    expect(todo.text).toContain(`href="/desk/contracts/${awarded}#contract-sign"`);
    expect(todo.text).toContain(`href="/desk/contracts/${a}#audit-sample"`);
    expect(todo.text).toContain(`href="/desk/contracts/${a}#audit"`);
    const page = await http().get(`/desk/contracts/${awarded}`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('id="contract-sign"');
    const sample = await http().get(`/desk/contracts/${a}`).set('Cookie', cookie).expect(200);
    expect(sample.text).toContain('id="audit-sample"');
    expect(sample.text).toContain('id="audit"');
    // The finance bureau has no sample item (not its to-do) but approves; a cooperative sees none.
    const finance = await http()
      .get(`/desk/contracts/${a}`)
      .set('Cookie', (await desk(world.approver)).cookie)
      .expect(200);
    expect(finance.text).toContain('id="audit"');
    expect(finance.text).not.toContain('id="contract-sign"');
  });

  it('签订合同: wrong role 403, forged 403, out of scope 404, a bad date or a signed contract refused by its field, then signed once', async () => {
    const url = `/desk/contracts/${awarded}/sign`;
    const good = { contractNo: '谯农服合〔2015〕88号', signedOn: '2015-05-04' };
    const coop = await none(() => post(world.coops[0], url, good).expect(403));
    expect(coop.text).toContain('服务组织不能核实、验收、审核或拨付自己的作业');
    await none(() => post(world.finance, url, good).expect(403));
    await none(() => post(world.agri, url, good, 'forged').expect(403));
    const elsewhere = await api.user('district_agri', {
      regionCode: (await api.regionTree(1)).district,
    });
    await desk(elsewhere);
    await none(() => post(elsewhere, url, good).expect(404));
    const early = await none(() =>
      post(world.agri, url, { ...good, signedOn: '2015-04-01' }).expect(400),
    );
    expect(early.text).toContain('id="contract-sign-signedOn-error"');
    expect(early.text).toContain('value="谯农服合〔2015〕88号"');
    const signedAlready = await none(() =>
      post(world.agri, `/desk/contracts/${a}/sign`, good).expect(409),
    );
    expect(signedAlready.text).toContain('合同当前的状态不能进行这个操作');
    const done = await post(world.agri, url, good).expect(303);
    expect(done.headers.location).toBe(`/desk/contracts/${awarded}?done=contractSigned`);
    expect(await state(awarded)).toBe('contracted');
    await none(() => post(world.agri, url, good).expect(409));
  });

  it('抽取样本 and 登记走访: refusals by role, token, state, area and photo; each visit kept once with its photo', async () => {
    const draw = `/desk/contracts/${a}/audit/sample`;
    await none(() => post(world.coops[0], draw, {}).expect(403));
    await none(() => post(world.agri, draw, {}, 'forged').expect(403));
    const wrongState = await none(() =>
      post(world.agri, `/desk/contracts/${awarded}/audit/sample`, {}).expect(409),
    );
    expect(wrongState.text).toContain('合同当前的状态不能进行这个操作');
    // The first approval waits for the sample: the machine's refusal, on the page.
    const early = await none(() =>
      post(world.agri, `/desk/contracts/${a}/audit`, { decision: 'approve' }).expect(409),
    );
    expect(early.text).toContain('请先抽取样本并登记每一户的走访，再审核。');
    await post(world.agri, draw, {}).expect(303);
    const twice = await none(() => post(world.agri, draw, {}).expect(409));
    expect(twice.text).toContain('这份合同已经抽取过样本');

    const sample = (
      await http().get(`/contracts/${a}/audit/sample`).set(world.agri.auth).expect(200)
    ).body as { id: string; rows: { rowId: string; verifiedAreaMu: string }[] };
    const visits = `/desk/contracts/${a}/audit-samples/${sample.id}/visits`;
    const row = sample.rows[0];
    const fields = (request: Test) =>
      request
        .field('rowId', row.rowId)
        .field('visitedOn', '2015-07-10')
        .field('method', 'field')
        .field('householdConfirms', 'true')
        .field('observedAreaMu', row.verifiedAreaMu)
        .field('satisfaction', 'satisfied');
    await none(() =>
      fields(upload(world.agri, visits, 'forged'))
        .attach('file', PHOTO, 'v.jpg')
        .expect(403),
    );
    await none(() =>
      fields(upload(world.coops[0], visits)).attach('file', PHOTO, 'v.jpg').expect(403),
    );
    const notPhoto = await none(() =>
      fields(upload(world.agri, visits))
        .attach('file', Buffer.from('not a photo'), 'v.jpg')
        .expect(415),
    );
    expect(notPhoto.text).toContain('走访照片须为 JPEG 或 PNG');
    const noPhoto = await none(() => fields(upload(world.agri, visits)).expect(400));
    expect(noPhoto.text).toContain(`id="visit-${row.rowId}-file-error"`);
    const tooMuch = await none(() =>
      upload(world.agri, visits)
        .field('rowId', row.rowId)
        .field('visitedOn', '2015-07-10')
        .field('method', 'field')
        .field('householdConfirms', 'true')
        .field('observedAreaMu', '999.00')
        .attach('file', PHOTO, 'v.jpg')
        .expect(400),
    );
    expect(tooMuch.text).toContain('面积不能超过上一环节的面积');
    expect(tooMuch.text).toContain('value="999.00"');
    for (const each of sample.rows) {
      const done = await upload(world.agri, visits)
        .field('rowId', each.rowId)
        .field('visitedOn', '2015-07-10')
        .field('method', 'household')
        .field('householdConfirms', 'true')
        .field('observedAreaMu', each.verifiedAreaMu)
        .attach('file', PHOTO, 'v.jpg')
        .expect(303);
      expect(done.headers.location).toBe(`/desk/contracts/${a}?done=visited`);
    }
    const again = await none(() =>
      fields(upload(world.agri, visits)).attach('file', PHOTO, 'v.jpg').expect(409),
    );
    expect(again.text).toContain('这一行已经登记过走访');
    const [{ n }] = await test.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_visit_photo p JOIN audit_visit v ON v.id = p.visit_id
        WHERE v.sample_id = $1`,
      [sample.id],
    );
    expect(n).toBe(sample.rows.length);
  });

  it('审核通过/审核驳回, 发布媒体公示 and 驳回异议 on the media notice: refusals on the page, nothing written; each applied once', async () => {
    const audit = `/desk/contracts/${a}/audit`;
    await none(() => post(world.coops[0], audit, { decision: 'approve' }).expect(403));
    await none(() => post(world.agri, audit, { decision: 'approve' }, 'forged').expect(403));
    const noReason = await none(() => post(world.agri, audit, { decision: 'reject' }).expect(400));
    expect(noReason.text).toContain('id="audit-note-error"');
    await post(world.agri, audit, { decision: 'approve', note: '属实' }).expect(303);
    const again = await none(() => post(world.agri, audit, { decision: 'approve' }).expect(403));
    expect(again.text).toContain('审核的两次批准须由两个不同的人作出');
    const colleague = await api.user('district_agri', { regionCode: world.district });
    await desk(colleague);
    const bureau = await none(() => post(colleague, audit, { decision: 'approve' }).expect(409));
    expect(bureau.text).toContain('您所在的局已经审核通过过这份合同。');

    const notice = `/desk/contracts/${a}/media-notice`;
    const media = { mediaName: '《亳州晚报》', publishedOn: '2015-07-20' };
    const early = await none(() => post(world.agri, notice, media).expect(409));
    expect(early.text).toContain('合同当前的状态不能进行这个操作');
    await post(world.approver, audit, { decision: 'approve' }).expect(303);
    expect(await state(a)).toBe('audited');
    await none(() => post(world.finance, notice, media).expect(403));
    const before = await none(() =>
      post(world.agri, notice, { ...media, publishedOn: '2015-01-01' }).expect(400),
    );
    expect(before.text).toContain('id="media-notice-publishedOn-error"');
    await post(world.agri, notice, media).expect(303);
    expect(await state(a)).toBe('mediaNotice');

    // An objection to the media notice: the agriculture bureau's to-do links to its form.
    const [{ id: noticeId }] = await test.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notice WHERE contract_id = $1 AND kind = 'media'`,
      [a],
    );
    const objection = await http()
      .post(`/public/notices/${noticeId}/objections`)
      .send({ name: '赵六', phone: '13600000000', text: '补助面积偏大' })
      .expect(201);
    const objectionId = objection.body.id as string;
    const todo = await http().get('/desk').set('Cookie', known(world.agri).cookie).expect(200);
    expect(todo.text).toContain(`href="/desk/contracts/${a}#objection-${objectionId}"`);
    const resolve = `/desk/contracts/${a}/objections/${objectionId}/resolve`;
    await none(() =>
      post(world.finance, resolve, { outcome: 'dismissed', note: '面积属实' }).expect(403),
    );
    const noNote = await none(() =>
      post(world.agri, resolve, { outcome: 'dismissed' }).expect(400),
    );
    expect(noNote.text).toContain(`id="objection-${objectionId}-note-error"`);
    await post(world.agri, resolve, { outcome: 'dismissed', note: '经走访核实，面积属实' }).expect(
      303,
    );
    await none(() => post(world.agri, resolve, { outcome: 'dismissed', note: '再次' }).expect(409));
  });

  it('发放补助: the approver and the wrong bureau refused, one key twice pays once, another key 409 PAYOUT_EXISTS', async () => {
    await advanceClock(test, world.admin, { advanceDays: 7 });
    expect(await state(a)).toBe('payable');
    const url = `/desk/contracts/${a}/payouts`;
    const { cookie } = await desk(world.finance);
    const page = await http().get(`/desk/contracts/${a}`).set('Cookie', cookie).expect(200);
    const key = /name="idempotencyKey" value="([0-9a-f-]{36})"/.exec(page.text)![1];
    await none(() => post(world.agri, url, { idempotencyKey: key }).expect(403));
    const approver = await none(() =>
      post(world.approver, url, { idempotencyKey: randomUUID() }).expect(403),
    );
    expect(approver.text).toContain('id="payout"');
    await none(() => post(world.finance, url, { idempotencyKey: key }, 'forged').expect(403));
    const noKey = await none(() => post(world.finance, url, {}).expect(400));
    expect(noKey.text).toContain('页面已过期，请刷新页面后再提交。');
    const [first, second] = await Promise.all([
      post(world.finance, url, { idempotencyKey: key }),
      post(world.finance, url, { idempotencyKey: key }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const other = await none(() =>
      post(world.finance, url, { idempotencyKey: randomUUID() }).expect(409),
    );
    expect(other.text).toContain('这份合同的补助已经发放过。');
    const [{ n }] = await test.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM payout WHERE contract_id = $1',
      [a],
    );
    expect(n).toBe(1);
  });

  it('生成批次 and 上传银行回单: wrong role, forged, empty batch, unreadable file refused; the result shown per row', async () => {
    await none(() =>
      http().get('/desk/payment-batches').set('Cookie', known(world.agri).cookie).expect(403),
    );
    await none(() => post(world.coops[0], '/desk/payment-batches', {}).expect(403));
    await none(() => post(world.finance, '/desk/payment-batches', {}, 'forged').expect(403));
    const created = await post(world.finance, '/desk/payment-batches', {}).expect(303);
    const batchUrl = created.headers.location.replace(/\?done=created$/, '');
    const empty = await none(() => post(world.finance, '/desk/payment-batches', {}).expect(409));
    expect(empty.text).toContain('没有待送银行的补助，不能生成批次。');
    const { cookie } = await desk(world.finance);
    const todo = await http().get('/desk').set('Cookie', cookie).expect(200);
    expect(todo.text).toContain(`href="${batchUrl}#result"`);
    const batchPage = await http().get(batchUrl).set('Cookie', cookie).expect(200);
    expect(batchPage.text).toContain('id="result"');
    const elsewhere = await api.user('district_finance', {
      regionCode: (await api.regionTree(1)).district,
    });
    await desk(elsewhere);
    await none(() => http().get(batchUrl).set('Cookie', known(elsewhere).cookie).expect(404));

    const file = await http().get(`${batchUrl}/file?format=csv`).set('Cookie', cookie).expect(200);
    const lines = file.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const head = lines[0].split(',');
    const row = lines[1].split(',');
    const cell = (name: string) => row[head.indexOf(name)].replace(/^"|"$/g, '');
    const result = `${batchUrl}/result`;
    await none(() =>
      upload(world.finance, result, 'forged').attach('file', Buffer.from('x'), 'r.csv').expect(403),
    );
    const noFile = await none(() => upload(world.finance, result).expect(400));
    expect(noFile.text).toContain('id="result-file-error"');
    const unreadable = await none(() =>
      upload(world.finance, result).attach('file', Buffer.from('a,b\n1,2\n'), 'r.csv').expect(400),
    );
    expect(unreadable.text).toContain('银行回单无法读取');
    const csv = [
      '拨付单号,银行账号,金额(元),状态,银行流水号,失败原因',
      `${cell('拨付单号')},${cell('银行账号')},${cell('金额(元)')},失败,,账户已销户`,
    ].join('\n');
    const answer = await upload(world.finance, result)
      .attach('file', Buffer.from(csv), 'r.csv')
      .expect(200);
    expect(answer.text).toContain('银行回单已登记：到账 0 笔，退回 1 笔');
    expect(answer.text).toContain('银行退回');
    expect(await state(a)).toBe('payable');
    // The same file again answers the same and applies nothing twice.
    const replay = await none(() =>
      upload(world.finance, result).attach('file', Buffer.from(csv), 'r.csv').expect(200),
    );
    expect(replay.text).toContain('银行回单已登记：到账 0 笔，退回 1 笔');
  });
});

import { randomUUID } from 'node:crypto';
import type { Session } from '../support/api';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { advanceClock, toRunningNotice } from '../support/lifecycle';
import { pdfText } from '../support/pdf-text';
import { createTestApp, type TestApp } from '../support/test-app';

const HTML = /^text\/html; charset=utf-8/;
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';

describe('the public notice board: HTML pages, the objection form, CSRF, throttling', () => {
  let test: TestApp;
  let api: Api;
  let verifier: Session;
  let agri: Session;
  let contractId: string;
  let villageCode: string;
  let noticeId: string;
  let client = 0;

  // Each test posts as its own client address (trusted from loopback), so the objection
  // throttle of one test does not spill into another, however the guard counts.
  const nextClient = () => `203.0.113.${++client}`;

  /** Opens the notice page as a browser would: the cookie and the form's hidden token. */
  const openForm = async (id = noticeId): Promise<{ cookie: string; token: string }> => {
    const page = await test.http().get(`/board/notices/${id}`).expect(200);
    const cookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((value) => value.startsWith('board_csrf='));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!cookie || !token) throw new Error('no CSRF cookie or token on the notice page');
    return { cookie: cookie.split(';')[0], token };
  };

  const post = (
    form: { cookie?: string; token?: string },
    fields: Record<string, string>,
    { id = noticeId, ip = nextClient() }: { id?: string; ip?: string } = {},
  ) => {
    const request = test
      .http()
      .post(`/board/notices/${id}/objections`)
      .set('X-Forwarded-For', ip)
      .type('form');
    if (form.cookie) request.set('Cookie', form.cookie);
    return request.send({ ...(form.token ? { _csrf: form.token } : {}), ...fields });
  };

  const valid = { name: '王大爷', phone: '13812345678', text: '我家的地只收了一半' };

  beforeAll(async () => {
    // Each test objects from its own address (X-Forwarded-For, trusted from the loopback proxy
    // here), so one test's objections do not use up another's throttle.
    test = await createTestApp({
      testClock: true,
      publicBaseUrl: 'https://gongshi.example.cn',
      trustProxy: ['loopback'],
    });
    api = new Api(test);
    const running = await toRunningNotice(test, api);
    ({ verifier, noticeId } = running);
    agri = running.q.agri;
    contractId = running.id;
    villageCode = running.village;
    // A household name is the cooperative's input: it must come out escaped.
    await test.dataSource.query(
      `UPDATE register_row SET household_name = '<script>alert(1)</script>'
        WHERE id = (SELECT id FROM register_row WHERE contract_id = $1 ORDER BY row_no LIMIT 1)`,
      [contractId],
    );
  });
  afterAll(async () => {
    await test.close();
  });

  it('GET /board lists the running notice under its town and village, with days left', async () => {
    const page = await test.http().get('/board').expect(200);
    expect(page.headers['content-type']).toMatch(HTML);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('谯城区 双沟镇');
    expect(page.text).toContain('王各村');
    expect(page.text).toContain(`href="/board/notices/${noticeId}"`);
    expect(page.text).toContain('还剩 7 天');
    expect(page.text).toContain('暂无异议');
    expect(page.text).not.toContain('<script');
    // The board's own CSP: no script at all, and no upgrade to https a village LAN may not have.
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('GET /board/notices/:id shows the notice, masked ID numbers, escaped names and the form', async () => {
    const page = await test.http().get(`/board/notices/${noticeId}`).expect(200);
    expect(page.headers['content-type']).toMatch(HTML);
    for (const phrase of ['王各村 小麦机收', '公示中', '还剩 7 天', '小麦机收', '服务组织'])
      expect(page.text).toContain(phrase);
    expect(page.text).toMatch(/341602\*{8}\d{3}[\dX]/);
    expect(page.text).not.toMatch(/341602(19|20)\d{6}\d{3}[\dX]/);
    expect(page.text).toContain(ESCAPED_SCRIPT);
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain(
      `<form class="objection" method="post" action="/board/notices/${noticeId}/objections"`,
    );
    for (const field of ['name', 'phone', 'text', 'registerRowId'])
      expect(page.text).toContain(`name="${field}"`);
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/board_csrf=[\w-]{43}; Path=\/board; HttpOnly; SameSite=Strict; Secure/);
  });

  it('files an objection through the form: a confirmation with its reference, counted on the notice', async () => {
    const form = await openForm();
    const confirmation = await post(form, valid).expect(201);
    expect(confirmation.headers['content-type']).toMatch(HTML);
    const ref = /id="reference">([0-9A-F]{8})</.exec(confirmation.text)?.[1];
    expect(ref).toBeDefined();
    expect(confirmation.text).toContain('王各村的村级核实人员');
    expect(confirmation.text).toContain('138****5678');
    expect(confirmation.text).not.toContain('13812345678');

    const listed = await test
      .http()
      .get(`/objections?noticeId=${noticeId}`)
      .set(verifier.auth)
      .expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      name: '王大爷',
      phone: '13812345678',
      state: 'open',
    });
    expect((listed.body.items[0].id as string).replace(/-/g, '').slice(0, 8).toUpperCase()).toBe(
      ref,
    );

    const page = await test.http().get(`/board/notices/${noticeId}`).expect(200);
    expect(page.text).toContain('共收到异议 1 件：处理中 1 件');
    expect(page.text).toContain(ref);
    // Never another objector's name or phone on a public page.
    expect(page.text).not.toContain('王大爷');
    expect(page.text).not.toContain('13812345678');
    expect(page.text).not.toContain('138****5678');
    const board = await test.http().get('/board').expect(200);
    expect(board.text).toContain('异议 1 件（1 件处理中）');
  });

  it('answers a bad form with 400, the fields marked, the input kept (escaped), nothing written', async () => {
    const form = await openForm();
    const page = await expectNoWrites(test.dataSource, () =>
      post(form, {
        name: '李四',
        phone: '12345',
        text: '<script>alert(1)</script>',
        registerRowId: 'not-a-row',
      }).expect(400),
    );
    expect(page.headers['content-type']).toMatch(HTML);
    expect(page.text).toContain('提交未成功，请修改以下 2 处');
    expect(page.text).toMatch(
      /id="phone" name="phone" value="12345"[^>]*aria-describedby="phone-hint phone-error" aria-invalid="true"/,
    );
    expect(page.text).toContain('<p class="field-error" id="phone-error">');
    expect(page.text).toContain('id="registerRowId-error"');
    expect(page.text).toContain('value="李四"');
    expect(page.text).toContain(`>${ESCAPED_SCRIPT}</textarea>`);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toMatch(/id="name"[^>]*aria-invalid/);

    const empty = await post(form, {}).expect(400);
    expect(empty.text).toContain('请填写您的姓名');
    expect(empty.text).toContain('请写明异议内容');
    const long = await post(form, { ...valid, name: '张'.repeat(101), text: '长'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('姓名最多 100 个字');
    expect(long.text).toContain('异议内容最多 2000 字');
    // A landline with its area code is a number the village can call back.
    await post(form, { ...valid, phone: '0558-5123456' }).expect(201);
    // The longest text the JSON route takes fits the form's body limit too.
    await post(form, { ...valid, text: '长'.repeat(2000) }).expect(201);
  });

  it('marks a register row that is not on this notice (UNKNOWN_REGISTER_ROW), writing nothing', async () => {
    const form = await openForm();
    const page = await expectNoWrites(test.dataSource, () =>
      post(form, { ...valid, registerRowId: randomUUID() }).expect(400),
    );
    expect(page.text).toContain('所选地块不在这份公示里');
    expect(page.text).toMatch(/id="registerRowId"[^>]*aria-invalid="true"/);
  });

  it('refuses a post without a matching CSRF token (403 page) and writes nothing', async () => {
    const form = await openForm();
    const other = await openForm();
    await expectNoWrites(test.dataSource, async () => {
      const none = await post({}, valid).expect(403);
      expect(none.headers['content-type']).toMatch(HTML);
      expect(none.text).toContain('页面已过期，请重新打开公示再提交');
      await post({ cookie: form.cookie }, valid).expect(403);
      await post({ token: form.token }, valid).expect(403);
      await post({ cookie: form.cookie, token: other.token }, valid).expect(403);
      // Change the first character: all six of its bits count (the last one's may not, in base64url).
      const forged = `${form.token.startsWith('A') ? 'B' : 'A'}${form.token.slice(1)}`;
      await post({ cookie: form.cookie, token: forged }, valid).expect(403);
    });
  });

  it('answers unknown and malformed notice ids with a readable 404 page', async () => {
    for (const path of [`/board/notices/${randomUUID()}`, '/board/notices/not-a-uuid']) {
      const page = await test.http().get(path).expect(404);
      expect(page.headers['content-type']).toMatch(HTML);
      expect(page.text).toContain('没有找到这份公示');
    }
    const form = await openForm();
    const unknown = await expectNoWrites(test.dataSource, () =>
      post(form, valid, { id: randomUUID() }).expect(404),
    );
    expect(unknown.text).toContain('没有找到这份公示');
  });

  it('takes form bodies on the board only, up to 32 kB (413 page); the JSON API is unchanged', async () => {
    const form = await openForm();
    const tooLarge = await post(form, { ...valid, text: 'x'.repeat(40_000) }).expect(413);
    expect(tooLarge.headers['content-type']).toMatch(HTML);
    expect(tooLarge.text).toContain('填写的内容太长');
    const formToJson = await test
      .http()
      .post(`/public/notices/${noticeId}/objections`)
      .set('X-Forwarded-For', nextClient())
      .type('form')
      .send(valid)
      .expect(400);
    expect(formToJson.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(formToJson.body.code).toBe('VALIDATION_FAILED');
    await test
      .http()
      .post(`/public/notices/${noticeId}/objections`)
      .set('X-Forwarded-For', nextClient())
      .send(valid)
      .expect(201);
  });

  it('prints the board link, from PUBLIC_BASE_URL, on the village-notice PDF', async () => {
    const response = await test
      .http()
      .get(
        `/contracts/${contractId}/documents/village-notice?taskCode=wheat_harvest&villageCode=${villageCode}`,
      )
      .set(agri.auth)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const { text } = pdfText(response.body as Buffer);
    expect(text.replace(/\s/g, '')).toContain(
      `https://gongshi.example.cn/board/notices/${noticeId}`,
    );
  });

  it('shows the outcome once resolved, and a cleared notice closed with its outcomes and no form', async () => {
    const open = await test
      .http()
      .get(`/objections?noticeId=${noticeId}&state=open`)
      .set(verifier.auth)
      .expect(200);
    for (const objection of open.body.items as { id: string }[]) {
      await test
        .http()
        .post(`/objections/${objection.id}/resolve`)
        .set(verifier.auth)
        .send({ outcome: 'dismissed', note: '经核实，面积无误 <b>属实</b>' })
        .expect(200);
    }
    const resolved = await test.http().get(`/board/notices/${noticeId}`).expect(200);
    const form = await openForm(); // kept for the late post below: the token is not per notice
    expect(resolved.text).toContain('经核实，异议不成立（已驳回）');
    expect(resolved.text).toContain('处理说明：经核实，面积无误 &lt;b&gt;属实&lt;/b&gt;');

    await advanceClock(test, await api.admin(), { advanceDays: 7.1 });
    const closed = await test.http().get(`/board/notices/${noticeId}`).expect(200);
    expect(closed.text).toContain('本公示已关闭，不再接收异议');
    expect(closed.text).toContain('公示期满，已结束');
    expect(closed.text).toMatch(/共收到异议 \d+ 件：处理中 0 件，已驳回 \d+ 件，已采纳 0 件/);
    expect(closed.text).not.toContain('<form');
    expect(closed.text).not.toContain('王大爷');
    const board = await test.http().get('/board').expect(200);
    expect(board.text).not.toContain(noticeId);

    // The same rule and code as the JSON route (409 NOTICE_CLOSED), as a page.
    const late = await expectNoWrites(test.dataSource, () => post(form, valid).expect(409));
    expect(late.headers['content-type']).toMatch(HTML);
    expect(late.text).toContain('这份公示已经结束，不再接收异议');
  });

  it('throttles the form like the JSON route: a 429 page with Retry-After', async () => {
    const running = await toRunningNotice(test, api);
    const id = running.noticeId;
    const form = await openForm(id);
    const ip = nextClient();
    let response = await post(form, { ...valid, phone: '12' }, { id, ip });
    for (let attempt = 0; attempt < 50 && response.status !== 429; attempt++) {
      expect(response.status).toBe(400);
      response = await post(form, { ...valid, phone: '12' }, { id, ip });
    }
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(HTML);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.text).toContain('提交太频繁，请稍后再试');
  });
});

/**
 * The staff desk without a browser (issue 25): the session (login, next, cookie flags, logout,
 * deactivation), CSRF on every form, and a village verifier's verification through the form —
 * its refusals next to the field with the input kept and nothing written, its success gone from
 * the to-do list, and a double submit applied once.
 */
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { addRows, uploadClaimAttachments } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { createTestApp, type TestApp } from '../support/test-app';

const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no form token on the page');
  return match[1];
};
const cookieOf = (setCookie: string[] | string | undefined, name: string): string | undefined =>
  ([] as string[])
    .concat(setCookie ?? [])
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0];

describe('the staff desk (工作台)', () => {
  let test: TestApp;
  let api: Api;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
  });
  afterAll(async () => {
    await test?.close();
  });

  /** Logs in through the form; the cookies to send afterwards. */
  async function deskLogin(username: string, password: string, next?: string) {
    const form = await http().get('/desk/login').expect(200);
    const nonce = cookieOf(form.headers['set-cookie'], 'desk_nonce')!;
    const response = await http()
      .post('/desk/login')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), username, password, ...(next ? { next } : {}) });
    return { response, nonce };
  }
  async function deskSession(session: Session): Promise<string> {
    const { response } = await deskLogin(session.username, `pw-${session.username}-secret`);
    expect(response.status).toBe(303);
    return cookieOf(response.headers['set-cookie'], 'desk_session')!;
  }

  it('asks for a login, logs in to `next` on this site only, with an HttpOnly SameSite=Lax cookie', async () => {
    const away = await http().get('/desk/contracts?state=paid').expect(303);
    expect(away.headers.location).toBe('/desk/login?next=%2Fdesk%2Fcontracts%3Fstate%3Dpaid');

    const form = await http().get('/desk/login?next=%2Fdesk%2Fcontracts').expect(200);
    expect(form.text).toContain('<label for="username">用户名</label>');
    expect(form.text).toContain('<label for="password">密码</label>');
    expect(form.text).toMatch(/<button type="submit">登录<\/button>/);
    expect(form.text).toContain('value="/desk/contracts"');
    expect(form.text).not.toMatch(/<script/i);

    const tree = await api.regionTree(1);
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const wrong = await deskLogin(agri.username, 'not-the-password');
    expect(wrong.response.status).toBe(401);
    expect(wrong.response.text).toContain('用户名或密码不正确');
    expect(wrong.response.text).toContain(`value="${agri.username}"`);

    const ok = await deskLogin(agri.username, `pw-${agri.username}-secret`, '/desk/contracts');
    expect(ok.response.status).toBe(303);
    expect(ok.response.headers.location).toBe('/desk/contracts');
    const set = ([] as string[])
      .concat(ok.response.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('desk_session='))!;
    expect(set).toMatch(/; Path=\/desk; HttpOnly; SameSite=Lax; Max-Age=3600$/);
    expect(set).not.toMatch(/Secure/);

    for (const next of ['//evil.example/desk', 'https://evil.example/', '/board', '/desk\\@evil']) {
      const elsewhere = await deskLogin(agri.username, `pw-${agri.username}-secret`, next);
      expect(elsewhere.response.headers.location).toBe('/desk');
    }

    const cookie = cookieOf(ok.response.headers['set-cookie'], 'desk_session')!;
    const todo = await http().get('/desk').set('Cookie', cookie).expect(200);
    expect(todo.text).toContain('<h1>待办</h1>');
    expect(Buffer.byteLength(todo.text)).toBeLessThan(30 * 1024);

    // Logout needs the form token too; then the cookie is cleared.
    await http().post('/desk/logout').set('Cookie', cookie).type('form').send({}).expect(403);
    const out = await http()
      .post('/desk/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf(todo.text) })
      .expect(303);
    expect(cookieOf(out.headers['set-cookie'], 'desk_session')).toBe('desk_session=');
  });

  it('refuses a login post without its form token (403 page), and a deactivated user’s session ends at once', async () => {
    const tree = await api.regionTree(1);
    const observer = await api.user('observer', { regionCode: tree.district });
    const forged = await http()
      .post('/desk/login')
      .type('form')
      .send({ username: observer.username, password: `pw-${observer.username}-secret` })
      .expect(403);
    expect(forged.text).toContain('页面已过期');
    expect(forged.headers['set-cookie']).toBeUndefined();

    const cookie = await deskSession(observer);
    await http().get('/desk').set('Cookie', cookie).expect(200);
    const admin = await api.admin();
    await http()
      .patch(`/users/${observer.userId}`)
      .set(admin.auth)
      .send({ active: false })
      .expect(200);
    const ended = await http().get('/desk').set('Cookie', cookie).expect(303);
    expect(ended.headers.location).toBe('/desk/login?next=%2Fdesk');
  });

  it('a temporary password sends the desk to the account page until it is changed there', async () => {
    const tree = await api.regionTree(1);
    const observer = await api.user('observer', { regionCode: tree.district });
    const admin = await api.admin();
    await http()
      .post(`/users/${observer.userId}/password`)
      .set(admin.auth)
      .send({ password: 'Temporary-2015' })
      .expect(200);
    const { response } = await deskLogin(observer.username, 'Temporary-2015');
    expect(response.headers.location).toBe('/desk/account');
    const cookie = cookieOf(response.headers['set-cookie'], 'desk_session')!;
    expect((await http().get('/desk').set('Cookie', cookie).expect(303)).headers.location).toBe(
      '/desk/account',
    );
    const page = await http().get('/desk/account').set('Cookie', cookie).expect(200);
    const csrf = csrfOf(page.text);
    const weak = await expectNoWrites(test.dataSource, () =>
      http()
        .post('/desk/account')
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrf, currentPassword: 'Temporary-2015', newPassword: '1234567890' })
        .expect(400),
    );
    expect(weak.text).toContain('这个密码太常见，请换一个');
    const changed = await http()
      .post('/desk/account')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, currentPassword: 'Temporary-2015', newPassword: 'Wheat-field-2015' })
      .expect(303);
    const fresh = cookieOf(changed.headers['set-cookie'], 'desk_session')!;
    await http().get('/desk').set('Cookie', fresh).expect(200);
    await http().get('/desk').set('Cookie', cookie).expect(303); // the old session ended
  });

  it('a village verifier verifies through the form: errors next to the row, nothing written; done once; gone from the list', async () => {
    const tree = await api.regionTree(1);
    const village = tree.villages[0];
    const agri = await api.user('district_agri', { regionCode: tree.district });
    const coop = await api.user('cooperative', { organisationId: (await api.organisation()).id });
    const verifier = await api.user('village_verifier', { regionCode: village });
    const tender = await openedTender(test, {
      agri,
      coop,
      districtCode: tree.district,
      villageCodes: [village],
      code: `DESK-${tree.district}`,
      name: '工作台测试',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '报',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: '60.00',
    });
    const award = await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' });
    const id = award.body.contractId as string;
    await http()
      .post(`/contracts/${id}/sign`)
      .set(agri.auth)
      .send({ contractNo: '谯农服合〔2015〕7号', signedOn: '2015-05-04' })
      .expect(200);
    await uploadClaimAttachments(test, coop, id);
    const rows = await addRows(test, coop, id, village, 'wheat_harvest', [1000, 2000]);
    await http().post(`/contracts/${id}/task-lines/wheat_harvest/claim`).set(coop.auth).expect(200);

    const cookie = await deskSession(verifier);
    const todo = await http().get('/desk').set('Cookie', cookie).expect(200);
    const href = `/desk/contracts/${id}#verify-wheat_harvest-${village}`;
    expect(todo.text).toContain(`href="${href}"`);
    expect(todo.text).toContain('谯农服合〔2015〕7号');
    const page = await http().get(`/desk/contracts/${id}`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('提交核实');
    expect(Buffer.byteLength(page.text)).toBeLessThan(30 * 1024);
    const csrf = csrfOf(page.text);
    const action = `/desk/contracts/${id}/task-lines/wheat_harvest/villages/${village}/verification`;
    const form = (verified: [string, string], token = csrf) =>
      [
        `_csrf=${encodeURIComponent(token)}`,
        ...rows.flatMap((row, index) => [
          `rowId=${row.id}`,
          `claimedAreaMu=${(row.area / 100).toFixed(2)}`,
          `verifiedAreaMu=${encodeURIComponent(verified[index])}`,
        ]),
        'note=',
      ].join('&');

    await expectNoWrites(test.dataSource, () =>
      http()
        .post(action)
        .set('Cookie', cookie)
        .type('form')
        .send(form(['9.00', '20.00'], 'x'))
        .expect(403),
    );
    const above = await expectNoWrites(test.dataSource, () =>
      http()
        .post(action)
        .set('Cookie', cookie)
        .type('form')
        .send(form(['10.00', '25.50']))
        .expect(400),
    );
    expect(above.text).toContain(`id="verify-wheat_harvest-${village}-${rows[1].id}-error"`);
    expect(above.text).toContain('面积不能超过上一环节的面积');
    expect(above.text).toContain('value="25.50"'); // the input kept
    const malformed = await expectNoWrites(test.dataSource, () =>
      http()
        .post(action)
        .set('Cookie', cookie)
        .type('form')
        .send(form(['9.x', '20.00']))
        .expect(400),
    );
    expect(malformed.text).toContain(`id="verify-wheat_harvest-${village}-${rows[0].id}-error"`);

    const done = await http()
      .post(action)
      .set('Cookie', cookie)
      .type('form')
      .send(form(['9.00', '20.00']))
      .expect(303);
    expect(done.headers.location).toBe(`/desk/contracts/${id}?done=verify`);
    const after = await http().get(done.headers.location).set('Cookie', cookie).expect(200);
    expect(after.text).toContain('已提交核实，村级公示已经开始');
    expect(after.text).not.toContain('提交核实</button>');
    // The history names the task line in Chinese, as the table above it does, not by its code.
    expect(after.text).toMatch(/村级核实 · 小麦机收 · [^<]+ · 待核实 → 公示中/);
    expect(after.text).not.toContain('· wheat_harvest ·');
    const list = await http().get('/desk').set('Cookie', cookie).expect(200);
    expect(list.text).not.toContain(href);
    const register = await http()
      .get(`/contracts/${id}/register?villageCode=${village}`)
      .set(verifier.auth)
      .expect(200);
    expect(
      register.body.items.map((row: { verifiedAreaMu: string }) => row.verifiedAreaMu),
    ).toEqual(['9.00', '20.00']);

    // The same form again (a double tap, the back button): refused, nothing written.
    const again = await expectNoWrites(test.dataSource, () =>
      http()
        .post(action)
        .set('Cookie', cookie)
        .type('form')
        .send(form(['9.00', '20.00']))
        .expect(409),
    );
    expect(again.text).toContain('可能已经有人处理过了');

    // Another role posting the same form: 403 page.
    const coopCookie = await deskSession(coop);
    const coopPage = await http().get('/desk').set('Cookie', coopCookie).expect(200);
    await expectNoWrites(test.dataSource, () =>
      http()
        .post(action)
        .set('Cookie', coopCookie)
        .type('form')
        .send(form(['9.00', '20.00'], csrfOf(coopPage.text)))
        .expect(403),
    );
  });
});

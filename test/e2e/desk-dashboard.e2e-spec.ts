/**
 * Issue 26 without a browser: the season at a glance (GET /desk/dashboard) on the demo's 2014
 * project, each chart's table read back from the HTML and compared with GET /projects/:id/summary
 * (and, for what the summary has not, with the REST routes or the tables themselves); the
 * calculation sheet's page against GET /contracts/:id/calculation; admin's user pages; and the
 * refusals (wrong role, bad CSRF, self-deactivation): status, message, and nothing written.
 */
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data';
import { STAGE_LABELS, STATE_LABELS } from '../../src/modules/desk/desk-strings';
import { Api, type Session } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { TEST_ADMIN, createTestApp, type TestApp } from '../support/test-app';

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
const decode = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** The table under the chart `id`: its header and its rows of cell texts. */
function tableOf(html: string, id: string): { head: string[]; rows: string[][] } {
  const start = html.indexOf(`<div id="${id}-table"`);
  if (start < 0) throw new Error(`no table for ${id}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const head = [...table.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => decode(m[1]));
  const body = table.slice(table.indexOf('<tbody>'));
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => decode(cell[1])),
  );
  return { head, rows };
}

interface Summary {
  tasks: {
    taskCode: string;
    taskName: string;
    assignedAreaMu: string;
    claimedAreaMu: string;
    verifiedAreaMu: string;
    acceptedAreaMu: string;
    auditedAreaMu: string;
  }[];
  villages: {
    villageCode: string;
    villageName: string;
    registeredAreaMu: string;
    claimedAreaMu: string;
    verifiedAreaMu: string;
    acceptedAreaMu: string;
  }[];
  committedYuan: string;
  paidYuan: string;
  contractsByState: Record<string, number>;
  satisfaction: { satisfied: number; neutral: number; dissatisfied: number };
}

describe('the season at a glance, the calculation sheet and the users pages (desk)', () => {
  let test: TestApp;
  let api: Api;
  let projectId: string;
  let agri: Session;
  const http = () => test.http();

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    api = new Api(test);
    agri = await api.login('agri', DEMO_PASSWORD);
    const projects = await http().get('/projects').set(agri.auth).expect(200);
    projectId = (projects.body.items as { id: string; code: string }[]).find(
      (project) => project.code === 'QC2014-SH',
    )!.id;
  });
  afterAll(async () => {
    await test?.close();
  });

  /** Logs in through the desk's form: the cookie to send afterwards. */
  async function desk(username: string, password: string): Promise<string> {
    const form = await http().get('/desk/login').expect(200);
    const nonce = cookieOf(form.headers['set-cookie'], 'desk_nonce')!;
    const response = await http()
      .post('/desk/login')
      .set('Cookie', nonce)
      .type('form')
      .send({ _csrf: csrfOf(form.text), username, password })
      .expect(303);
    return cookieOf(response.headers['set-cookie'], 'desk_session')!;
  }

  it("draws the 2014 project's charts as SVG (no script), each table equal to the summary's numbers", async () => {
    const cookie = await desk('agri', DEMO_PASSWORD);
    const page = await http()
      .get(`/desk/dashboard?projectId=${projectId}`)
      .set('Cookie', cookie)
      .expect(200);
    const html = page.text;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<canvas/i);
    const charts = [
      'area-by-task',
      'area-by-village',
      'money',
      'contracts-by-state',
      'notices-by-village',
      'satisfaction',
    ];
    for (const id of charts) {
      const section = html.slice(html.indexOf(`<h2 id="${id}-title">`));
      expect(section).toMatch(
        /^<h2 id="[^"]+">[^<]+<\/h2>\s*<figure[^>]*><svg role="img" aria-label="[^"]+"/,
      );
      expect(section).toMatch(/<title>[^<]+<\/title>/);
    }

    const summary = (await http().get(`/projects/${projectId}/summary`).set(agri.auth).expect(200))
      .body as Summary;
    expect(summary.tasks.length).toBeGreaterThan(0);

    // Area by stage per task: the summary's five stages, and the paid area: the audited area of
    // the lines of the project's paid contracts (from GET /contracts).
    const contracts = (
      await http().get(`/contracts?projectId=${projectId}&limit=100`).set(agri.auth).expect(200)
    ).body.items as {
      state: string;
      taskLines: { taskCode: string; auditedAreaMu: string | null }[];
    }[];
    const paidArea = (taskCode: string): string =>
      (
        contracts
          .filter((contract) => contract.state === 'paid')
          .flatMap((contract) => contract.taskLines)
          .filter((line) => line.taskCode === taskCode)
          .reduce((sum, line) => sum + Math.round(Number(line.auditedAreaMu ?? 0) * 100), 0) / 100
      ).toFixed(2);
    const byTask = tableOf(html, 'area-by-task');
    expect(byTask.head).toEqual(['作业环节', ...Object.values(STAGE_LABELS)]);
    expect(byTask.rows).toEqual(
      summary.tasks.map((task) => [
        task.taskName,
        task.assignedAreaMu,
        task.claimedAreaMu,
        task.verifiedAreaMu,
        task.acceptedAreaMu,
        task.auditedAreaMu,
        paidArea(task.taskCode),
      ]),
    );
    expect(byTask.rows.some((row) => row[6] !== '0.00')).toBe(true);

    expect(tableOf(html, 'area-by-village').rows).toEqual(
      summary.villages.map((village) => [
        village.villageName,
        village.registeredAreaMu,
        village.claimedAreaMu,
        village.verifiedAreaMu,
        village.acceptedAreaMu,
      ]),
    );

    const project = (await http().get(`/projects/${projectId}`).set(agri.auth).expect(200))
      .body as { budgetYuan: string | null };
    expect(tableOf(html, 'money').rows).toEqual([
      ['预算', project.budgetYuan ?? '（未设预算）'],
      ['已承诺（审核通过）', summary.committedYuan],
      ['已拨付（银行确认）', summary.paidYuan],
    ]);

    const states = Object.entries(summary.contractsByState).sort(([a], [b]) => a.localeCompare(b));
    expect(states.length).toBeGreaterThan(0);
    expect(tableOf(html, 'contracts-by-state').rows).toEqual(
      states.map(([state, n]) => [STATE_LABELS[state], String(n)]),
    );

    // Notices and objections per village: counted here straight from the tables.
    const counted = await test.dataSource.query<
      { village_code: string; running: string; open: string; dismissed: string; upheld: string }[]
    >(
      `SELECT pv.village_code,
              (SELECT count(*) FROM notice n JOIN contract c ON c.id = n.contract_id
                WHERE c.project_id = $1 AND n.village_code = pv.village_code AND n.state = 'running') AS running,
              (SELECT count(*) FROM objection o JOIN notice n ON n.id = o.notice_id JOIN contract c ON c.id = n.contract_id
                LEFT JOIN register_row r ON r.id = o.register_row_id
                WHERE c.project_id = $1 AND coalesce(n.village_code, r.village_code) = pv.village_code AND o.state = 'open') AS open,
              (SELECT count(*) FROM objection o JOIN notice n ON n.id = o.notice_id JOIN contract c ON c.id = n.contract_id
                LEFT JOIN register_row r ON r.id = o.register_row_id
                WHERE c.project_id = $1 AND coalesce(n.village_code, r.village_code) = pv.village_code AND o.state = 'dismissed') AS dismissed,
              (SELECT count(*) FROM objection o JOIN notice n ON n.id = o.notice_id JOIN contract c ON c.id = n.contract_id
                LEFT JOIN register_row r ON r.id = o.register_row_id
                WHERE c.project_id = $1 AND coalesce(n.village_code, r.village_code) = pv.village_code AND o.state = 'upheld') AS upheld
         FROM project_village pv WHERE pv.project_id = $1 ORDER BY pv.village_code`,
      [projectId],
    );
    expect(tableOf(html, 'notices-by-village').rows).toEqual(
      summary.villages.map((village) => {
        const row = counted.find((candidate) => candidate.village_code === village.villageCode)!;
        return [village.villageName, row.running, row.open, row.dismissed, row.upheld];
      }),
    );

    expect(tableOf(html, 'satisfaction').rows).toEqual([
      ['满意', String(summary.satisfaction.satisfied)],
      ['基本满意', String(summary.satisfaction.neutral)],
      ['不满意', String(summary.satisfaction.dissatisfied)],
    ]);
  });

  it('without a project shows the picker; the finance bureau and the observer see it too', async () => {
    for (const username of ['agri', 'finance', 'auditor']) {
      const cookie = await desk(username, DEMO_PASSWORD);
      const page = await http().get('/desk/dashboard').set('Cookie', cookie).expect(200);
      expect(page.text).toContain('<label for="projectId">选择项目</label>');
      expect(page.text).toContain(`<option value="${projectId}"`);
      expect(page.text).not.toContain('<svg');
    }
  });

  it('refuses the other roles (403 page), an unknown or malformed project (404 page)', async () => {
    const village = await desk('wangge', DEMO_PASSWORD);
    const refused = await http()
      .get(`/desk/dashboard?projectId=${projectId}`)
      .set('Cookie', village)
      .expect(403);
    expect(refused.text).toContain('您的角色不能进行这个操作');
    expect(refused.text).not.toContain('<svg');
    const admin = await desk(TEST_ADMIN.username, TEST_ADMIN.password);
    await http().get('/desk/dashboard').set('Cookie', admin).expect(403);

    const cookie = await desk('agri', DEMO_PASSWORD);
    await http()
      .get('/desk/dashboard?projectId=00000000-0000-4000-8000-000000000000')
      .set('Cookie', cookie)
      .expect(404);
    await http().get("/desk/dashboard?projectId=1'%20OR%201=1").set('Cookie', cookie).expect(404);
  });

  it('shows the calculation sheet of a paid contract with the numbers of GET /contracts/:id/calculation', async () => {
    const paid = (
      (await http().get(`/contracts?projectId=${projectId}&state=paid`).set(agri.auth).expect(200))
        .body.items as { id: string; contractNo: string }[]
    )[0];
    const sheet = (await http().get(`/contracts/${paid.id}/calculation`).set(agri.auth).expect(200))
      .body as {
      subsidyYuan: string;
      taskLines: {
        taskName: string;
        assignedAreaMu: string;
        auditedAreaMu: string;
        unitPriceYuan: string;
        amountYuan: string;
        formula: string;
        taskCode: string;
        villages: { villageCode: string; rows: number; claimedAreaMu: string }[];
      }[];
      signers: { taskCode: string | null }[];
    };
    const cookie = await desk('finance', DEMO_PASSWORD);
    const contractPage = await http()
      .get(`/desk/contracts/${paid.id}`)
      .set('Cookie', cookie)
      .expect(200);
    expect(contractPage.text).toContain(`href="/desk/contracts/${paid.id}/calculation"`);
    const page = await http()
      .get(`/desk/contracts/${paid.id}/calculation`)
      .set('Cookie', cookie)
      .expect(200);
    expect(page.text).toContain(paid.contractNo);
    expect(page.text).toContain(`${sheet.subsidyYuan} 元`);
    for (const line of sheet.taskLines) {
      expect(decode(page.text)).toContain(line.formula);
      const row = new RegExp(
        `<td>${line.taskName}</td><td>[^<]+</td><td class="num">${line.assignedAreaMu}</td>(?:<td class="num">[^<]+</td>){3}<td class="num">${line.auditedAreaMu}</td><td class="num">${line.unitPriceYuan}</td><td class="num">[^<]+</td><td class="num">${line.amountYuan}</td>`,
      );
      expect(page.text).toMatch(row);
      // The task is named the same way in its three tables (lines, villages, signers), never
      // by its code.
      const cells = page.text.split(`<td>${line.taskName}</td>`).length - 1;
      const signed = sheet.signers.filter((signer) => signer.taskCode === line.taskCode).length;
      expect(signed).toBeGreaterThan(0);
      expect(cells).toBe(1 + line.villages.length + signed);
      expect(page.text).not.toContain(`<td>${line.taskCode}</td>`);
    }
    const coop = await desk('jiaokui', DEMO_PASSWORD);
    const other = await http().get(`/desk/contracts/${paid.id}/calculation`).set('Cookie', coop);
    expect([200, 404]).toContain(other.status);
    await http().get('/desk/contracts/not-a-uuid/calculation').set('Cookie', cookie).expect(404);
  });

  describe("admin's user pages", () => {
    let admin: string;
    let adminId: string;

    beforeAll(async () => {
      admin = await desk(TEST_ADMIN.username, TEST_ADMIN.password);
      adminId = (await api.admin()).userId;
    });

    it('lists users with filters, creates one, resets its password once, deactivates it', async () => {
      const list = await http()
        .get('/desk/users?role=district_agri')
        .set('Cookie', admin)
        .expect(200);
      expect(list.text).toContain('<td>agri</td>');
      expect(list.text).not.toContain('<td>finance</td>');
      const csrf = csrfOf(list.text);

      const created = await http()
        .post('/desk/users')
        .set('Cookie', admin)
        .type('form')
        .send({
          _csrf: csrf,
          username: 'desk_new_user',
          displayName: '新来的核实员',
          role: 'observer',
          regionCode: '341602',
          password: 'a-long-enough-password',
        })
        .expect(303);
      expect(created.headers.location).toBe('/desk/users?done=created&u=desk_new_user');
      const after = await http().get(created.headers.location).set('Cookie', admin).expect(200);
      expect(after.text).toContain('已创建用户 desk_new_user');
      const user = (
        (
          await http()
            .get('/users?role=observer')
            .set((await api.admin()).auth)
            .expect(200)
        ).body.items as { id: string; username: string }[]
      ).find((candidate) => candidate.username === 'desk_new_user')!;

      const reset = await http()
        .post(`/desk/users/${user.id}/password`)
        .set('Cookie', admin)
        .type('form')
        .send({ _csrf: csrf })
        .expect(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      const temporary = /<p class="ref" id="temporary-password">([^<]+)<\/p>/.exec(reset.text)![1];
      expect(temporary).toHaveLength(14);
      const login = await http()
        .post('/auth/login')
        .send({ username: 'desk_new_user', password: temporary })
        .expect(200);
      expect(login.body.user.mustChangePassword).toBe(true);
      const again = await http().get('/desk/users').set('Cookie', admin).expect(200);
      expect(again.text).not.toContain(temporary);

      const deactivated = await http()
        .post(`/desk/users/${user.id}/active`)
        .set('Cookie', admin)
        .type('form')
        .send({ _csrf: csrf, active: 'false' })
        .expect(303);
      expect(deactivated.headers.location).toBe('/desk/users?done=deactivated&u=desk_new_user');
      await http()
        .post('/auth/login')
        .send({ username: 'desk_new_user', password: temporary })
        .expect(401);
    });

    it('refuses to deactivate oneself: 409 with the message, nothing written', async () => {
      const list = await http().get('/desk/users').set('Cookie', admin).expect(200);
      const refused = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/desk/users/${adminId}/active`)
          .set('Cookie', admin)
          .type('form')
          .send({ _csrf: csrfOf(list.text), active: 'false' }),
      );
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('不能停用自己的账户');
      await http().get('/desk/users').set('Cookie', admin).expect(200);
    });

    it('refuses a taken username and a short password at the REST status, keeping the input', async () => {
      const list = await http().get('/desk/users').set('Cookie', admin).expect(200);
      const taken = await expectNoWrites(test.dataSource, () =>
        http()
          .post('/desk/users')
          .set('Cookie', admin)
          .type('form')
          .send({
            _csrf: csrfOf(list.text),
            username: 'agri',
            displayName: '重名',
            role: 'observer',
            regionCode: '341602',
            password: 'a-long-enough-password',
          }),
      );
      expect(taken.status).toBe(409);
      expect(taken.text).toContain('用户名 agri 已被使用');
      const short = await expectNoWrites(test.dataSource, () =>
        http()
          .post('/desk/users')
          .set('Cookie', admin)
          .type('form')
          .send({
            _csrf: csrfOf(list.text),
            username: 'short_pw_user',
            displayName: '短密码',
            role: 'observer',
            regionCode: '341602',
            password: 'short',
          }),
      );
      expect(short.status).toBe(400);
      expect(short.text).toContain('密码至少 10 个字符');
      expect(short.text).toContain('value="short_pw_user"');
      expect(short.text).not.toContain('value="short"');
    });

    it('refuses a post without a valid form token (403 page), nothing written', async () => {
      const target = (
        (
          await http()
            .get('/users?role=district_finance')
            .set((await api.admin()).auth)
            .expect(200)
        ).body.items as { id: string }[]
      )[0];
      for (const token of [undefined, 'forged-token']) {
        const refused = await expectNoWrites(test.dataSource, () =>
          http()
            .post(`/desk/users/${target.id}/active`)
            .set('Cookie', admin)
            .type('form')
            .send({ ...(token ? { _csrf: token } : {}), active: 'false' }),
        );
        expect(refused.status).toBe(403);
        expect(refused.text).toContain('页面已过期');
        const reset = await expectNoWrites(test.dataSource, () =>
          http()
            .post(`/desk/users/${target.id}/password`)
            .set('Cookie', admin)
            .type('form')
            .send({ ...(token ? { _csrf: token } : {}) }),
        );
        expect(reset.status).toBe(403);
      }
    });

    it('refuses every other role (403 page), nothing written', async () => {
      const cookie = await desk('agri', DEMO_PASSWORD);
      const page = await http().get('/desk/users').set('Cookie', cookie).expect(403);
      expect(page.text).toContain('您的角色不能进行这个操作');
      const token = csrfOf(page.text);
      const refused = await expectNoWrites(test.dataSource, () =>
        http().post('/desk/users').set('Cookie', cookie).type('form').send({
          _csrf: token,
          username: 'not_by_agri',
          displayName: '越权',
          role: 'admin',
          password: 'a-long-enough-password',
        }),
      );
      expect(refused.status).toBe(403);
      const deactivate = await expectNoWrites(test.dataSource, () =>
        http()
          .post(`/desk/users/${adminId}/active`)
          .set('Cookie', cookie)
          .type('form')
          .send({ _csrf: token, active: 'false' }),
      );
      expect(deactivate.status).toBe(403);
    });
  });
});

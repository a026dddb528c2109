/**
 * The staff desk in real Chromium (issue 25, "done when"), at a phone's size (360×740) and a
 * PC's (1280×800): a cooperative uploads a register with two bad rows and sees both rejected
 * rows, then claims; the village verifier lowers one row's area and submits, and the item is
 * gone from the list; after the notice, five town acceptors covering the four roles open and
 * sign the record, and the task line is accepted. axe on every page: no serious or critical
 * violation. DESK_SCREENSHOTS=1 writes docs/desk/*.png (shown in the README).
 */
import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { residentId } from '../factories/register-rows';
import { Api, type Session } from '../support/api';
import { advanceClock, uploadClaimAttachments } from '../support/lifecycle';
import { openedTender } from '../support/open-tender';
import { createTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.DESK_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'desk');

const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740, isMobile: true },
  { name: 'pc', width: 1280, height: 800, isMobile: false },
] as const;

const ROLES = [
  'technical_guidance',
  'township_leader',
  'station_head',
  'farmer_supervisor',
  'technical_guidance',
] as const;

describe.each(VIEWPORTS)('the staff desk in Chromium at $width×$height', (viewport) => {
  let test: TestApp;
  let api: Api;
  let baseUrl: string;
  let browser: Browser | undefined;
  let village: string;
  let contractId: string;
  let coop: Session;
  let verifier: Session;
  let admin: Session;
  const acceptors: Session[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}`);
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    admin = await api.admin();
    const tree = await api.regionTree(1);
    village = tree.villages[0];
    const agri = await api.user('district_agri', { regionCode: tree.district });
    coop = await api.user('cooperative', { organisationId: (await api.organisation()).id });
    verifier = await api.user('village_verifier', { regionCode: village });
    for (const acceptanceRole of ROLES)
      acceptors.push(await api.user('town_acceptor', { regionCode: tree.town, acceptanceRole }));
    const tender = await openedTender(test, {
      agri,
      coop,
      districtCode: tree.district,
      villageCodes: [village],
      code: `DESK-B-${tree.district}`,
      name: '工作台浏览器测试',
      year: 2015,
      serviceStart: '2015-06-01',
      serviceEnd: '2015-06-30',
      publishedIn: '《亳州晚报》',
      publishedOn: '2015-05-01',
      openingOn: '2015-05-02',
      task: { code: 'wheat_harvest', name: '小麦机收', areaMu: 100 },
      unitPriceYuan: '60.00',
    });
    const award = await tender.award({ workDeadline: '2015-06-30', awardedOn: '2015-05-03' });
    contractId = award.body.contractId as string;
    await test
      .http()
      .post(`/contracts/${contractId}/sign`)
      .set(agri.auth)
      .send({ contractNo: '谯农服合〔2015〕12号', signedOn: '2015-05-04' })
      .expect(200);
    await uploadClaimAttachments(test, coop, contractId);
    const server = test.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  /** A fresh browser (no cookies) logged in through the form as `session`. */
  async function loggedIn(session: Session): Promise<Page> {
    const context = await browser!.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.isMobile,
      hasTouch: viewport.isMobile,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/desk`);
    expect(page.url()).toBe(`${baseUrl}/desk/login?next=%2Fdesk`);
    await page.getByLabel('用户名').fill(session.username);
    await page.getByLabel('密码').fill(`pw-${session.username}-secret`);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}/desk`);
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        page: name,
        rule: violation.id,
        nodes: violation.nodes.map((node) => node.target.join(' ')),
      }));
    expect(bad).toEqual([]);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(viewport.width);
    if (SCREENSHOTS) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, `${viewport.name}-${name}.png`),
        fullPage: true,
      });
    }
  }

  it('the login page', async () => {
    const context = await browser!.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/desk/login`);
    await check(page, 'login');
    await page.getByLabel('用户名').fill(coop.username);
    await page.getByLabel('密码').fill('wrong-password-1');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '登录' }).click(),
    ]);
    await expect(page.locator('#password-error').textContent()).resolves.toBe(
      '用户名或密码不正确。',
    );
    await check(page, 'login-error');
    await context.close();
  });

  it('a cooperative uploads a register with two bad rows, sees both rejections, and claims', async () => {
    const page = await loggedIn(coop);
    await page.getByRole('heading', { name: /上传作业清册/ }).waitFor({ state: 'visible' });
    await check(page, 'todo-cooperative');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: /谯农服合〔2015〕12号/ }).click(),
    ]);
    const good = (n: number) =>
      `${village},农户${n},${residentId()},P-${viewport.name}-${n},wheat_harvest,${n}.00,2015-06-10,皖S-100${n},刘机手,周镇干部,吴村干部,刘机手,1`;
    const csv = [
      'villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned',
      good(10),
      good(20),
      `${village},坏行甲,${residentId().slice(0, 17)}Z,P-${viewport.name}-bad1,wheat_harvest,5.00,2015-06-10,皖S-2001,刘机手,周镇干部,吴村干部,刘机手,1`,
      `999999999,坏行乙,${residentId()},P-${viewport.name}-bad2,wheat_harvest,5.00,2015-06-10,皖S-2002,刘机手,周镇干部,吴村干部,刘机手,1`,
    ].join('\n');
    await page.getByLabel('落实到户清册（CSV 或 XLSX）').setInputFiles({
      name: 'register.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '上传清册' }).click(),
    ]);
    await page.getByRole('heading', { name: '已导入 2 行' }).waitFor({ state: 'visible' });
    const rejected = await page.locator('#rejections + .table-wrap tbody tr').allTextContents();
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatch(/^4身份证号不正确/);
    expect(rejected[1]).toMatch(/^5村代码不在本合同内/);
    await check(page, 'register-rejections');

    await page.goto(`${baseUrl}/desk`);
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: /谯农服合〔2015〕12号/ }).click(),
    ]);
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '申报', exact: true }).click(),
    ]);
    await page.getByText('已申报。').waitFor({ state: 'visible' });
    await check(page, 'claimed');
    await page.context().close();
  });

  it('the village verifier lowers one row’s area and submits; the notice runs and the item is gone', async () => {
    const page = await loggedIn(verifier);
    await page.getByRole('heading', { name: /村级核实/ }).waitFor({ state: 'visible' });
    await check(page, 'todo-verifier');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: /谯农服合〔2015〕12号/ }).click(),
    ]);
    await check(page, 'verify-form');
    await page.getByLabel('第 2 行核实面积').fill('8.50');
    await page.getByLabel('村级评价：作业质量和成效').selectOption('good');
    await page.getByLabel('评价说明（可不填）').fill('收割及时，群众满意');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '提交核实' }).click(),
    ]);
    await page.getByText('已提交核实，村级公示已经开始（7 天）。').waitFor({ state: 'visible' });
    await check(page, 'verified');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: '待办' }).click(),
    ]);
    await page.getByText('现在没有等您处理的事项。').waitFor({ state: 'visible' });
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: '合同', exact: true }).click(),
    ]);
    await page.getByText('共 1 份合同。').waitFor({ state: 'visible' });
    await check(page, 'contracts');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: '账户' }).click(),
    ]);
    await page.getByRole('heading', { name: '修改密码' }).waitFor({ state: 'visible' });
    await check(page, 'account');
    const part = await test.http().get(`/contracts/${contractId}`).set(verifier.auth).expect(200);
    expect(part.body.taskLines[0].villageParts[0]).toMatchObject({
      state: 'noticeRunning',
      verifiedAreaMu: '28.50',
      assessment: { quality: 'good', note: '收割及时，群众满意' },
    });
    await page.context().close();
  });

  it('five town acceptors covering the four roles open and sign; after the fifth the task line is accepted', async () => {
    await advanceClock(test, admin, { advanceDays: 7 });
    const first = await loggedIn(acceptors[2]);
    await Promise.all([
      first.waitForEvent('load'),
      first.getByRole('link', { name: /谯农服合〔2015〕12号/ }).click(),
    ]);
    await Promise.all([
      first.waitForEvent('load'),
      first.getByRole('button', { name: '发起验收' }).click(),
    ]);
    await first.getByText('验收记录已发起').waitFor({ state: 'visible' });
    await check(first, 'acceptance-opened');
    await first.context().close();
    for (const [index, acceptor] of acceptors.entries()) {
      const page = await loggedIn(acceptor);
      if (index === 0) await check(page, 'todo-acceptor');
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('link', { name: /谯农服合〔2015〕12号/ }).click(),
      ]);
      if (index === 0) await check(page, 'sign-form');
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('button', { name: '签字通过' }).click(),
      ]);
      await page.getByText('已签字。').waitFor({ state: 'visible' });
      await page.context().close();
    }
    const contract = await test
      .http()
      .get(`/contracts/${contractId}`)
      .set(acceptors[0].auth)
      .expect(200);
    expect(contract.body.taskLines[0].state).toBe('accepted');
    expect(contract.body.state).toBe('districtAudit');
  }, 120_000); // seven logins in a browser on a shared machine: a liveness bound, not a speed target
});

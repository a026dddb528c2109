/**
 * The district bureaus' and the finance bureau's desk in real Chromium (issue 26, "done when"),
 * on a PC's screen (1280×800): a contract under a policy that asks for an audit sample goes from
 * `districtAudit` to `paid`, every step on the desk — the agriculture bureau draws the sample and
 * records each visit with a photo (a small JPEG), approves; the finance bureau approves; the
 * agriculture bureau publishes the media notice; seven days later (the test clock) the finance
 * bureau issues the payout by DOUBLE-CLICKING 发放补助 and sends the form as it went once more
 * (one payout afterwards), makes a batch, downloads the bank file from the batch page and
 * uploads the bank's result file built from it: the contract is `paid`. axe on every page, at 1280 px and again at 360 px: no serious or
 * critical violation, nothing wider than the screen and no table column narrower than four
 * characters (a wide table scrolls in its box). DESK_SCREENSHOTS=1 writes
 * docs/desk/pc-*.png and phone-*.png (shown in the README).
 */
import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Api, type Session } from '../support/api';
import { advanceClock } from '../support/lifecycle';
import { payableContracts, type PayableWorld } from '../support/payable';
import { createTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.DESK_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'desk');
const PHOTO = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', 'field-visit.jpg'));
const PC = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const CONTRACT_NO = /谯农服合〔2015〕1号/;

describe('the district bureaus’ desk in Chromium: districtAudit → paid', () => {
  let test: TestApp;
  let world: PayableWorld;
  let contractId: string;
  let baseUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}`);
    test = await createTestApp({ testClock: true });
    world = await payableContracts(test, new Api(test), 1, 1, {
      stopBeforeAudit: true,
      // Three rows; at 30 % the sample takes one (at least one per village part).
      rowAreas: [1001, 1202, 803],
      beforeProject: async (district, admin) => {
        await test
          .http()
          .post('/policies')
          .set(admin.auth)
          .send({
            code: `DESK-AS-${district}`,
            name: '2015年抽查核验标准',
            districtCode: district,
            effectiveFrom: '2015-01-01',
            subsidySharePct: 100,
            requireDirectoryListing: false,
            auditSample: { ratePct: '30', minPerVillage: 1, tolerancePct: '2.00' },
          })
          .expect(201);
      },
    });
    contractId = world.contractIds[0];
    const server = test.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 300_000); // logins and axe at two sizes in a browser on a shared machine: liveness only
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  const state = async () =>
    (await test.http().get(`/contracts/${contractId}`).set(world.agri.auth).expect(200)).body
      .state as string;

  /** A fresh browser (no cookies) at 1280 px, logged in through the form as `session`. */
  async function loggedIn(session: Session): Promise<Page> {
    const context = await browser!.newContext({
      viewport: PC,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/desk`);
    await page.getByLabel('用户名').fill(session.username);
    await page.getByLabel('密码').fill(`pw-${session.username}-secret`);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}/desk`);
    return page;
  }

  /** axe and the page's width at 1280 px and at 360 px (and the screenshots), back at 1280. */
  async function check(page: Page, name: string): Promise<void> {
    for (const [label, size] of [
      ['pc', PC],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          page: `${label}-${name}`,
          rule: violation.id,
          nodes: violation.nodes.map((node) => node.target.join(' ')),
        }));
      expect(bad).toEqual([]);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(size.width);
      // A wide table scrolls in its box rather than squeezing a column to a character a line
      // (收款人 once stood one character per line at 360 px): every header cell keeps room for
      // four characters.
      const narrowest = await page.evaluate<number>(
        "Math.min(Infinity, ...Array.from(document.querySelectorAll('.table-wrap th'), (th) => th.clientWidth))",
      );
      expect(narrowest).toBeGreaterThanOrEqual(64);
      if (SCREENSHOTS) {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `${label}-${name}.png`),
          fullPage: true,
        });
      }
    }
    await page.setViewportSize(PC);
  }

  async function openContract(page: Page): Promise<void> {
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: CONTRACT_NO }).first().click(),
    ]);
  }

  it('the agriculture bureau draws the sample, records each visit with a photo and approves', async () => {
    expect(await state()).toBe('districtAudit');
    const page = await loggedIn(world.agri);
    await page.getByRole('heading', { name: /抽样走访/ }).waitFor({ state: 'visible' });
    await check(page, 'todo-district');
    await openContract(page);
    await check(page, 'audit-sample');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '抽取样本' }).click(),
    ]);
    await page.getByText('样本已抽取，请逐户登记走访。').waitFor({ state: 'visible' });
    const visits = await page.getByRole('button', { name: '登记走访' }).count();
    expect(visits).toBeGreaterThanOrEqual(1);
    for (let visit = 0; visit < visits; visit++) {
      const form = page.locator('form[id^="visit-"]').first();
      const photo = form.getByLabel('走访照片');
      await expect(photo.getAttribute('accept')).resolves.toBe('image/*');
      await expect(photo.getAttribute('capture')).resolves.not.toBeNull();
      await form.getByLabel('走访日期').fill('2015-07-10');
      await form.getByLabel('走访方式').selectOption('household');
      await form.getByLabel('农户是否确认作业').selectOption('true');
      await form.getByLabel('农户满意度').selectOption('satisfied');
      await photo.setInputFiles({ name: 'visit.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
      if (visit === 0) await check(page, 'visit-form');
      await Promise.all([
        page.waitForEvent('load'),
        form.getByRole('button', { name: '登记走访' }).click(),
      ]);
      await page.getByText('走访已登记。').waitFor({ state: 'visible' });
    }
    await expect(page.getByRole('button', { name: '登记走访' }).count()).resolves.toBe(0);
    const sample = await test
      .http()
      .get(`/contracts/${contractId}/audit/sample`)
      .set(world.agri.auth)
      .expect(200);
    for (const row of sample.body.rows as { visit: { photos: { sha256: string }[] } | null }[])
      expect(row.visit?.photos).toHaveLength(1);
    await page.getByLabel('审核意见（驳回时必填）').fill('抽样走访属实');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '审核通过' }).click(),
    ]);
    await page.getByText('已审核通过。').waitFor({ state: 'visible' });
    await check(page, 'sample-visited');
    await page.context().close();
  }, 300_000); // logins and axe at two sizes in a browser on a shared machine: liveness only

  it('the finance bureau approves; the agriculture bureau publishes the media notice', async () => {
    const finance = await loggedIn(world.approver);
    await finance.getByRole('heading', { name: /区级审核/ }).waitFor({ state: 'visible' });
    await openContract(finance);
    await check(finance, 'audit-form');
    await Promise.all([
      finance.waitForEvent('load'),
      finance.getByRole('button', { name: '审核通过' }).click(),
    ]);
    await finance.getByText('已审核通过。').waitFor({ state: 'visible' });
    await finance.context().close();
    expect(await state()).toBe('audited');

    const agri = await loggedIn(world.agri);
    await openContract(agri);
    await agri.getByLabel('媒体名称').fill('《亳州晚报》');
    await agri.getByLabel('发布日期').fill('2015-07-20');
    await check(agri, 'media-notice-form');
    await Promise.all([
      agri.waitForEvent('load'),
      agri.getByRole('button', { name: '发布媒体公示' }).click(),
    ]);
    await agri.getByText('媒体公示已发布（7 天）。').waitFor({ state: 'visible' });
    await agri.context().close();
    expect(await state()).toBe('mediaNotice');
  }, 300_000); // logins and axe at two sizes in a browser on a shared machine: liveness only

  it('seven days on, 发放补助 double-clicked pays once; a batch, the bank file, the result file: paid', async () => {
    await advanceClock(test, world.admin, { advanceDays: 7 });
    expect(await state()).toBe('payable');
    const page = await loggedIn(world.finance);
    await page.getByRole('heading', { name: /发放补助/ }).waitFor({ state: 'visible' });
    await openContract(page);
    await check(page, 'payout-form');
    const posts: { url: string; body: string }[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/payouts'))
        posts.push({ url: request.url(), body: request.postData() ?? '' });
    });
    await page.getByRole('button', { name: '发放补助' }).dblclick();
    // The second click's navigation may abort the first's (net::ERR_ABORTED): wait for the one
    // that lands.
    await page.waitForURL(/\?done=payout$/).catch(async (error: Error) => {
      if (!error.message.includes('ERR_ABORTED')) throw error;
      await page.waitForURL(/\?done=payout$/);
    });
    await page.getByText('补助已发放').waitFor({ state: 'visible' });
    // Chromium may fold the two clicks into one navigation; the form as it was sent, sent once
    // more (what a second click or a retry after a timeout sends), is answered the same.
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts[0].body).toMatch(/idempotencyKey=[0-9a-f-]{36}/);
    const again = await page.context().request.post(posts[0].url, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: posts[0].body,
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe(`/desk/contracts/${contractId}?done=payout`);
    const payouts = await test.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM payout WHERE contract_id = $1',
      [contractId],
    );
    expect(payouts[0].n).toBe(1);
    expect(await state()).toBe('payoutIssued');

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: '支付批次' }).click(),
    ]);
    await check(page, 'payment-batches');
    await page.getByRole('button', { name: '生成批次' }).click();
    await page.waitForURL(/\/desk\/payment-batches\/[0-9a-f-]{36}\?done=created$/);
    await page.getByText('批次已生成，请下载文件送银行。').waitFor({ state: 'visible' });
    await check(page, 'payment-batch');

    // The bank file as the link gives it (the session's cookie), and the bank's answer from it.
    const href = await page
      .getByRole('link', { name: '下载送银行文件（CSV）' })
      .getAttribute('href');
    const file = await page.context().request.get(`${baseUrl}${href}`);
    expect(file.status()).toBe(200);
    const lines = (await file.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const head = lines[0].split(',');
    const row = lines[1].split(',');
    const cell = (name: string) => row[head.indexOf(name)].replace(/^"|"$/g, '');
    const result = [
      '拨付单号,银行账号,金额(元),状态,银行流水号,失败原因',
      `${cell('拨付单号')},${cell('银行账号')},${cell('金额(元)')},成功,NX2015072800123,`,
      `P-NOT-IN-BATCH,6228480000000000000,1.00,成功,NX2015072800124,`,
    ].join('\n');
    await page.getByLabel('银行回单').setInputFiles({
      name: 'bank-result.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(result),
    });
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '上传银行回单' }).click(),
    ]);
    await page
      .getByRole('heading', { name: '银行回单已登记：到账 1 笔，退回 0 笔' })
      .waitFor({ state: 'visible' });
    const rejected = await page.locator('#rejections + .table-wrap tbody tr').allTextContents();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/^3/);
    await page.getByText('银行已确认到账').waitFor({ state: 'visible' });
    await check(page, 'bank-result');
    expect(await state()).toBe('paid');
    await page.context().close();
  }, 300_000); // logins and axe at two sizes in a browser on a shared machine: liveness only
});

import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Api, type Session } from '../support/api';
import { advanceClock, toRunningNotice } from '../support/lifecycle';
import { createTestApp, type TestApp } from '../support/test-app';

/** Debian's chromium (.ci/run installs it with apt-get): never a browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** BOARD_SCREENSHOTS=1 writes docs/board/*.png (committed, shown in the README); CI leaves them. */
const SCREENSHOTS = process.env.BOARD_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'board');

describe('the notice board in a real browser on a phone: board, notice, objection, outcome', () => {
  let test: TestApp;
  let api: Api;
  let verifier: Session;
  let noticeId: string;
  let title: string;
  let baseUrl: string;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;

  /** No serious or critical accessibility violation (axe-core) on the page as it is now. */
  const expectAccessible = async (name: string): Promise<void> => {
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        page: name,
        rule: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.map((node) => node.target.join(' ')),
      }));
    expect(bad).toEqual([]);
  };

  const screenshot = async (name: string): Promise<void> => {
    if (!SCREENSHOTS) return;
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium fonts-wqy-microhei" (.ci/run does) or set CHROMIUM_PATH`,
      );
    }
    test = await createTestApp({ testClock: true });
    api = new Api(test);
    const running = await toRunningNotice(test, api);
    ({ verifier, noticeId } = running);
    title = (await test.http().get(`/public/notices/${noticeId}`).expect(200)).body.title as string;
    const server = test.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // A cheap phone: small screen, touch, Chinese locale, Beijing time.
    context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      javaScriptEnabled: true, // axe needs it; the pages themselves have no script
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('opens the board, opens the notice, files an objection through the form and sees it counted', async () => {
    const board = await page.goto(`${baseUrl}/board`);
    expect(board?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '正在公示的作业面积',
    );
    await page.getByRole('heading', { name: '王各村', exact: true }).waitFor({ state: 'visible' });
    await expectAccessible('board');
    await screenshot('board');

    await page.getByRole('link', { name: title }).click();
    await page.waitForURL(`${baseUrl}/board/notices/${noticeId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
    await expect(page.locator('#objection-count').textContent()).resolves.toBe('暂无异议。');
    // Nothing wider than the phone: no sideways scrolling to read the rows.
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(375);
    await expectAccessible('notice');
    await screenshot('notice');

    await page.getByLabel('您的姓名').fill('王大爷');
    await page.getByLabel('联系电话').fill('1381234');
    await page.getByLabel('异议内容').fill('我家 3 号地只收了一半，面积不对。');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '提交异议' }).click(),
    ]);
    await expect(page.locator('#phone').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.locator('#phone-error').waitFor({ state: 'visible' });
    await expect(page.getByLabel('异议内容').inputValue()).resolves.toBe(
      '我家 3 号地只收了一半，面积不对。',
    );
    await expectAccessible('form error');
    await screenshot('form-error');

    await page.getByLabel('联系电话').fill('13812345678');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: '提交异议' }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('异议已提交');
    const ref = await page.locator('#reference').textContent();
    expect(ref).toMatch(/^[0-9A-F]{8}$/);
    await expectAccessible('confirmation');
    await screenshot('confirmation');

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: `返回公示：${title}` }).click(),
    ]);
    await expect(page.locator('#objection-count').textContent()).resolves.toBe(
      '共收到异议 1 件：处理中 1 件，已驳回 0 件，已采纳 0 件。',
    );
    await page.getByText(`异议编号 ${ref}`).waitFor({ state: 'visible' });
    await expect(page.getByText('王大爷').count()).resolves.toBe(0);
  });

  it('shows the outcome once the village verifier resolves it, and the notice closed after its 7 days', async () => {
    const open = await test
      .http()
      .get(`/objections?noticeId=${noticeId}&state=open`)
      .set(verifier.auth)
      .expect(200);
    expect(open.body.items).toHaveLength(1);
    await test
      .http()
      .post(`/objections/${open.body.items[0].id}/resolve`)
      .set(verifier.auth)
      .send({ outcome: 'dismissed', note: '经村核实小组现场复核，3 号地面积无误。' })
      .expect(200);
    await page.reload();
    await page.getByText('经核实，异议不成立（已驳回）').waitFor({ state: 'visible' });
    await expect(
      page.getByText('处理说明：经村核实小组现场复核，3 号地面积无误。').count(),
    ).resolves.toBe(1);

    await advanceClock(test, await api.admin(), { advanceDays: 7.1 });
    await page.reload();
    await page.getByText('本公示已关闭，不再接收异议。').waitFor({ state: 'visible' });
    await expect(page.locator('#objection-count').textContent()).resolves.toBe(
      '共收到异议 1 件：处理中 0 件，已驳回 1 件，已采纳 0 件。',
    );
    await expect(page.locator('form').count()).resolves.toBe(0);
    await expectAccessible('closed notice');
    await screenshot('closed');
  });

  it('works with JavaScript switched off: the pages have no script, the form posts as plain HTML', async () => {
    const other = await toRunningNotice(test, api);
    const plain = await browser!.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      locale: 'zh-CN',
      javaScriptEnabled: false,
    });
    try {
      const noScript = await plain.newPage();
      await noScript.goto(`${baseUrl}/board/notices/${other.noticeId}`);
      await expect(noScript.locator('script').count()).resolves.toBe(0);
      await noScript.getByLabel('您的姓名').fill('李婶');
      await noScript.getByLabel('联系电话').fill('0558-5123456');
      await noScript.getByLabel('异议内容').fill('这块地是我家的，不是他家的。');
      await Promise.all([
        noScript.waitForEvent('load'),
        noScript.getByRole('button', { name: '提交异议' }).click(),
      ]);
      await expect(noScript.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        '异议已提交',
      );
    } finally {
      await plain.close();
    }
  });

  it('answers a stale form (403) and a flood (429 with Retry-After) with readable pages', async () => {
    const other = await toRunningNotice(test, api);
    const fill = async (phone: string) => {
      await page.getByLabel('您的姓名').fill('赵六');
      await page.getByLabel('联系电话').fill(phone);
      await page.getByLabel('异议内容').fill('面积有出入。');
    };
    await page.goto(`${baseUrl}/board/notices/${other.noticeId}`);
    await context.clearCookies(); // as if the phone had dropped the cookie since the page loaded
    await fill('13900000001');
    const [forbidden] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.waitForEvent('load'),
      page.getByRole('button', { name: '提交异议' }).click(),
    ]);
    expect(forbidden.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '页面已过期，请重新打开公示再提交',
    );
    await expectAccessible('403');
    await screenshot('forbidden');

    await page.goto(`${baseUrl}/board/notices/${other.noticeId}`);
    let status = 0;
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 40 && status !== 429; attempt++) {
      await fill('139');
      const [response] = await Promise.all([
        page.waitForResponse((candidate) => candidate.request().method() === 'POST'),
        page.waitForEvent('load'),
        page.getByRole('button', { name: '提交异议' }).click(),
      ]);
      status = response.status();
      retryAfter = await response.headerValue('retry-after');
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '提交太频繁，请稍后再试',
    );
    await expectAccessible('429');
    await screenshot('too-many');
  });

  it('answers an unknown notice with a readable 404 page', async () => {
    const response = await page.goto(`${baseUrl}/board/notices/${randomUUID()}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '没有找到这份公示',
    );
    await expectAccessible('404');
    await screenshot('not-found');
  });
});

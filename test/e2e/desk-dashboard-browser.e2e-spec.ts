/**
 * Issue 26's pages in real Chromium at a phone's size (360×740) and a PC's (1280×800), on the
 * demo's 2014 project: the dashboard (its picker, then the charts), a paid contract's calculation
 * sheet, and admin's users page (with a temporary password shown once). axe on every page: no
 * serious or critical violation; no page wider than the screen; the charts are drawn (SVG with
 * bars) and nothing runs (no script). DESK_SCREENSHOTS=1 writes docs/desk/*.png (the README).
 */
import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data';
import { Api } from '../support/api';
import { TEST_ADMIN, createTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.DESK_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'desk');

const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740, isMobile: true },
  { name: 'pc', width: 1280, height: 800, isMobile: false },
] as const;

describe('the dashboard, the calculation sheet and the users page in Chromium', () => {
  let test: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let projectId: string;
  let paidContractId: string;
  let userId: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}`);
    test = await createTestApp({ seedDemo: true });
    const api = new Api(test);
    const agri = await api.login('agri', DEMO_PASSWORD);
    const projects = await test.http().get('/projects').set(agri.auth).expect(200);
    projectId = (projects.body.items as { id: string; code: string }[]).find(
      (project) => project.code === 'QC2014-SH',
    )!.id;
    const paid = await test
      .http()
      .get(`/contracts?projectId=${projectId}&state=paid`)
      .set(agri.auth)
      .expect(200);
    paidContractId = (paid.body.items as { id: string }[])[0].id;
    const users = await test
      .http()
      .get('/users?role=village_verifier')
      .set((await api.admin()).auth)
      .expect(200);
    userId = (users.body.items as { id: string }[])[0].id;
    const server = test.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 180_000); // the demo's seed and a browser's start on a loaded machine: a liveness bound
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  describe.each(VIEWPORTS)('at $width×$height', (viewport) => {
    async function loggedIn(username: string, password: string): Promise<Page> {
      const context = await browser!.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        isMobile: viewport.isMobile,
        hasTouch: viewport.isMobile,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        javaScriptEnabled: true,
      });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/desk/login`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
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
      expect(await page.locator('script').count()).toBe(0);
      if (SCREENSHOTS) {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `${viewport.name}-${name}.png`),
          fullPage: true,
        });
      }
    }

    it('the dashboard: the picker, then six charts each with its table', async () => {
      const page = await loggedIn('agri', DEMO_PASSWORD);
      await page.getByRole('link', { name: '概览' }).click();
      await page.waitForURL(`${baseUrl}/desk/dashboard`);
      await check(page, 'dashboard-picker');
      await page.getByLabel('选择项目').selectOption(projectId);
      await page.getByRole('button', { name: '查看' }).click();
      await page.waitForURL(`${baseUrl}/desk/dashboard?projectId=${projectId}`);
      const charts = page.locator('figure svg[role="img"]');
      expect(await charts.count()).toBe(6);
      for (let index = 0; index < 6; index += 1) {
        const chart = charts.nth(index);
        expect(await chart.getAttribute('aria-label')).toMatch(/数字见图下的表格/);
        const box = await chart.boundingBox();
        // As wide as the content on a phone (360 − 2 × 12 px), its own 480 px on a PC.
        expect(box!.width).toBeGreaterThanOrEqual(Math.min(viewport.width - 24, 480) - 1);
        expect(box!.width).toBeLessThanOrEqual(480);
        // Bars drawn: paths filled with the series' colours.
        expect(await chart.locator('path[fill^="#"]').count()).toBeGreaterThan(0);
      }
      expect(await page.locator('table').count()).toBe(6);
      await check(page, 'dashboard');
      await page.context().close();
    });

    it('the calculation sheet of a paid contract, from its contract page', async () => {
      const page = await loggedIn('finance', DEMO_PASSWORD);
      await page.goto(`${baseUrl}/desk/contracts/${paidContractId}`);
      await page.getByRole('link', { name: /补助资金计算表/ }).click();
      await page.waitForURL(`${baseUrl}/desk/contracts/${paidContractId}/calculation`);
      await expect(page.locator('h1').textContent()).resolves.toMatch(/^补助资金计算表 · /);
      expect(await page.getByText(/元（四舍五入到分）/).count()).toBeGreaterThan(0);
      await check(page, 'calculation');
      await page.context().close();
    });

    it("admin's users page, and a temporary password shown once", async () => {
      const page = await loggedIn(TEST_ADMIN.username, TEST_ADMIN.password);
      await page.getByRole('link', { name: '用户' }).click();
      await page.waitForURL(`${baseUrl}/desk/users`);
      await check(page, 'users');
      await page.locator(`form[action="/desk/users/${userId}/password"] button`).click();
      await page.waitForURL(`${baseUrl}/desk/users/${userId}/password`);
      expect(await page.locator('#temporary-password').textContent()).toMatch(/^[A-Za-z2-9]{14}$/);
      await check(page, 'users-password');
      await page.context().close();
    });
  });
});

import { Api } from '../support/api';
import { toRunningNotice } from '../support/lifecycle';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 22: two cards of the board read the same (`邹李村 小麦机收 作业面积公示` for the 2014 and
 * the 2026 project). Every card names its project and year.
 */
describe('board cards', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(async () => {
    await test.close();
  });

  it('two seasons of one village and task: each card names its project and year, and they differ', async () => {
    const api = new Api(test);
    const older = await toRunningNotice(test, api);
    const newer = await toRunningNotice(test, api);
    // The second world's project as a later season of the same work (data only, test side).
    await test.dataSource.query(
      `UPDATE project SET year = 2026, name = '2026年农业生产社会化服务项目'
        WHERE id = (SELECT project_id FROM contract WHERE id = $1)`,
      [newer.id],
    );
    const [{ year, name }] = await test.dataSource.query<{ year: number; name: string }[]>(
      `SELECT p.year, p.name FROM project p JOIN contract c ON c.project_id = p.id WHERE c.id = $1`,
      [older.id],
    );
    const titles = await test.dataSource.query<{ title: string }[]>(
      `SELECT title FROM notice WHERE id = ANY($1) ORDER BY title`,
      [[older.noticeId, newer.noticeId]],
    );
    expect(titles[0].title).toBe(titles[1].title); // the notices' own titles are the same

    const page = (await test.http().get('/board').expect(200)).text;
    const card = (noticeId: string): string => {
      const at = page.indexOf(`href="/board/notices/${noticeId}"`);
      expect(at).toBeGreaterThan(0);
      const start = page.lastIndexOf('<div class="card">', at);
      return page.slice(start, page.indexOf('</div>', at)).replace(/<[^>]+>/g, ' ');
    };
    const [first, second] = [card(older.noticeId), card(newer.noticeId)];
    expect(first).toContain(`${year}年 ${titles[0].title}`);
    expect(first).toContain(`${year}年度 ${name}`);
    expect(second).toContain(`2026年 ${titles[0].title}`);
    expect(second).toContain('2026年度 2026年农业生产社会化服务项目');
    expect(first).not.toEqual(second);
  }, 180_000);
});

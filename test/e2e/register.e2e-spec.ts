import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { residentId } from '../factories/register-rows';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { uploadClaimAttachments } from '../support/lifecycle';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

const HEADER = [
  '村',
  '农户姓名',
  '身份证号',
  '地块编号',
  '作业环节',
  '面积（亩）',
  '作业日期',
  '机械牌号',
  '机手',
  '镇包村干部签字',
  '村干部签字',
  '机手签字',
  '农户签字',
];

/** Good rows in 王各村, written as an office writes them: names, not codes. */
function goodRows(prefix: string, count: number): string[][] {
  return Array.from({ length: count }, (_, index) => [
    '王各村',
    ['张三', '李四', '王秀英', '赵建国'][index % 4],
    residentId(1000 + index),
    `${prefix}-${index + 1}`,
    '小麦机收',
    ['2.5', '3.00', '1.25', '4'][index % 4],
    '2015-06-10',
    '皖S-1234',
    '刘机手',
    '周干部',
    '吴干部',
    '刘机手',
    '1',
  ]);
}

function csv(rows: string[][]): string {
  return (
    [HEADER, ...rows]
      .map((row) =>
        row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','),
      )
      .join('\r\n') + '\r\n'
  );
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('清册');
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('household register import (落实到户清册), attachments and complete claims', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  async function contractFor(q: Qiaocheng, index = 0): Promise<string> {
    const { contractIds } = await awardQiaocheng(api, q);
    await test
      .http()
      .post(`/contracts/${contractIds[index]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: `C-${contractIds[index].slice(0, 6)}`, signedOn: '2015-06-01' })
      .expect(200);
    return contractIds[index];
  }

  const upload = (
    q: Qiaocheng,
    contractId: string,
    content: Buffer | string,
    name = 'register.csv',
    coop = 0,
  ) =>
    test
      .http()
      .post(`/contracts/${contractId}/register`)
      .set(q.coops[coop].auth)
      .attach('file', Buffer.from(content), name);

  it('imports the same rows from UTF-8 CSV, GB18030 CSV and XLSX with the same result', async () => {
    const rows = goodRows('P', 8);
    const files: [string, Buffer][] = [
      ['utf8.csv', Buffer.from(csv(rows), 'utf8')],
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(rows), 'utf8')])],
      ['gbk.csv', iconv.encode(csv(rows), 'gb18030')],
      ['register.xlsx', await xlsx(rows)],
    ];
    const results = [];
    for (const [name, content] of files) {
      const q = await buildQiaocheng(api);
      const contractId = await contractFor(q);
      const response = await upload(q, contractId, content, name).expect(200);
      const stored = await test
        .http()
        .get(`/contracts/${contractId}/register?limit=200`)
        .set(q.coops[0].auth)
        .expect(200);
      results.push({
        accepted: response.body.accepted,
        rejected: response.body.rejected,
        // Ids and the district's generated village codes differ between the four projects.
        rows: (
          stored.body.items as { id: string; villageCode: string; householdName: string }[]
        ).map(({ id: _id, ...row }) => ({ ...row, villageCode: 'V' })),
        state: (await test.http().get(`/contracts/${contractId}`).set(q.agri.auth).expect(200)).body
          .state,
      });
      expect(response.body.format).toBe(
        name === 'gbk.csv' ? 'csv-gb18030' : name.endsWith('.xlsx') ? 'xlsx' : 'csv-utf8',
      );
    }
    expect(results[0]).toMatchObject({ accepted: 8, rejected: [], state: 'inService' });
    expect(results[0].rows.map((row) => row.householdName)).toContain('王秀英');
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });

  it('rejects one row of each reason with its code and row number, and stores all the others', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    const good = goodRows('R', 4);
    const bad = (change: (row: string[]) => void): string[] => {
      const row = [...goodRows('X', 1)[0]];
      change(row);
      return row;
    };
    const id = residentId(77);
    const rows = [
      good[0], // row 2
      bad((row) => (row[2] = id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))), // 3 INVALID_ID_NUMBER
      bad((row) => (row[0] = '不存在村')), // 4 UNKNOWN_VILLAGE
      bad((row) => (row[4] = '水稻插秧')), // 5 UNKNOWN_TASK
      bad((row) => (row[5] = '1.234')), // 6 AREA_INVALID
      bad((row) => (row[6] = '2015-07-01')), // 7 AFTER_DEADLINE (deadline 2015-06-30)
      bad((row) => (row[12] = '')), // 8 MISSING_SIGNATURE
      bad((row) => (row[3] = good[0][3])), // 9 DUPLICATE_PLOT_TASK (same file)
      bad((row) => {
        row[3] = 'BIG-1';
        row[5] = '8000'; // the lot gives 王各村's contract 8,000 mu of wheat harvest in all
      }), // 10 OVER_ASSIGNED_AREA
      good[1], // 11
      [...good[2].slice(0, 1), '=HYPERLINK("http://x")', ...good[2].slice(2)], // 12 stored as text
      good[3], // 13
    ];
    const response = await upload(q, contractId, csv(rows)).expect(200);
    expect(
      response.body.rejected.map((rejection: { row: number; code: string }) => [
        rejection.row,
        rejection.code,
      ]),
    ).toEqual([
      [3, 'INVALID_ID_NUMBER'],
      [4, 'UNKNOWN_VILLAGE'],
      [5, 'UNKNOWN_TASK'],
      [6, 'AREA_INVALID'],
      [7, 'AFTER_DEADLINE'],
      [8, 'MISSING_SIGNATURE'],
      [9, 'DUPLICATE_PLOT_TASK'],
      [10, 'OVER_ASSIGNED_AREA'],
    ]);
    expect(response.body.accepted).toBe(4);
    const stored = await test
      .http()
      .get(`/contracts/${contractId}/register`)
      .set(q.coops[0].auth)
      .expect(200);
    expect(stored.body.items.map((row: { row: number }) => row.row)).toEqual([2, 11, 12, 13]);
    expect(stored.body.items[2].householdName).toBe('=HYPERLINK("http://x")');
    expect(stored.body.items[0].householdIdNo).toMatch(/^341602\*{8}/);

    // The same file again adds nothing: every good row is now a duplicate.
    const again = await upload(q, contractId, csv(rows)).expect(200);
    expect(again.body.accepted).toBe(0);
    expect(
      again.body.rejected.filter((r: { code: string }) => r.code === 'DUPLICATE_PLOT_TASK'),
    ).toHaveLength(5);
  });

  it('rejects a plot already registered for the task by another contract of the project', async () => {
    const q = await buildQiaocheng(api);
    const { contractIds } = await awardQiaocheng(api, q);
    for (const id of contractIds.slice(0, 2)) {
      await test
        .http()
        .post(`/contracts/${id}/sign`)
        .set(q.agri.auth)
        .send({ contractNo: `D-${id.slice(0, 6)}`, signedOn: '2015-06-01' })
        .expect(200);
    }
    const first = goodRows('SHARED', 1);
    await upload(q, contractIds[0], csv(first))
      .expect(200)
      .expect((r) => expect(r.body.accepted).toBe(1));
    const second = [[...first[0].slice(0, 0), '邹李村', ...first[0].slice(1)]];
    const response = await upload(q, contractIds[1], csv(second), 'second.csv', 1).expect(200);
    expect(response.body).toMatchObject({
      accepted: 0,
      rejected: [{ row: 2, code: 'DUPLICATE_PLOT_TASK' }],
    });
  });

  it.each([
    [
      'junk bytes',
      Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
      ]),
    ],
    ['an empty file', Buffer.alloc(0)],
    ['a table without our columns', Buffer.from('a,b,c\n1,2,3\n')],
  ])('refuses %s whole with 400 REGISTER_FILE_REJECTED and writes nothing', async (_, content) => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    const response = await expectNoWrites(test.dataSource, () => upload(q, contractId, content));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'REGISTER_FILE_REJECTED',
      reason: expect.any(String),
    });
  });

  it('refuses an import by another cooperative (404) and before signing (409)', async () => {
    const q = await buildQiaocheng(api);
    const { contractIds } = await awardQiaocheng(api, q);
    const notSigned = await expectNoWrites(test.dataSource, () =>
      upload(q, contractIds[0], csv(goodRows('N', 1))),
    );
    expect({ status: notSigned.status, code: notSigned.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });
    const stranger = await expectNoWrites(test.dataSource, () =>
      upload(q, contractIds[0], csv(goodRows('N', 1)), 'x.csv', 1),
    );
    expect(stranger.status).toBe(404);
  });

  it('a claim needs the three attachments, names what is missing, then claims the right area per village', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    await upload(q, contractId, csv(goodRows('C', 4))).expect(200);
    const claim = () =>
      test
        .http()
        .post(`/contracts/${contractId}/task-lines/wheat_harvest/claim`)
        .set(q.coops[0].auth);

    const incomplete = await expectNoWrites(test.dataSource, () => claim());
    expect(incomplete.status).toBe(409);
    expect(incomplete.body).toMatchObject({
      code: 'CLAIM_INCOMPLETE',
      missing: ['legal_person_certificate', 'contract_scan', 'register_scan'],
    });

    const attachment = await test
      .http()
      .post(`/contracts/${contractId}/attachments`)
      .set(q.coops[0].auth)
      .field('kind', 'legal_person_certificate')
      .attach('file', Buffer.from('certificate'), 'cert.pdf')
      .expect(201);
    expect(attachment.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const partly = await claim().expect(409);
    expect(partly.body.missing).toEqual(['contract_scan', 'register_scan']);

    await uploadClaimAttachments(test, q.coops[0], contractId);
    const claimed = await claim().expect(200);
    const wheat = claimed.body.taskLines.find(
      (line: { taskCode: string }) => line.taskCode === 'wheat_harvest',
    );
    expect(wheat).toMatchObject({
      state: 'claimed',
      claimedAreaMu: '10.75',
      villageParts: [
        { villageCode: q.villages[0].code, state: 'verifying', claimedAreaMu: '10.75' },
      ],
    });
    const rows = await test
      .http()
      .get(`/contracts/${contractId}/register?taskCode=wheat_harvest`)
      .set(q.coops[0].auth)
      .expect(200);
    expect(rows.body.items.every((row: { state: string }) => row.state === 'claimed')).toBe(true);
    const frozen = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .delete(`/contracts/${contractId}/register/${rows.body.items[0].id}`)
        .set(q.coops[0].auth),
    );
    expect({ status: frozen.status, code: frozen.body.code }).toEqual({
      status: 409,
      code: 'ROW_FROZEN',
    });
  });

  it('withdraws a row still being worked; its plot can then be registered again', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    const rows = goodRows('W', 1);
    await upload(q, contractId, csv(rows)).expect(200);
    const list = await test
      .http()
      .get(`/contracts/${contractId}/register`)
      .set(q.coops[0].auth)
      .expect(200);
    const withdrawn = await test
      .http()
      .delete(`/contracts/${contractId}/register/${list.body.items[0].id}`)
      .set(q.coops[0].auth)
      .expect(200);
    expect(withdrawn.body.state).toBe('withdrawn');
    const again = await upload(q, contractId, csv(rows)).expect(200);
    expect(again.body.accepted).toBe(1);
  });

  it('corrects a row not yet claimed, checking it again; a bad correction answers its reject code', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    await upload(q, contractId, csv(goodRows('K', 2))).expect(200);
    const list = await test
      .http()
      .get(`/contracts/${contractId}/register`)
      .set(q.coops[0].auth)
      .expect(200);
    const [first, second] = list.body.items as { id: string; plotCode: string }[];
    const patch = (id: string, body: object) =>
      test.http().patch(`/contracts/${contractId}/register/${id}`).set(q.coops[0].auth).send(body);

    const corrected = await patch(first.id, { areaMu: '1.50', householdName: '张三丰' }).expect(
      200,
    );
    expect(corrected.body).toMatchObject({
      areaMu: '1.50',
      householdName: '张三丰',
      state: 'working',
    });
    for (const [body, code] of [
      [{ plotCode: second.plotCode }, 'DUPLICATE_PLOT_TASK'],
      [{ workDate: '2015-07-02' }, 'AFTER_DEADLINE'],
      [{ farmerSigned: '否' }, 'MISSING_SIGNATURE'],
      [{ householdIdNo: '34160219900101123' }, 'INVALID_ID_NUMBER'],
    ] as const) {
      const response = await expectNoWrites(test.dataSource, () => patch(first.id, body));
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code });
    }
    const unknownField = await expectNoWrites(test.dataSource, () =>
      patch(first.id, { state: 'claimed' }),
    );
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
  });

  it('stores attachments by content: the same file twice is one file on disk', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await contractFor(q);
    const send = () =>
      test
        .http()
        .post(`/contracts/${contractId}/attachments`)
        .set(q.coops[0].auth)
        .field('kind', 'other')
        .attach('file', Buffer.from('同一个文件'), 'a.txt')
        .expect(201);
    // Every file under files/ (earlier uploads of this file can share a files/<two hex>/ folder).
    const root = path.join(test.config.dataDir, 'files');
    const stored = () =>
      fs.existsSync(root)
        ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((entry) =>
            fs.statSync(path.join(root, entry)).isFile(),
          )
        : [];
    const before = new Set(stored());
    const [a, b] = [await send(), await send()];
    expect(a.body.sha256).toBe(b.body.sha256);
    expect(a.body.id).not.toBe(b.body.id);
    const added = stored().filter((entry) => !before.has(entry));
    expect(added).toEqual([path.join(a.body.sha256.slice(0, 2), a.body.sha256)]);
    expect(fs.readFileSync(path.join(root, added[0]), 'utf8')).toBe('同一个文件');
    const bad = await expectNoWrites(test.dataSource, () =>
      test
        .http()
        .post(`/contracts/${contractId}/attachments`)
        .set(q.coops[0].auth)
        .field('kind', 'selfie')
        .attach('file', Buffer.from('x'), 'x.txt'),
    );
    expect({ status: bad.status, code: bad.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });
});

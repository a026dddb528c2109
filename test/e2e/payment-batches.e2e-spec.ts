/**
 * Payment batches and the bank's result file (api.md; issue 14): batches of issued payouts, the
 * file for the bank, and the bank's answer confirming or failing each payout through the
 * contract workflow, with every row code, re-uploads, encodings, and two uploads racing.
 *
 * The race test is run by hand against the weakened twin (payout-settle, test/support/weakened.ts:
 * settling a payout without the contract's row lock and its version check):
 *   TEST_WEAKEN=payout-settle npx jest test/e2e/payment-batches.e2e-spec.ts -t race
 * and failed as it should; the figures are in docs/benchmarks.md ("Payment batches").
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readTableFile } from '../../src/common/files/table-file';
import { Api, type Session } from '../support/api';
import { advanceClock } from '../support/lifecycle';
import { pdfText } from '../support/pdf-text';
import { expectNoWrites } from '../support/fingerprint';
import { issuePayout, payableContracts, type PayableWorld } from '../support/payable';
import { race, uploadRequest } from '../support/race-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { readWeakenings, twinProviders } from '../support/weakened';

type Payout = Awaited<ReturnType<typeof issuePayout>>;
type Row = Partial<Record<'no' | 'account' | 'amount' | 'status' | 'ref' | 'reason', string>>;

const CHINESE = ['拨付单号', '银行账号', '金额(元)', '状态', '银行流水号', '失败原因'];
const ENGLISH = ['payoutNo', 'bankAccountNo', 'amountYuan', 'status', 'bankReference', 'reason'];

/** supertest: the body as a Buffer. */
const binary = (
  response: { on: (event: string, listener: (chunk?: Buffer) => void) => unknown },
  done: (error: Error | null, body: Buffer) => void,
): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk) => chunks.push(chunk as Buffer));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function csv(rows: Row[], header = CHINESE): string {
  const cell = (text = '') => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [
    header.join(','),
    ...rows.map((r) => [r.no, r.account, r.amount, r.status, r.ref, r.reason].map(cell).join(',')),
  ].join('\r\n');
}

async function xlsx(rows: Row[], header = CHINESE): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('结果');
  sheet.addRow(header);
  // Amounts as number cells, as a bank's spreadsheet has them; account numbers as text.
  for (const r of rows)
    sheet.addRow([r.no, r.account, r.amount && Number(r.amount), r.status, r.ref, r.reason]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const success = (payout: Payout, ref: string): Row => ({
  no: payout.payoutNo,
  account: payout.payee.bankAccountNo,
  amount: yuan(payout.amountFen),
  status: '成功',
  ref,
});
const failure = (payout: Payout, reason: string): Row => ({
  no: payout.payoutNo,
  account: payout.payee.bankAccountNo,
  amount: yuan(payout.amountFen),
  status: '失败',
  reason,
});

describe('payment batches and the bank result file', () => {
  let test: TestApp;
  let api: Api;
  let world: PayableWorld;
  let finance: Session;
  let next = 0;
  /** The next payable contract of the world, with its payout issued. */
  const issueNext = async (): Promise<Payout> =>
    issuePayout(test, finance, world.contractIds[next++]);
  const http = () => test.http();
  const createBatch = (body: object, session = finance) =>
    http().post('/payment-batches').set(session.auth).send(body);
  const upload = (batchId: string, file: Buffer | string, name = 'result.csv') =>
    http()
      .post(`/payment-batches/${batchId}/result`)
      .set(finance.auth)
      .attach('file', Buffer.from(file), name);
  const batch = async (id: string) =>
    (await http().get(`/payment-batches/${id}`).set(finance.auth).expect(200)).body;
  const contractState = async (id: string): Promise<string> =>
    (await http().get(`/contracts/${id}`).set(world.agri.auth).expect(200)).body.state;
  /** How many payout.confirmed / payout.failed events each contract's history has. */
  const settleEvents = async (contractIds: string[]) =>
    test.dataSource.query<{ contract_id: string; event: string; n: number }[]>(
      `SELECT contract_id, event, count(DISTINCT seq)::int AS n FROM contract_history
        WHERE contract_id = ANY($1::uuid[]) AND event IN ('payout.confirmed', 'payout.failed')
        GROUP BY contract_id, event`,
      [contractIds],
    );

  beforeAll(async () => {
    // The race test's negative control: the weakened twin, only when asked for (see the header).
    const providers = twinProviders(readWeakenings(process.env.TEST_WEAKEN));
    test = await createTestApp({ testClock: true }, { providers });
    api = new Api(test);
    world = await payableContracts(test, api, 40);
    finance = world.finance;
  }, 120_000);
  afterAll(async () => {
    await test?.close();
  });

  it('makes batches of issued payouts: named, all waiting, and every refusal', async () => {
    const [a, b, c] = [await issueNext(), await issueNext(), await issueNext()];
    expect(a.payoutNo).toMatch(new RegExp(`^BF${world.district}-\\d{8}$`));

    const first = await createBatch({ payoutIds: [a.id] }).expect(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      batchNo: expect.stringMatching(new RegExp(`^PB${world.district}-\\d{4}-0001$`)),
      state: 'sent',
      count: 1,
      totalFen: a.amountFen,
      totalYuan: yuan(a.amountFen),
      payoutIds: [a.id],
    });

    const again = await expectNoWrites(test.dataSource, () =>
      createBatch({ payoutIds: [b.id, a.id] }),
    );
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 409,
      code: 'PAYOUT_IN_BATCH',
    });

    // A failed payout is not issued: INVALID_TRANSITION.
    await http()
      .post(`/payouts/${c.id}/fail`)
      .set(finance.auth)
      .send({ reason: '账户冻结' })
      .expect(200);
    const notIssued = await expectNoWrites(test.dataSource, () =>
      createBatch({ payoutIds: [c.id] }),
    );
    expect({ status: notIssued.status, code: notIssued.body.code }).toEqual({
      status: 409,
      code: 'INVALID_TRANSITION',
    });

    // Outside the district: 404; other roles: 403.
    const otherTree = await api.regionTree(1);
    const outsider = await api.user('district_finance', { regionCode: otherTree.district });
    const foreign = await expectNoWrites(test.dataSource, () =>
      createBatch({ payoutIds: [b.id] }, outsider),
    );
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    await http().get(`/payment-batches/${first.body.id}`).set(outsider.auth).expect(404);
    await http().get(`/payment-batches/${first.body.id}/file`).set(outsider.auth).expect(404);
    const outsideUpload = await http()
      .post(`/payment-batches/${first.body.id}/result`)
      .set(outsider.auth)
      .attach('file', Buffer.from(csv([success(a, 'X')])), 'r.csv');
    expect(outsideUpload.status).toBe(404);
    expect((await http().get('/payment-batches').set(outsider.auth).expect(200)).body).toEqual({
      items: [],
      total: 0,
    });
    const byAgri = await expectNoWrites(test.dataSource, () => createBatch({}, world.agri));
    expect({ status: byAgri.status, code: byAgri.body.code }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    await http().get(`/payment-batches/${first.body.id}`).set(world.agri.auth).expect(403);
    const byCoop = await expectNoWrites(test.dataSource, () => createBatch({}, world.coops[0]));
    expect({ status: byCoop.status, code: byCoop.body.code }).toEqual({
      status: 403,
      code: 'SEPARATION_OF_DUTIES',
    });
    const badBody = await expectNoWrites(test.dataSource, () =>
      createBatch({ payoutIds: ['not-a-uuid'] }),
    );
    expect({ status: badBody.status, code: badBody.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    // Without payoutIds: every issued payout of the district in no batch (b and c's new one).
    const c2 = await issuePayout(test, finance, c.contractId, 'c-second');
    const all = await createBatch({}).expect(201);
    expect(all.body).toMatchObject({ count: 2, totalFen: b.amountFen + c2.amountFen });
    expect([...all.body.payoutIds].sort()).toEqual([b.id, c2.id].sort());
    const empty = await expectNoWrites(test.dataSource, () => createBatch({}));
    expect({ status: empty.status, code: empty.body.code }).toEqual({
      status: 409,
      code: 'BATCH_EMPTY',
    });
    const emptyList = await expectNoWrites(test.dataSource, () => createBatch({ payoutIds: [] }));
    expect({ status: emptyList.status, code: emptyList.body.code }).toEqual({
      status: 409,
      code: 'BATCH_EMPTY',
    });

    const listed = await http().get('/payment-batches?state=sent').set(finance.auth).expect(200);
    expect(listed.body.total).toBe(2);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([
      all.body.id,
      first.body.id,
    ]);
    expect(
      (await http().get('/payment-batches?state=reconciled').set(finance.auth)).body.total,
    ).toBe(0);
    expect(await batch(all.body.id)).toMatchObject({
      state: 'sent',
      byState: {
        issued: { count: 2, amountFen: b.amountFen + c2.amountFen },
        confirmed: { count: 0, amountFen: 0, amountYuan: '0.00' },
        failed: { count: 0, amountFen: 0 },
      },
    });
  });

  it('writes the bank file in CSV and XLSX: account numbers as text, formula-safe cells', async () => {
    const payouts = [await issueNext(), await issueNext()];
    // A payee whose account name a spreadsheet would run as a formula.
    await test.dataSource.query(
      `UPDATE payout SET bank_account_name = '=HYPERLINK("x")' WHERE id = $1`,
      [payouts[0].id],
    );
    const created = await createBatch({ payoutIds: payouts.map((p) => p.id) }).expect(201);
    const csvFile = await http()
      .get(`/payment-batches/${created.body.id}/file?format=csv`)
      .set(finance.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(csvFile.headers['content-type']).toMatch(/^text\/csv/);
    const xlsxFile = await http()
      .get(`/payment-batches/${created.body.id}/file?format=xlsx`)
      .set(finance.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);

    const spec = {
      columns: ['batchNo', 'payoutNo', 'account', 'accountName', 'amount'] as const,
      headers: {
        batchNo: ['批次号'],
        payoutNo: ['拨付单号'],
        account: ['银行账号'],
        accountName: ['户名'],
        amount: ['金额(元)'],
      },
    };
    for (const content of [csvFile.body as Buffer, xlsxFile.body as Buffer]) {
      const { rows } = await readTableFile(content, { maxRows: 100, maxBytes: 1e7 }, spec);
      expect(rows.map((row) => row.cells)).toEqual([
        ...payouts.map((p, index) => ({
          batchNo: created.body.batchNo,
          payoutNo: p.payoutNo,
          account: p.payee.bankAccountNo,
          accountName: index === 0 ? `'=HYPERLINK("x")` : expect.any(String),
          amount: yuan(p.amountFen),
        })),
        {
          batchNo: '合计',
          payoutNo: '',
          account: '',
          accountName: '',
          amount: yuan(payouts[0].amountFen + payouts[1].amountFen),
        },
      ]);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxFile.body as never);
    const sheet = workbook.worksheets[0];
    const account = sheet.getRow(2).getCell(6);
    expect(account.type).toBe(ExcelJS.ValueType.String);
    expect(account.value).toBe(payouts[0].payee.bankAccountNo);
    expect(sheet.getRow(2).getCell(7).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(2).getCell(5).type).toBe(ExcelJS.ValueType.String);
  });

  it('records the bank answer row by row with every row code; the same file again applies nothing', async () => {
    const p: Payout[] = [];
    for (let i = 0; i < 8; i++) p.push(await issueNext());
    const created = await createBatch({ payoutIds: p.map((payout) => payout.id) }).expect(201);
    // Recorded by hand before the file comes: p[6] confirmed with the bank's reference, p[7]
    // confirmed with another one.
    await http()
      .post(`/payouts/${p[6].id}/confirm`)
      .set(finance.auth)
      .send({ bankReference: 'NX-6' })
      .expect(200);
    await http()
      .post(`/payouts/${p[7].id}/confirm`)
      .set(finance.auth)
      .send({ bankReference: 'NX-7' })
      .expect(200);

    const rows: Row[] = [
      success(p[0], 'NX-0'), // row 2: confirmed
      failure(p[1], '账户已销户'), // row 3: failed
      { ...success(p[0], 'NX-0'), no: `BF${world.district}-99999999` }, // row 4: unknown
      { ...success(p[2], 'NX-2'), account: '6222000000000000' }, // row 5: other account
      { ...success(p[3], 'NX-3'), amount: yuan(p[3].amountFen + 1) }, // row 6: other amount
      success(p[4], 'NX-4'), // row 7: p[4] twice
      failure(p[4], '户名不符'), // row 8
      { ...success(p[5], ''), ref: '' }, // row 9: success without reference
      success(p[6], 'NX-6'), // row 10: the same outcome as recorded: counts
      failure(p[7], '户名不符'), // row 11: another outcome: already recorded
      { ...success(p[5], 'NX-5'), no: '', status: '处理中' }, // row 12: no payout number
    ];
    const file = csv(rows);
    const first = await upload(created.body.id, file).expect(200);
    expect(first.body).toEqual({
      confirmed: 2,
      failed: 1,
      rejected: [
        { row: 4, code: 'UNKNOWN_PAYOUT', message: expect.stringContaining(created.body.batchNo) },
        { row: 5, code: 'ACCOUNT_MISMATCH', message: expect.any(String) },
        { row: 6, code: 'AMOUNT_MISMATCH', message: expect.any(String) },
        { row: 7, code: 'DUPLICATE_ROW', message: expect.any(String) },
        { row: 8, code: 'DUPLICATE_ROW', message: expect.any(String) },
        { row: 9, code: 'INVALID_ROW', message: expect.stringContaining('银行流水号') },
        {
          row: 11,
          code: 'ALREADY_RECORDED',
          message: expect.stringContaining('已是“银行已确认到账”'),
        },
        { row: 12, code: 'INVALID_ROW', message: expect.stringContaining('拨付单号') },
      ],
    });
    const states = async () =>
      Promise.all(
        p.map(async (payout) => [
          (await http().get(`/payouts/${payout.id}`).set(finance.auth)).body.state,
          await contractState(payout.contractId),
        ]),
      );
    expect(await states()).toEqual([
      ['confirmed', 'paid'],
      ['failed', 'payable'],
      ['issued', 'payoutIssued'],
      ['issued', 'payoutIssued'],
      ['issued', 'payoutIssued'],
      ['issued', 'payoutIssued'],
      ['confirmed', 'paid'],
      ['confirmed', 'paid'],
    ]);

    // The same file again: the same answer, nothing written at all.
    const replay = await expectNoWrites(test.dataSource, () => upload(created.body.id, file));
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    // In English: the same codes, the kept answer's messages in English (the columns still named
    // as the file names them); by default they were Chinese.
    const english = await expectNoWrites(test.dataSource, () =>
      upload(created.body.id, file).set('Accept-Language', 'en'),
    );
    expect(english.headers['content-language']).toBe('en');
    const codes = (body: { rejected: { row: number; code: string }[] }) =>
      body.rejected.map(({ row, code }) => `${row}:${code}`);
    expect(codes(english.body)).toEqual(codes(first.body));
    expect(first.body.rejected[1].message).toBe(`账号不是拨付单 ${p[2].payoutNo} 收款人的账号`);
    expect(english.body.rejected[1].message).toBe(
      `The account is not the payee's account of payout ${p[2].payoutNo}`,
    );
    expect(first.body.rejected[7].message).toBe('该行没有拨付单号');
    expect(english.body.rejected[7].message).toBe('The row has no 拨付单号');
    // An overlapping file (other bytes): the rows already applied count as before, applied once.
    const overlap = await upload(
      created.body.id,
      csv([success(p[0], 'NX-0'), failure(p[1], '账户已销户')], ENGLISH),
    ).expect(200);
    expect(overlap.body).toEqual({ confirmed: 1, failed: 1, rejected: [] });
    expect(
      (await settleEvents(p.map((payout) => payout.contractId))).every((row) => row.n === 1),
    ).toBe(true);
    expect((await batch(created.body.id)).state).toBe('sent');

    // The rest of the batch: the batch is reconciled; its figures agree with the payouts.
    const rest = await upload(
      created.body.id,
      csv([
        success(p[2], 'NX-2'),
        success(p[3], 'NX-3'),
        failure(p[4], '户名不符'),
        success(p[5], 'NX-5'),
      ]),
    ).expect(200);
    expect(rest.body).toEqual({ confirmed: 3, failed: 1, rejected: [] });
    const done = await batch(created.body.id);
    const fen = (indexes: number[]) => indexes.reduce((sum, i) => sum + p[i].amountFen, 0);
    expect(done).toMatchObject({
      state: 'reconciled',
      reconciledAt: expect.any(String),
      count: 8,
      totalFen: fen([0, 1, 2, 3, 4, 5, 6, 7]),
      byState: {
        issued: { count: 0, amountFen: 0 },
        confirmed: {
          count: 6,
          amountFen: fen([0, 2, 3, 5, 6, 7]),
          amountYuan: yuan(fen([0, 2, 3, 5, 6, 7])),
        },
        failed: { count: 2, amountFen: fen([1, 4]) },
      },
    });
    expect(
      (await http().get('/payment-batches?state=reconciled').set(finance.auth)).body.items,
    ).toEqual([done]);
    // The payout order (拨付单) names the payout number, its batch and its amount.
    const order = await http()
      .get(`/contracts/${p[0].contractId}/documents/payout-order`)
      .set(finance.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { text } = pdfText(order.body as Buffer);
    expect(text).toContain(p[0].payoutNo);
    expect(text).toContain(created.body.batchNo);
    expect(text).toContain(yuan(p[0].amountFen));
  });

  it('reads the same answer from UTF-8, UTF-8 with BOM, GB18030 and XLSX, Chinese or English headers', async () => {
    const p = [await issueNext(), await issueNext()];
    const created = await createBatch({ payoutIds: p.map((payout) => payout.id) }).expect(201);
    const rows = [success(p[0], '流水-甲'), failure(p[1], '账户已销户（张三）')];
    const text = csv(rows);
    const fullWidth = csv(
      rows,
      CHINESE.map((h) => h.replace('(', '（').replace(')', '）')),
    );
    const files: [string, Buffer][] = [
      ['utf8.csv', Buffer.from(text, 'utf8')],
      ['bom.csv', Buffer.from(`\ufeff${text}`, 'utf8')],
      ['gb18030.csv', iconv.encode(text, 'gb18030')],
      ['result.xlsx', await xlsx(rows)],
      ['english.csv', Buffer.from(csv(rows, ENGLISH), 'utf8')],
      ['english.xlsx', await xlsx(rows, ENGLISH)],
      ['full-width.csv', Buffer.from(fullWidth, 'utf8')],
    ];
    const answers = [];
    for (const [name, content] of files)
      answers.push((await upload(created.body.id, content, name).expect(200)).body);
    for (const answer of answers) expect(answer).toEqual({ confirmed: 1, failed: 1, rejected: [] });
    const failed = await http().get(`/payouts/${p[1].id}`).set(finance.auth).expect(200);
    expect(failed.body.state).toBe('failed');
    const [{ failure_reason: reason }] = await test.dataSource.query<{ failure_reason: string }[]>(
      `SELECT failure_reason FROM payout WHERE id = $1`,
      [p[1].id],
    );
    expect(reason).toBe('账户已销户（张三）');
    expect((await settleEvents(p.map((payout) => payout.contractId))).map((row) => row.n)).toEqual([
      1, 1,
    ]);
  });

  it('refuses a file that is not a result file and writes nothing', async () => {
    const p = await issueNext();
    const created = await createBatch({ payoutIds: [p.id] }).expect(201);
    const cases: [string, Buffer][] = [
      ['junk.csv', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00])],
      ['empty.csv', Buffer.alloc(0)],
      ['header-only.csv', Buffer.from(CHINESE.join(','))],
      ['register.csv', Buffer.from('villageCode,householdName\r\n1,2')],
      ['no-status.csv', Buffer.from('拨付单号,银行账号,金额(元)\r\nBF1,2,3')],
      ['broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)])],
      ['latin1.csv', Buffer.from([...Buffer.from(`${CHINESE.join(',')}\r\n`), 0x80, 0xff, 0x80])],
    ];
    for (const [name, content] of cases) {
      const response = await expectNoWrites(test.dataSource, () =>
        upload(created.body.id, content, name),
      );
      expect({ name, status: response.status, code: response.body.code }).toEqual({
        name,
        status: 400,
        code: 'RESULT_FILE_REJECTED',
      });
      expect(response.body.reason).toEqual(expect.any(String));
    }
    const missing = await expectNoWrites(test.dataSource, () =>
      http().post(`/payment-batches/${created.body.id}/result`).set(finance.auth).send({}),
    );
    expect({ status: missing.status, code: missing.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await batch(created.body.id)).byState.issued.count).toBe(1);
  });

  it('pays a failed payout in a new batch with a new key; Σ confirmed = Σ subsidy of paid contracts', async () => {
    const p = await issueNext();
    const firstBatch = await createBatch({ payoutIds: [p.id] }).expect(201);
    await upload(firstBatch.body.id, csv([failure(p, '账户已销户')])).expect(200);
    expect(await contractState(p.contractId)).toBe('payable');
    expect((await batch(firstBatch.body.id)).state).toBe('reconciled');
    // The old key replays the failed payout; a new key makes a new payout with a new number.
    const replay = await issuePayout(test, finance, p.contractId);
    expect(replay.id).toBe(p.id);
    const again = await issuePayout(test, finance, p.contractId, 'second-try');
    expect(again.id).not.toBe(p.id);
    expect(again.payoutNo).not.toBe(p.payoutNo);
    expect(again.amountFen).toBe(p.amountFen);
    const secondBatch = await createBatch({ payoutIds: [again.id] }).expect(201);
    expect(
      (await upload(secondBatch.body.id, csv([success(again, 'NX-again')])).expect(200)).body,
    ).toEqual({
      confirmed: 1,
      failed: 0,
      rejected: [],
    });
    expect(await contractState(p.contractId)).toBe('paid');

    // Money exactness over the whole project, and the summary agrees with the batches.
    const [sums] = await test.dataSource.query<
      { confirmed: string; subsidy: string; paid: string }[]
    >(
      `SELECT (SELECT coalesce(sum(p.amount_fen), 0) FROM payout p JOIN contract c ON c.id = p.contract_id
                WHERE c.project_id = $1 AND p.state = 'confirmed') AS confirmed,
              (SELECT coalesce(sum(subsidy_fen), 0) FROM contract WHERE project_id = $1 AND state = 'paid') AS subsidy,
              (SELECT count(*) FROM contract WHERE project_id = $1 AND state = 'paid') AS paid`,
      [world.projectId],
    );
    expect(Number(sums.confirmed)).toBe(Number(sums.subsidy));
    expect(Number(sums.paid)).toBeGreaterThan(0);
    const summary = await http()
      .get(`/projects/${world.projectId}/summary`)
      .set(world.agri.auth)
      .expect(200);
    const batches = (await http().get('/payment-batches?limit=200').set(finance.auth).expect(200))
      .body.items as {
      byState: { confirmed: { amountFen: number; count: number } };
    }[];
    const confirmedInBatches = batches.reduce((sum, b) => sum + b.byState.confirmed.amountFen, 0);
    expect(summary.body.paidFen).toBe(Number(sums.confirmed));
    expect(confirmedInBatches).toBe(summary.body.paidFen);
    expect(summary.body.contractsByState.paid).toBe(Number(sums.paid));
    expect(batches.reduce((sum, b) => sum + b.byState.confirmed.count, 0)).toBe(Number(sums.paid));
    // Each paid contract's subsidy is the one computed here (area × 63.67, half up).
    const paid = await test.dataSource.query<{ id: string; subsidy_fen: string }[]>(
      `SELECT id, subsidy_fen FROM contract WHERE project_id = $1 AND state = 'paid'`,
      [world.projectId],
    );
    for (const row of paid) expect(Number(row.subsidy_fen)).toBe(world.subsidyFen.get(row.id));
  });

  it('race: two overlapping result files at once never confirm a payout twice, nor confirm and fail it', async () => {
    const size = 16;
    const p: Payout[] = [];
    for (let i = 0; i < size; i++) p.push(await issueNext());
    const created = await createBatch({ payoutIds: p.map((payout) => payout.id) }).expect(201);
    const paying = Buffer.from(csv(p.map((payout) => success(payout, `NX-${payout.payoutNo}`))));
    // In the other order: the two uploads meet in the middle of the batch.
    const refusing = Buffer.from(
      csv([...p].reverse().map((payout) => failure(payout, '银行退票'))),
    );
    {
      // Both uploads race through race(): warm pool, released together behind the barrier.
      const path = `/payment-batches/${created.body.id}/result`;
      const [a, b] = await race(test, [
        uploadRequest(path, paying, 'paid.csv', finance.auth),
        uploadRequest(path, refusing, 'refused.csv', finance.auth),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const answers = [JSON.parse(a.text), JSON.parse(b.text)] as {
        confirmed: number;
        failed: number;
        rejected: { code: string }[];
      }[];
      const events = await settleEvents(p.map((payout) => payout.contractId));
      const twice = events.filter((row) => row.n > 1).length;
      const both = p.filter(
        (payout) => events.filter((row) => row.contract_id === payout.contractId).length > 1,
      ).length;

      console.log(
        `payment batch race: ${answers[0].confirmed} confirmed + ${answers[1].failed} failed of ${size}; settled twice ${twice}, confirmed and failed ${both}`,
      );
      expect({ twice, both }).toEqual({ twice: 0, both: 0 });
      expect(events).toHaveLength(size);
      expect(answers[0].confirmed + answers[1].failed).toBe(size);
      expect(answers[0].rejected.length + answers[1].rejected.length).toBe(size);
      expect(new Set([...answers[0].rejected, ...answers[1].rejected].map((r) => r.code))).toEqual(
        new Set(['ALREADY_RECORDED']),
      );
      for (const payout of p) {
        const state = (await http().get(`/payouts/${payout.id}`).set(finance.auth)).body.state;
        expect(await contractState(payout.contractId)).toBe(
          state === 'confirmed' ? 'paid' : 'payable',
        );
      }
      expect((await batch(created.body.id)).state).toBe('reconciled');

      // The same file twice at once: the same answer, each payout settled once.
      const q: Payout[] = [];
      for (let i = 0; i < 6; i++) q.push(await issueNext());
      const second = await createBatch({ payoutIds: q.map((payout) => payout.id) }).expect(201);
      const file = Buffer.from(csv(q.map((payout) => success(payout, `NX-${payout.payoutNo}`))));
      const same = await race(
        test,
        [1, 2].map(() =>
          uploadRequest(`/payment-batches/${second.body.id}/result`, file, 'r.csv', finance.auth),
        ),
      );
      expect(JSON.parse(same[0].text)).toEqual({ confirmed: 6, failed: 0, rejected: [] });
      expect(JSON.parse(same[1].text)).toEqual(JSON.parse(same[0].text));
      expect((await settleEvents(q.map((payout) => payout.contractId))).map((r) => r.n)).toEqual([
        1, 1, 1, 1, 1, 1,
      ]);
    }
  });

  // Last: it moves the app's clock a year on.
  it('numbers batches per district and year without gaps, and stamps reconciledAt with the app clock', async () => {
    const appNow = async () => (await advanceClock(test, world.admin, { advanceHours: 0 })).now;
    const year = Number((await appNow()).slice(0, 4));
    const numbered = (
      await test.dataSource.query<{ batch_no: string }[]>(
        `SELECT batch_no FROM payment_batch WHERE district_code = $1 ORDER BY created_at, batch_no`,
        [world.district],
      )
    ).map((row) => row.batch_no);
    // Every batch of this file, refusals and races in between: 1, 2, 3, … with no gap.
    expect(numbered.length).toBeGreaterThan(2);
    expect(numbered).toEqual(
      numbered.map(
        (_, index) => `PB${world.district}-${year}-${String(index + 1).padStart(4, '0')}`,
      ),
    );

    const payout = await issueNext();
    const empty = await expectNoWrites(test.dataSource, () => createBatch({ payoutIds: [] }));
    expect(empty.body.code).toBe('BATCH_EMPTY');
    await advanceClock(test, world.admin, { advanceDays: 366 });
    const created = await createBatch({ payoutIds: [payout.id] }).expect(201);
    expect(created.body.batchNo).toBe(`PB${world.district}-${year + 1}-0001`);

    await http()
      .post(`/payouts/${payout.id}/confirm`)
      .set(finance.auth)
      .send({ bankReference: 'NX-YEAR' })
      .expect(200);
    const done = await batch(created.body.id);
    expect(done.state).toBe('reconciled');
    const reconciledAt = Date.parse(done.reconciledAt as string);
    // The app's clock (a year ahead), not the database's.
    expect(Math.abs(reconciledAt - Date.parse(await appNow()))).toBeLessThan(120_000);
    expect(reconciledAt - Date.now()).toBeGreaterThan(360 * 24 * 3600 * 1000);
  });
});

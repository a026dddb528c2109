/**
 * Messages in Chinese by default and in English with `Accept-Language: en`, the same codes in
 * both (api.md, Conventions: language), and registers written by a real office suite
 * (LibreOffice Calc; test/fixtures/office/README.md says how each file was made): an ID column
 * kept as numbers stores no row with an altered ID and says, in Chinese, to store the column as
 * text; the same rows as text import fully; .xls, .ods and a truncated workbook are refused
 * whole, with nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import {
  awardQiaocheng,
  buildQiaocheng,
  invitedTenderBody,
  type Qiaocheng,
} from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'office');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** The resident IDs of the source CSV, in row order (column 3). */
const SOURCE_IDS = fs
  .readFileSync(path.join(FIXTURES, 'register-50.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(',')[2]);

const CJK = /[\u4e00-\u9fff]/;

describe('languages, and registers written by LibreOffice Calc', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  async function signedContract(q: Qiaocheng): Promise<string> {
    const { contractIds } = await awardQiaocheng(api, q);
    await test
      .http()
      .post(`/contracts/${contractIds[0]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: `C-${contractIds[0].slice(0, 6)}`, signedOn: '2015-06-01' })
      .expect(200);
    return contractIds[0];
  }

  const upload = (q: Qiaocheng, contractId: string, file: Buffer, name: string, en = false) => {
    const request = test
      .http()
      .post(`/contracts/${contractId}/register`)
      .set(q.coops[0].auth)
      .attach('file', file, name);
    return en ? request.set('Accept-Language', 'en') : request;
  };

  /** The stored IDs of a contract's register, read from the database (the API masks them). */
  const storedIds = async (contractId: string): Promise<string[]> =>
    (
      await test.dataSource.query<{ household_id_no: string }[]>(
        'SELECT household_id_no FROM register_row WHERE contract_id = $1 ORDER BY row_no',
        [contractId],
      )
    ).map((row) => row.household_id_no);

  it('same codes, Chinese by default and English with Accept-Language: en (problem+json, validation, a machine refusal)', async () => {
    const zhAnswer = await test.http().get('/projects').expect(401);
    const enAnswer = await test.http().get('/projects').set('Accept-Language', 'en').expect(401);
    expect(zhAnswer.body.code).toBe('UNAUTHENTICATED');
    expect(enAnswer.body.code).toBe('UNAUTHENTICATED');
    expect(zhAnswer.body).toMatchObject({ title: '未登录', detail: expect.stringMatching(CJK) });
    expect(enAnswer.body).toMatchObject({
      title: 'Unauthorized',
      detail: 'Send "Authorization: Bearer <accessToken>"; log in at POST /auth/login',
    });
    expect(zhAnswer.headers['content-language']).toBe('zh-CN');
    expect(enAnswer.headers['content-language']).toBe('en');
    // q-values count: English preferred to Chinese, Chinese preferred to English.
    const preferred = await test
      .http()
      .get('/projects')
      .set('Accept-Language', 'zh;q=0.4, en;q=0.9')
      .expect(401);
    expect(preferred.body.title).toBe('Unauthorized');
    const notPreferred = await test
      .http()
      .get('/projects')
      .set('Accept-Language', 'en;q=0.4, zh-CN')
      .expect(401);
    expect(notPreferred.body.title).toBe('未登录');

    const q = await buildQiaocheng(api);
    const invalid = (language?: string) => {
      const request = test
        .http()
        .post('/projects')
        .set(q.agri.auth)
        .send({ code: '', name: 7, surprise: true });
      return language ? request.set('Accept-Language', language) : request;
    };
    const zhInvalid = await invalid().expect(400);
    const enInvalid = await invalid('en-US,en;q=0.9').expect(400);
    expect(zhInvalid.body.code).toBe('VALIDATION_FAILED');
    expect(enInvalid.body.code).toBe('VALIDATION_FAILED');
    const fields = (body: { errors: { field: string }[] }) => body.errors.map((e) => e.field);
    expect(fields(zhInvalid.body)).toEqual(fields(enInvalid.body));
    expect(fields(zhInvalid.body)).toContain('surprise');
    const zhMessages = (zhInvalid.body.errors as { message: string }[]).map((e) => e.message);
    const enMessages = (enInvalid.body.errors as { message: string }[]).map((e) => e.message);
    for (const message of zhMessages) expect(message).toMatch(CJK);
    for (const message of enMessages) expect(message).not.toMatch(CJK);
    expect(zhMessages).toContain('name 必须是字符串');
    expect(enMessages).toContain('name must be a string');

    // The machine's refusal: an unsigned contract takes no register rows.
    const { contractIds } = await awardQiaocheng(api, q);
    const file = fixture('register-50-id-as-text.xlsx');
    const zhRefusal = await upload(q, contractIds[0], file, 'r.xlsx').expect(409);
    const enRefusal = await upload(q, contractIds[0], file, 'r.xlsx', true).expect(409);
    expect(zhRefusal.body.code).toBe('INVALID_TRANSITION');
    expect(enRefusal.body.code).toBe('INVALID_TRANSITION');
    // A state is named in words, never by its code (the code stays in `code`).
    expect(zhRefusal.body.detail).toBe(
      '合同处于“已签合同”或“作业中”状态时清册才接受行；现在是“已中标，待签合同”',
    );
    expect(enRefusal.body.detail).toMatch(
      /^The register takes rows while the contract is contracted or in service; it is /,
    );
  });

  it('the services’ own refusals: same codes, Chinese by default, English with the header, states and events in words', async () => {
    const q = await buildQiaocheng(api);
    const admin = await api.admin();
    const both = async (
      request: (language?: string) => ReturnType<ReturnType<TestApp['http']>['get']>,
    ) => {
      const zh = await expectNoWrites(test.dataSource, () => request());
      const en = await expectNoWrites(test.dataSource, () => request('en'));
      expect(zh.body.code).toBe(en.body.code);
      expect(zh.status).toBe(en.status);
      return { zh: zh.body, en: en.body };
    };
    const withLanguage = <R extends { set(name: string, value: string): R }>(
      request: R,
      language?: string,
    ): R => (language ? request.set('Accept-Language', language) : request);

    // A region's parent (regions.service): the levels in words.
    const region = await both((language) =>
      withLanguage(
        test
          .http()
          .post('/regions')
          .set(admin.auth)
          .send({
            code: `${q.town}9`,
            name: '某村',
            level: 'village',
            parentCode: q.district,
          }),
        language,
      ),
    );
    expect(region.zh).toMatchObject({ status: 400, code: 'REGION_PARENT_INVALID' });
    expect(region.zh.detail).toBe(`村的上级须是乡镇；${q.district} 是县(区)`);
    expect(region.en.detail).toBe(
      `The parent of a village must be a town; ${q.district} is a district`,
    );
    expect(region.zh.errors).toEqual([{ field: 'parentCode', message: region.zh.detail }]);

    // A user's binding (users.service): the role in words, not `village_verifier`.
    const user = await both((language) =>
      withLanguage(
        test.http().post('/users').set(admin.auth).send({
          username: 'village_verifier_lang',
          password: 'pw-village_verifier_lang-secret',
          displayName: '李四',
          role: 'village_verifier',
          regionCode: q.town,
        }),
        language,
      ),
    );
    expect(user.zh).toMatchObject({ status: 400, code: 'USER_SCOPE_INVALID' });
    expect(user.zh.detail).toBe(`角色“村核实小组”须绑定到村；${q.town} 是乡镇`);
    expect(user.en.detail).toBe(
      `Role village_verifier must be bound to a village; ${q.town} is a town`,
    );

    // A document that does not exist yet (documents/forms): the contract's state in words.
    const { contractIds } = await awardQiaocheng(api, q);
    const document = await both((language) =>
      withLanguage(
        test.http().get(`/contracts/${contractIds[0]}/documents/payout-order`).set(q.agri.auth),
        language,
      ),
    );
    expect(document.zh).toMatchObject({ status: 409, code: 'DOCUMENT_NOT_AVAILABLE' });
    expect(document.zh.detail).toBe('发放补助后才有拨付单；合同现在的状态是“已中标，待签合同”');
    expect(document.en.detail).toBe(
      'A payout order exists once a payout is issued; the contract is awarded',
    );

    // The machine's refusal names the event and the state in words; `state` and `event` stay codes.
    const transition = await both((language) =>
      withLanguage(
        test
          .http()
          .post(`/contracts/${contractIds[0]}/media-notice`)
          .set(q.agri.auth)
          .send({ mediaName: '《亳州晚报》', publishedOn: '2015-07-01' }),
        language,
      ),
    );
    expect(transition.zh).toMatchObject({
      status: 409,
      code: 'INVALID_TRANSITION',
      state: 'awarded',
      event: 'mediaNotice.opened',
      detail: '现在不能进行“发布媒体公示”：合同状态为“已中标，待签合同”',
    });
    expect(transition.en).toMatchObject({
      state: 'awarded',
      event: 'mediaNotice.opened',
      detail: 'mediaNotice.opened is not allowed now: the contract is awarded',
    });

    // A role refused (access guard): the roles in words.
    const role = await both((language) =>
      withLanguage(
        test
          .http()
          .post(`/contracts/${contractIds[0]}/task-lines/wheat_harvest/claim`)
          .set(q.agri.auth),
        language,
      ),
    );
    expect(role.zh).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(role.zh.detail).toBe('角色“区农业农村委”无权进行此操作；允许的角色：服务组织');
    expect(role.en.detail).toBe('Role district_agri may not do this; allowed: cooperative');

    // A tender's dates (tenders.service): the detail and its field error, in both languages.
    const tender = await both((language) =>
      withLanguage(
        test
          .http()
          .post(`/projects/${q.projectId}/tenders`)
          .set(q.agri.auth)
          .send(invitedTenderBody(q, { publishedOn: '2015-05-25', openingOn: '2015-05-20' })),
        language,
      ),
    );
    expect(tender.zh).toMatchObject({ status: 400, code: 'TENDER_DATES_INVALID' });
    expect(tender.zh.detail).toBe('openingOn(开标日)不能早于 publishedOn(发布日)');
    expect(tender.zh.errors).toEqual([{ field: 'openingOn', message: tender.zh.detail }]);
    expect(tender.en.detail).toBe('openingOn must not be before publishedOn');
  });

  it('an ID column kept as numbers stores no altered ID and says, in Chinese, to store it as text; as text every row imports', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await signedContract(q);
    const answer = await upload(
      q,
      contractId,
      fixture('register-50-id-as-number.xlsx'),
      '清册.xlsx',
    ).expect(200);
    const stored = await storedIds(contractId);
    // Only IDs exactly as typed are stored: Calc keeps the three ending in X as text.
    for (const id of stored) expect(SOURCE_IDS).toContain(id);
    expect(stored).toEqual(SOURCE_IDS.filter((id) => id.endsWith('X')));
    expect(answer.body.accepted).toBe(stored.length);
    const rejected = answer.body.rejected as { row: number; code: string; message: string }[];
    expect(rejected).toHaveLength(50 - stored.length);
    for (const rejection of rejected) {
      expect(rejection.code).toBe('INVALID_ID_NUMBER');
      expect(rejection.message).toMatch(
        /^身份证号 是以数字保存的（3\.41602\d+E\+17|^身份证号 是以数字保存的（3416/,
      );
      expect(rejection.message).toContain('请把 身份证号 列设置为文本格式');
    }
    // The same file in English: the same codes, the column still named as the file names it.
    const q2 = await buildQiaocheng(api);
    const contract2 = await signedContract(q2);
    const english = await upload(
      q2,
      contract2,
      fixture('register-50-id-as-number.xlsx'),
      'register.xlsx',
      true,
    ).expect(200);
    expect(
      (english.body.rejected as { row: number; code: string }[]).map(({ row, code }) => ({
        row,
        code,
      })),
    ).toEqual(rejected.map(({ row, code }) => ({ row, code })));
    expect(english.body.rejected[0].message).toContain('format the 身份证号 column as text');

    const q3 = await buildQiaocheng(api);
    const contract3 = await signedContract(q3);
    const asText = await upload(
      q3,
      contract3,
      fixture('register-50-id-as-text.xlsx'),
      '清册.xlsx',
    ).expect(200);
    expect(asText.body).toMatchObject({ accepted: 50, rejected: [] });
    expect(await storedIds(contract3)).toEqual(SOURCE_IDS);
  });

  it('a register rejection in both languages names the column as the file’s header does', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await signedContract(q);
    const header = fs
      .readFileSync(path.join(FIXTURES, 'register-50.csv'), 'utf8')
      .split(/\r?\n/)[0];
    const line = (id: string, plot: string) =>
      `王各村,张三,${id},${plot},小麦机收,1.5,2015-06-10,皖S-1234,刘机手,周干部,吴干部,刘机手,1`;
    const wrongCheck = SOURCE_IDS[0].slice(0, 17) + (SOURCE_IDS[0].endsWith('1') ? '2' : '1');
    const chinese = Buffer.from(`${header}\r\n${line(wrongCheck, 'L-1')}\r\n`, 'utf8');
    const englishHeader =
      'villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned';
    const english = Buffer.from(`${englishHeader}\r\n${line(wrongCheck, 'L-2')}\r\n`, 'utf8');
    const zhOfChinese = await upload(q, contractId, chinese, 'a.csv').expect(200);
    const enOfChinese = await upload(q, contractId, chinese, 'a.csv', true).expect(200);
    const zhOfEnglish = await upload(q, contractId, english, 'b.csv').expect(200);
    const enOfEnglish = await upload(q, contractId, english, 'b.csv', true).expect(200);
    for (const answer of [zhOfChinese, enOfChinese, zhOfEnglish, enOfEnglish]) {
      expect(answer.body).toMatchObject({
        accepted: 0,
        rejected: [{ row: 2, code: 'INVALID_ID_NUMBER' }],
      });
    }
    expect(zhOfChinese.body.rejected[0].message).toBe('身份证号校验码不对');
    expect(enOfChinese.body.rejected[0].message).toBe('身份证号 has a wrong check digit');
    expect(zhOfEnglish.body.rejected[0].message).toBe('householdIdNo校验码不对');
    expect(enOfEnglish.body.rejected[0].message).toBe('householdIdNo has a wrong check digit');
    expect(zhOfChinese.headers['content-language']).toBe('zh-CN');
    expect(enOfChinese.headers['content-language']).toBe('en');
  });

  it.each([
    ['register-50.xls', 'notATable', /\.xls.*请在 Excel 或 WPS 中另存为 \.xlsx 或 CSV \(UTF-8\)/],
    ['register-50.ods', 'notATable', /OpenDocument.*\.ods.*另存为 \.xlsx 或 CSV \(UTF-8\)/],
    ['register-50-truncated.xlsx', 'notATable', /工作簿不完整或已损坏/],
  ])(
    'refuses %s whole with a Chinese message, and writes nothing',
    async (name, reason, message) => {
      const q = await buildQiaocheng(api);
      const contractId = await signedContract(q);
      const answer = await expectNoWrites(test.dataSource, () =>
        upload(q, contractId, fixture(name), name).expect(400),
      );
      expect(answer.body).toMatchObject({ code: 'REGISTER_FILE_REJECTED', reason });
      expect(answer.body.detail).toMatch(message);
      const english = await upload(q, contractId, fixture(name), name, true).expect(400);
      expect(english.body).toMatchObject({ code: 'REGISTER_FILE_REJECTED', reason });
      expect(english.body.detail).not.toMatch(CJK);
    },
  );

  it('names a UTF-32 file UTF-32', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await signedContract(q);
    const text = fs.readFileSync(path.join(FIXTURES, 'register-50.csv'), 'utf8');
    const utf32 = Buffer.alloc(4 + text.length * 4);
    utf32.set([0xff, 0xfe, 0, 0]);
    [...text].forEach((char, index) =>
      utf32.writeUInt32LE(char.codePointAt(0) ?? 0, 4 + index * 4),
    );
    const answer = await expectNoWrites(test.dataSource, () =>
      upload(q, contractId, utf32, 'utf32.csv', true).expect(400),
    );
    expect(answer.body).toMatchObject({ code: 'REGISTER_FILE_REJECTED', reason: 'encoding' });
    expect(answer.body.detail).toMatch(/UTF-32/);
  });
});

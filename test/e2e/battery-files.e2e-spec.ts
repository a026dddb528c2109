import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { residentId } from '../factories/register-rows';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';
import { deflatedBlanks, zipArchive } from '../support/zip';

/**
 * Hostile files (quality.md), one matrix through HTTP only (`POST /contracts/:id/register`), so
 * that it holds whatever the import does inside: the same rows in UTF-8, UTF-8 with BOM, GB18030
 * and XLSX give the same stored rows (names intact, never U+FFFD); junk, empty, header-only,
 * over-size and zip-bomb files are refused whole and write nothing (every table's fingerprint);
 * formula-prefixed cells are stored as the text they are.
 */
/** The English header of docs/register-import.md, in its order. */
const COLUMNS = (
  'villageCode householdName householdIdNo plotCode taskCode areaMu workDate machineNo ' +
  'operatorName townCadreSigned villageCadreSigned operatorSigned farmerSigned'
).split(' ');
const NAMES = ['张三', '李四', '欧阳娜娜', '龘靐'];
const UPLOAD_MAX_BYTES = 512 * 1024;

describe('battery: hostile register files', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ uploadMaxBytes: UPLOAD_MAX_BYTES });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  /** A signed contract of a fresh Qiaocheng: its cooperative, its first village's code. */
  async function signedContract(): Promise<{ q: Qiaocheng; id: string; village: string }> {
    const q = await buildQiaocheng(api);
    const [id] = (await awardQiaocheng(api, q)).contractIds;
    const signing = { contractNo: `F-${id.slice(0, 6)}`, signedOn: '2015-06-01' };
    await test.http().post(`/contracts/${id}/sign`).set(q.agri.auth).send(signing).expect(200);
    return { q, id, village: q.villages[0].code };
  }

  const rowsOf = (
    village: string,
    cells: (index: number) => Partial<Record<string, string>> = () => ({}),
  ) =>
    NAMES.map((name, index) => {
      const row: Record<string, string> = {
        villageCode: village,
        householdName: name,
        householdIdNo: residentId(4000 + index),
        plotCode: `H-${index + 1}`,
        taskCode: 'wheat_harvest',
        areaMu: ['1.5', '2.25', '3', '0.75'][index],
        workDate: '2015-06-12',
        machineNo: '皖S-7788',
        operatorName: '孙机手',
        townCadreSigned: '周干部',
        villageCadreSigned: '吴干部',
        operatorSigned: '孙机手',
        farmerSigned: name,
        ...cells(index),
      };
      return COLUMNS.map((column) => row[column]);
    });

  const csvText = (rows: string[][]) =>
    [COLUMNS, ...rows]
      .map((cells) =>
        cells
          .map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
          .join(','),
      )
      .join('\r\n');

  async function xlsxOf(rows: string[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('清册');
    for (const cells of [COLUMNS, ...rows]) sheet.addRow(cells);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  const upload = (q: Qiaocheng, id: string, file: Buffer, name: string) =>
    test.http().post(`/contracts/${id}/register`).set(q.coops[0].auth).attach('file', file, name);

  const stored = async (q: Qiaocheng, id: string) =>
    (
      (
        await test
          .http()
          .get(`/contracts/${id}/register?limit=200`)
          .set(q.coops[0].auth)
          .expect(200)
      ).body.items as Record<string, unknown>[]
    ).map(({ id: _id, villageCode: _village, ...row }) => row);

  const encodings: [string, string, (rows: string[][]) => Promise<Buffer> | Buffer][] = [
    ['UTF-8', 'register.csv', (rows) => Buffer.from(csvText(rows), 'utf8')],
    [
      'UTF-8 with BOM',
      'register.csv',
      (rows) =>
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows), 'utf8')]),
    ],
    ['GB18030', 'register.csv', (rows) => iconv.encode(csvText(rows), 'gb18030')],
    ['XLSX', 'register.xlsx', xlsxOf],
  ];

  it('the same rows in UTF-8, UTF-8 with BOM, GB18030 and XLSX: the same answer and the same stored rows', async () => {
    const results: unknown[] = [];
    for (const [label, name, encode] of encodings) {
      const { q, id, village } = await signedContract();
      const answer = await upload(q, id, await encode(rowsOf(village)), name);
      expect({ label, status: answer.status }).toEqual({ label, status: 200 });
      const rows = await stored(q, id);
      results.push({ accepted: answer.body.accepted, rejected: answer.body.rejected, rows });
    }
    console.log(
      `hostile files: 4 encodings → ${JSON.stringify(results.map((result) => (result as { accepted: number }).accepted))} rows accepted`,
    );
    expect(results[0]).toMatchObject({ accepted: NAMES.length, rejected: [] });
    const names = (results[0] as { rows: { householdName: string }[] }).rows.map(
      (row) => row.householdName,
    );
    expect(names.sort()).toEqual([...NAMES].sort());
    expect(JSON.stringify(results)).not.toContain('\uFFFD');
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });

  const rejected = (reason: string) => ({ status: 400, code: 'REGISTER_FILE_REJECTED', reason });
  /**
   * Files that write nothing: refused whole with the reason of docs/register-import.md, or (a
   * header without rows) answered with nothing accepted.
   */
  const harmless: [string, () => Promise<[Buffer, string]>, Record<string, unknown>][] = [
    [
      'junk bytes',
      async () => [
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
        'register.csv',
      ],
      rejected('notATable'),
    ],
    ['an empty file', async () => [Buffer.alloc(0), 'register.csv'], rejected('empty')],
    [
      'a header row only',
      async () => [Buffer.from(`${COLUMNS.join(',')}\r\n`), 'register.csv'],
      { status: 200, accepted: 0, rejected: [] },
    ],
    [
      'a file over UPLOAD_MAX_BYTES',
      async () => [Buffer.alloc(UPLOAD_MAX_BYTES + 1, 'a'), 'register.csv'],
      rejected('tooLarge'),
    ],
    [
      'a zip bomb (an XLSX inflating to 110 MB)',
      async () => [
        zipArchive([
          { name: '[Content_Types].xml', bytes: Buffer.from('<?xml version="1.0"?><Types/>') },
          {
            name: 'xl/workbook.xml',
            bytes: Buffer.from(
              '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
            ),
          },
          { name: 'xl/worksheets/sheet1.xml', deflated: await deflatedBlanks(110) },
        ]),
        'register.xlsx',
      ],
      rejected('tooLarge'),
    ],
  ];

  // The files that write nothing share one contract (the fingerprint proves each left it as it was).
  let shared: Promise<{ q: Qiaocheng; id: string; village: string }> | undefined;

  it.each(harmless)('%s: writes nothing', async (label, make, expected) => {
    shared ??= signedContract();
    const { q, id } = await shared;
    const [file, name] = await make();
    const answer = await expectNoWrites(test.dataSource, () => upload(q, id, file, name));
    const seen = { status: answer.status, ...(answer.body as Record<string, unknown>) };
    console.log(
      `hostile files: ${label} (${file.length} bytes) → ${answer.status} ${answer.body.code ?? `accepted ${answer.body.accepted}`} ${answer.body.reason ?? ''}`,
    );
    expect(seen).toMatchObject(expected);
  });

  it('formula-prefixed cells (=, +, -, @) are stored as the text they are, never evaluated', async () => {
    const formulas = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1:A9)'];
    // The contract the harmless files left untouched: its register is still empty.
    shared ??= signedContract();
    const { q, id, village } = await shared;
    const rows = rowsOf(village, (index) => ({
      machineNo: formulas[index],
      operatorName: formulas[index],
    }));
    const answer = await upload(q, id, await xlsxOf(rows), 'register.xlsx').expect(200);
    expect(answer.body).toMatchObject({ accepted: NAMES.length, rejected: [] });
    const machines = (await stored(q, id)).map((row) => row.machineNo);
    expect(machines.sort()).toEqual([...formulas].sort());
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  TableFileError,
  openByteSource,
  openTable,
  readTableFile,
  type TableSpec,
} from './table-file';

// The reader goes through a file in 64 KB chunks: these files are several chunks long, so that
// characters, quoted cells and records are cut between chunks, and problems lie beyond the first.

const SPEC: TableSpec<'name' | 'note'> = {
  columns: ['name', 'note'],
  headers: { name: ['name', '姓名'], note: ['note', '备注'] },
};
const OPTIONS = { maxRows: 100_000, maxBytes: 10 * 1024 * 1024 };

/** 6,000 rows of Chinese text, some quoted across lines: about 250 KB in UTF-8. */
const ROWS = Array.from({ length: 6000 }, (_, i) => ({
  name: `张${String.fromCodePoint(0x4e00 + (i % 20000))}明${i}`,
  note: i % 7 === 0 ? `第${i}行\n"引号"，逗号` : `𠀀备注${i}`,
}));
const TEXT =
  ['姓名,备注', ...ROWS.map(({ name, note }) => `${name},"${note.replace(/"/g, '""')}"`)].join(
    '\r\n',
  ) + '\r\n';
// Every row names the file's own headers; a CSV has no number cells.
const LABELS = { name: '姓名', note: '备注' };
const EXPECTED = ROWS.map((cells, i) => ({ row: i + 2, cells, labels: LABELS, numbers: [] }));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'table-file-spec-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function onDisk(name: string, bytes: Buffer): { path: string } {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { path: file };
}

async function refusal(input: Buffer | { path: string }): Promise<string> {
  const error: unknown = await readTableFile(input, OPTIONS, SPEC).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TableFileError))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return error.reason;
}

describe('table reader over a file of many chunks', () => {
  it('reads UTF-8 and GB18030 files from disk as the same rows as from memory', async () => {
    const utf8 = Buffer.from(TEXT, 'utf8');
    const gb = iconv.encode(TEXT, 'gb18030');
    expect(utf8.length).toBeGreaterThan(3 * 64 * 1024);
    expect(await readTableFile(utf8, OPTIONS, SPEC)).toEqual({
      format: 'csv-utf8',
      rows: EXPECTED,
    });
    expect(await readTableFile(onDisk('utf8.csv', utf8), OPTIONS, SPEC)).toEqual({
      format: 'csv-utf8',
      rows: EXPECTED,
    });
    expect(await readTableFile(onDisk('gb.csv', gb), OPTIONS, SPEC)).toEqual({
      format: 'csv-gb18030',
      rows: EXPECTED,
    });
  });

  it('refuses what lies beyond the first chunk: U+FFFD, a control character, a zero byte, bad bytes', async () => {
    const tail = (extra: string) => Buffer.from(`${TEXT}${extra},x\r\n`, 'utf8');
    expect(await refusal(onDisk('fffd.csv', tail('\uFFFD')))).toBe('encoding');
    expect(await refusal(onDisk('control.csv', tail('\u0007')))).toBe('notATable');
    expect(await refusal(onDisk('zero.csv', tail('\u0000')))).toBe('notATable');
    const invalid = Buffer.concat([Buffer.from(TEXT, 'utf8'), Buffer.from([0xff, 0x0a])]);
    expect(await refusal(onDisk('invalid.csv', invalid))).toBe('encoding');
  });

  it('opens a file whose problem lies further in, and throws when the rows get there', async () => {
    const source = await openByteSource(onDisk('ragged.csv', Buffer.from(`${TEXT}a,b,c\r\n`)));
    try {
      const table = await openTable(source, OPTIONS, SPEC);
      let read = 0;
      const reading = (async () => {
        for await (const batch of table.batches(1000, (row) => row)) read += batch.length;
      })();
      await expect(reading).rejects.toMatchObject({ reason: 'notATable' });
      // The rows before the ragged line may have been handed on; never one after it.
      expect(read % 1000).toBe(0);
      expect(read).toBeLessThanOrEqual(ROWS.length);
    } finally {
      await source.close();
    }
  });

  it('hands rows to the mapper as they are read, in batches of the size asked', async () => {
    const source = await openByteSource(Buffer.from(TEXT, 'utf8'));
    const table = await openTable(source, OPTIONS, SPEC);
    const sizes: number[] = [];
    for await (const batch of table.batches(2500, ({ row }) => (row % 2 ? undefined : row))) {
      sizes.push(batch.length);
    }
    // Rows 2..6001: the even ones are kept.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(3000);
    expect(sizes[0]).toBe(2500);
  });
});

describe('identifier columns of a workbook (api.md: identifiers never pass through a float)', () => {
  const IDS: TableSpec<'id' | 'plot' | 'note'> = {
    columns: ['id', 'plot', 'note'],
    headers: { id: ['id', '身份证号'], plot: ['plot', '地块编号'], note: ['note', '备注'] },
    identifiers: ['id', 'plot'],
  };

  it('names the identifier cells that hold a number other than an integer below 2^53', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('表');
    sheet.addRow(['身份证号', '地块编号', '备注']);
    sheet.addRow([341602197104062000, 1024, 3.5]); // an 18-digit ID as a number; a plot 1024
    sheet.addRow(['341602197104062011', 'P-1', 7]); // text: as typed
    sheet.addRow(['34160219710406201X', 12.5, 'x']); // a plot that is no integer
    sheet.addRow([2 ** 53, 2 ** 53 - 1, 'x']); // 2^53 has been through a float; 2^53 - 1 not
    const file = await readTableFile(Buffer.from(await workbook.xlsx.writeBuffer()), OPTIONS, IDS);
    expect(file.rows.map(({ row, numbers }) => ({ row, numbers }))).toEqual([
      { row: 2, numbers: ['id'] },
      { row: 3, numbers: [] },
      { row: 4, numbers: ['plot'] },
      { row: 5, numbers: ['id'] },
    ]);
    expect(file.rows[0].labels).toEqual({ id: '身份证号', plot: '地块编号', note: '备注' });
  });

  it('flags every numeric ID of a register LibreOffice Calc wrote, and none of the same file kept as text', async () => {
    const spec: TableSpec<'id' | 'plot'> = {
      columns: ['id', 'plot'],
      headers: { id: ['身份证号'], plot: ['地块编号'] },
      identifiers: ['id', 'plot'],
    };
    const fixtures = path.join(__dirname, '../../../test/fixtures/office');
    const asNumbers = await readTableFile(
      { path: path.join(fixtures, 'register-50-id-as-number.xlsx') },
      OPTIONS,
      spec,
    );
    const asText = await readTableFile(
      { path: path.join(fixtures, 'register-50-id-as-text.xlsx') },
      OPTIONS,
      spec,
    );
    expect(asNumbers.rows).toHaveLength(50);
    for (const row of asNumbers.rows) {
      // Calc keeps an ID ending in X as text; every other one became a number. Plot codes
      // 1024… are integers below 2^53: their digits are the text.
      expect(row.numbers).toEqual(row.cells.id.endsWith('X') ? [] : ['id']);
    }
    expect(asText.rows.every((row) => row.numbers.length === 0)).toBe(true);
    expect(asText.rows.map((row) => row.cells.plot)).toEqual(
      Array.from({ length: 50 }, (_, i) => String(1024 + i)),
    );
  });
});

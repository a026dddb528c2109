import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { type CellValue, Workbook, stream as excelStream } from 'exceljs';
import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import {
  type RegisterColumn,
  type RegisterFileOptions,
  REGISTER_COLUMNS,
  REGISTER_HEADERS,
  RegisterFileError,
  neutraliseFormula,
  readRegisterFile,
} from './register-file';

const OPTIONS: RegisterFileOptions = { maxRows: 1000, maxBytes: 5 * 1024 * 1024 };
const CHINESE_HEADER = [
  '村代码',
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

type Cells = Record<RegisterColumn, string>;
const row = (cells: Partial<Cells>): Cells => ({
  villageCode: '341602101201',
  householdName: '张三',
  householdIdNo: '341602199001011234',
  plotCode: 'P-001',
  taskCode: 'plough',
  areaMu: '12.3',
  workDate: '2025-05-06',
  machineNo: '皖S·12345',
  operatorName: '王师傅',
  townCadreSigned: '1',
  villageCadreSigned: '是',
  operatorSigned: 'Y',
  farmerSigned: '张三',
  ...cells,
});
const THREE_ROWS: Cells[] = [
  row({}),
  row({
    householdName: '李四',
    householdIdNo: '11010519491231002X',
    plotCode: 'P-002',
    areaMu: '8',
    farmerSigned: '李四',
  }),
  row({
    householdName: '欧阳, 娜娜',
    householdIdNo: '34160219850615341x',
    plotCode: 'P-003',
    areaMu: '0.5',
    workDate: '2025-05-07',
    machineNo: '皖S "甲"',
  }),
];
const EXPECTED = THREE_ROWS.map((cells, i) => ({ row: i + 2, cells }));

function csvLine(cells: readonly string[]): string {
  return cells
    .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
    .join(',');
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map(csvLine).join('\r\n') + '\r\n';
}

const values = (cells: Cells) => REGISTER_COLUMNS.map((column) => cells[column]);
const THREE_ROWS_CSV = csv(REGISTER_COLUMNS, THREE_ROWS.map(values));

/** The rows as Excel holds them: numbers, dates, and text. */
function typedRow(cells: Cells): CellValue[] {
  return REGISTER_COLUMNS.map((column) => {
    const text = cells[column];
    if (column === 'areaMu' || text === '1') return Number(text);
    if (column === 'workDate') return new Date(`${text}T00:00:00Z`);
    return text;
  });
}

async function xlsx(build: (workbook: Workbook) => void): Promise<Buffer> {
  const workbook = new Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function reason(file: Buffer, options = OPTIONS): Promise<string> {
  const error = await readRegisterFile(file, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof RegisterFileError))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return error.reason;
}

interface ZipPart {
  name: string;
  content?: Buffer;
  /** Already deflated data, with its real size and CRC. */
  deflated?: { data: Buffer; size: number; crc: number };
  /** The uncompressed size written in the headers, when it should lie. */
  declaredSize?: number;
}

/** A minimal ZIP archive, every part deflated unless given otherwise. */
function zip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const content = part.content ?? Buffer.alloc(0);
    const deflated = part.deflated ?? {
      data: deflateRawSync(content),
      size: content.length,
      crc: crc32(content),
    };
    const size = part.declaredSize ?? deflated.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(deflated.crc, 14);
    local.writeUInt32LE(deflated.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(deflated.crc, 16);
    central.writeUInt32LE(deflated.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated.data);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK_XML = (sheets: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets}</sheets></workbook>`,
  );
const RELS_XML = (targets: Record<string, string>) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Object.entries(
      targets,
    )
      .map(
        ([id, target]) =>
          `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/>`,
      )
      .join('')}</Relationships>`,
  );
/** A worksheet of inline strings, the way simple generators write one. */
const SHEET_XML = (rows: readonly (readonly string[])[]) => {
  const column = (i: number) => String.fromCharCode(65 + i);
  const escape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map(
            (cell, c) =>
              `<c r="${column(c)}${r + 1}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
  );
};

/** `bytes` of spaces, deflated as a stream so the test never holds them. */
async function deflatedSpaces(bytes: number): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflater = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(deflater, 'end');
  const block = Buffer.alloc(1024 * 1024, 0x20);
  let crc = 0;
  for (let written = 0; written < bytes; written += block.length) {
    crc = crc32(block, crc);
    if (!deflater.write(block)) await once(deflater, 'drain');
  }
  deflater.end();
  await ended;
  return { data: Buffer.concat(chunks), size: Math.ceil(bytes / block.length) * block.length, crc };
}

describe('household register file (落实到户清册)', () => {
  describe('the same rows in every format', () => {
    it('reads UTF-8', async () => {
      const file = await readRegisterFile(Buffer.from(THREE_ROWS_CSV, 'utf8'), OPTIONS);
      expect(file).toEqual({ format: 'csv-utf8', rows: EXPECTED });
    });

    it('reads UTF-8 with a byte order mark', async () => {
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(THREE_ROWS_CSV)]);
      expect(await readRegisterFile(bom, OPTIONS)).toEqual({ format: 'csv-utf8', rows: EXPECTED });
    });

    it('reads GB18030 without losing a name', async () => {
      const gb = iconv.encode(THREE_ROWS_CSV, 'gb18030');
      expect(gb.includes(Buffer.from('张三'))).toBe(false);
      const file = await readRegisterFile(gb, OPTIONS);
      expect(file).toEqual({ format: 'csv-gb18030', rows: EXPECTED });
      expect(JSON.stringify(file)).not.toContain('\uFFFD');
    });

    it('reads GB18030 characters outside GBK', async () => {
      // 𠀀 (U+20000) takes four bytes in GB18030.
      const text = csv(REGISTER_COLUMNS, [values(row({ householdName: '𠀀明' }))]);
      const file = await readRegisterFile(iconv.encode(text, 'gb18030'), OPTIONS);
      expect(file.rows[0].cells.householdName).toBe('𠀀明');
    });

    it('reads XLSX with numbers, dates and shared strings', async () => {
      const file = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.addRow([...REGISTER_COLUMNS]);
        for (const cells of THREE_ROWS) sheet.addRow(typedRow(cells));
        workbook.addWorksheet('说明').addRow(['villageCode', 'ignored']);
      });
      expect(await readRegisterFile(file, OPTIONS)).toEqual({ format: 'xlsx', rows: EXPECTED });
    });

    it('reads XLSX written by a streaming writer, with inline strings', async () => {
      const output = new PassThrough();
      const chunks: Buffer[] = [];
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      const writer = new excelStream.xlsx.WorkbookWriter({
        stream: output,
        useSharedStrings: false,
        useStyles: true,
      });
      const sheet = writer.addWorksheet('清册');
      sheet.addRow([...REGISTER_COLUMNS]).commit();
      for (const cells of THREE_ROWS) sheet.addRow(typedRow(cells)).commit();
      sheet.commit();
      await writer.commit();
      const file = Buffer.concat(chunks);
      expect(await readRegisterFile(file, OPTIONS)).toEqual({ format: 'xlsx', rows: EXPECTED });
    });

    it('reads thousands of Chinese names without splitting a character (exceljs #2084)', async () => {
      // exceljs's streaming reader decodes every 16 KB chunk on its own, cutting characters in two.
      const names = Array.from({ length: 3000 }, (_, i) =>
        String.fromCodePoint(0x4e00 + ((i * 7) % 20000), 0x4e00 + ((i * 13) % 20000), 0x4e00 + i),
      );
      const rows = names.map((name, i) =>
        row({ householdName: name, plotCode: `P-${i}`, farmerSigned: `${name}（签）` }),
      );
      const shared = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.addRow(CHINESE_HEADER);
        for (const cells of rows) sheet.addRow(typedRow(cells));
      });
      const inline = zip([
        { name: 'xl/workbook.xml', content: WORKBOOK_XML('') },
        {
          name: 'xl/worksheets/sheet1.xml',
          content: SHEET_XML([[...REGISTER_COLUMNS], ...rows.map(values)]),
        },
      ]);
      const limits = { ...OPTIONS, maxRows: 10_000 };
      for (const file of [shared, inline]) {
        const read = await readRegisterFile(file, limits);
        expect(read.rows.map(({ cells }) => cells)).toEqual(rows);
      }
    });

    it('reads the first sheet of the workbook, whatever its part is called', async () => {
      const file = zip([
        {
          name: 'xl/workbook.xml',
          content: WORKBOOK_XML(
            '<sheet name="清册" sheetId="2" r:id="rId7"/><sheet name="说明" sheetId="1" r:id="rId1"/>',
          ),
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          content: RELS_XML({ rId1: 'worksheets/sheet1.xml', rId7: '/xl/worksheets/register.xml' }),
        },
        { name: 'xl/worksheets/sheet1.xml', content: SHEET_XML([['说明'], ['nothing to read']]) },
        {
          name: 'xl/worksheets/register.xml',
          content: SHEET_XML([[...REGISTER_COLUMNS], ...THREE_ROWS.map(values)]),
        },
      ]);
      expect(await readRegisterFile(file, OPTIONS)).toEqual({ format: 'xlsx', rows: EXPECTED });
    });
  });

  describe('headers', () => {
    it('accepts the Chinese headers, full-width brackets and spaces around them', async () => {
      const header = CHINESE_HEADER.map((text, i) => (i % 2 ? ` ${text}\u3000` : text));
      header[0] = '村';
      const file = await readRegisterFile(
        Buffer.from(csv(header, THREE_ROWS.map(values))),
        OPTIONS,
      );
      expect(file.rows).toEqual(EXPECTED);
    });

    it('accepts 面积(亩) with ASCII brackets, English headers in any case and any order', async () => {
      const order = [...REGISTER_COLUMNS].reverse();
      const header = order.map((column) =>
        column === 'areaMu' ? '面积(亩)' : column === 'plotCode' ? ' PLOTCODE ' : column,
      );
      const rows = THREE_ROWS.map((cells) => order.map((column) => cells[column]));
      const file = await readRegisterFile(Buffer.from(csv(header, rows)), OPTIONS);
      expect(file.rows).toEqual(EXPECTED);
    });

    it('ignores unknown columns', async () => {
      const header = ['序号', ...REGISTER_COLUMNS, '备注'];
      const rows = THREE_ROWS.map((cells, i) => [String(i + 1), ...values(cells), '无']);
      const file = await readRegisterFile(Buffer.from(csv(header, rows)), OPTIONS);
      expect(file.rows).toEqual(EXPECTED);
    });

    it('lists every accepted header text', () => {
      expect(REGISTER_HEADERS.areaMu).toEqual(['areaMu', '面积(亩)', '面积（亩）']);
      for (const column of REGISTER_COLUMNS) expect(REGISTER_HEADERS[column][0]).toBe(column);
    });

    it('names the missing columns', async () => {
      const header = REGISTER_COLUMNS.filter(
        (column) => column !== 'farmerSigned' && column !== 'areaMu',
      );
      const promise = readRegisterFile(Buffer.from(csv(header, [])), OPTIONS);
      await expect(promise).rejects.toMatchObject({ reason: 'missingColumns' });
      await expect(promise).rejects.toThrow(/areaMu \(面积\(亩\)\), farmerSigned \(农户签字\)/);
    });

    it('refuses a first row that is not a header, and a column named twice', async () => {
      expect(await reason(Buffer.from(csv(values(THREE_ROWS[0]), [])))).toBe('noHeader');
      const twice = csv([...REGISTER_COLUMNS, '村代码'], []);
      expect(await reason(Buffer.from(twice))).toBe('noHeader');
    });
  });

  describe('rows', () => {
    it('skips empty rows and numbers rows as the spreadsheet shows them', async () => {
      const [first, second, third] = THREE_ROWS.map((cells) => csvLine(values(cells)));
      const empty = csvLine(REGISTER_COLUMNS.map(() => ''));
      const text = [
        '',
        csvLine(REGISTER_COLUMNS),
        first,
        empty,
        '   ',
        second,
        third.replace('P-003', '"P-\n003"'),
        '',
        '',
      ].join('\n');
      const file = await readRegisterFile(Buffer.from(text), OPTIONS);
      expect(file.rows.map(({ row: number }) => number)).toEqual([3, 6, 7]);
      expect(file.rows[2].cells.plotCode).toBe('P-\n003');
    });

    it('keeps spreadsheet row numbers across gaps in an XLSX sheet', async () => {
      const file = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.getRow(1).values = [...REGISTER_COLUMNS];
        sheet.getRow(2).values = typedRow(THREE_ROWS[0]);
        sheet.getRow(3).getCell(20).value = 'a note outside the table';
        sheet.getRow(5).values = typedRow(THREE_ROWS[1]);
      });
      const read = await readRegisterFile(file, OPTIONS);
      expect(read.rows).toEqual([
        { row: 2, cells: THREE_ROWS[0] },
        { row: 5, cells: THREE_ROWS[1] },
      ]);
    });

    it('returns no rows for a header row alone', async () => {
      expect(await readRegisterFile(Buffer.from(csvLine(REGISTER_COLUMNS)), OPTIONS)).toEqual({
        format: 'csv-utf8',
        rows: [],
      });
      const file = await xlsx((workbook) => {
        workbook.addWorksheet('清册').addRow(CHINESE_HEADER);
      });
      expect(await readRegisterFile(file, OPTIONS)).toEqual({ format: 'xlsx', rows: [] });
    });

    it('writes XLSX values as text', async () => {
      const file = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.addRow([...REGISTER_COLUMNS]);
        const cells = sheet.addRow(typedRow(THREE_ROWS[0]));
        const cell = (column: RegisterColumn) =>
          cells.getCell(REGISTER_COLUMNS.indexOf(column) + 1);
        cell('householdName').value = {
          richText: [{ text: '张' }, { text: '三', font: { bold: true } }],
        };
        cell('areaMu').value = 0.1 + 0.2;
        cell('townCadreSigned').value = true;
        cell('villageCadreSigned').value = { formula: 'A1&"x"', result: '是' };
        cell('operatorSigned').value = { formula: 'SUM(1,2)' };
        cell('workDate').value = { formula: 'DATE(2025,5,6)', result: 45783 };
        cell('workDate').numFmt = 'yyyy/m/d';
        cell('machineNo').value = 12345678901;
        cell('plotCode').value = '  P-001  ';
      });
      const [{ cells }] = (await readRegisterFile(file, OPTIONS)).rows;
      expect(cells).toMatchObject({
        householdName: '张三',
        areaMu: '0.30000000000000004',
        townCadreSigned: 'true',
        villageCadreSigned: '是',
        operatorSigned: '=SUM(1,2)',
        workDate: '2025-05-06',
        machineNo: '12345678901',
        plotCode: 'P-001',
      });
    });

    it('keeps formula-like cells as text, never evaluated', async () => {
      const hostile = row({
        householdName: '=HYPERLINK("http://evil.example","张三")',
        plotCode: '+86-1',
        machineNo: '@SUM(A1:A2)',
        areaMu: '-1',
        operatorName: '=1+2',
      });
      const expected = [{ row: 2, cells: hostile }];
      const fromCsv = await readRegisterFile(
        Buffer.from(csv(REGISTER_COLUMNS, [values(hostile)])),
        OPTIONS,
      );
      expect(fromCsv.rows).toEqual(expected);
      const fromXlsx = await readRegisterFile(
        await xlsx((workbook) => {
          const sheet = workbook.addWorksheet('清册');
          sheet.addRow([...REGISTER_COLUMNS]);
          sheet.addRow(values(hostile));
        }),
        OPTIONS,
      );
      expect(fromXlsx.rows).toEqual(expected);
    });

    it('neutralises formula-like text for exports', () => {
      expect(neutraliseFormula('=1+2')).toBe("'=1+2");
      expect(neutraliseFormula('+86')).toBe("'+86");
      expect(neutraliseFormula('-1')).toBe("'-1");
      expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
      expect(neutraliseFormula('\t=1')).toBe("'\t=1");
      expect(neutraliseFormula('\r=1')).toBe("'\r=1");
      expect(neutraliseFormula('张三')).toBe('张三');
      expect(neutraliseFormula('12.30')).toBe('12.30');
      expect(neutraliseFormula('')).toBe('');
    });
  });

  describe('hostile files', () => {
    it('refuses empty and blank files', async () => {
      expect(await reason(Buffer.alloc(0))).toBe('empty');
      expect(await reason(Buffer.from(' \r\n\t\n\u3000'))).toBe('empty');
      expect(await reason(Buffer.from(',,,\r\n,,,\r\n'))).toBe('empty');
      expect(await reason(await xlsx((workbook) => workbook.addWorksheet('清册')))).toBe('empty');
    });

    it('refuses binary junk', async () => {
      // A seeded generator, so a failure replays.
      let seed = 20250506;
      const random = Buffer.alloc(4096);
      for (let i = 0; i < random.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        random[i] = seed >>> 24;
      }
      expect(['notATable', 'encoding']).toContain(await reason(random));
      const png = Buffer.from(
        '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
          '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
        'hex',
      );
      expect(await reason(png)).toBe('notATable');
      expect(await reason(Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'))).toBe('notATable');
    });

    it('refuses text in neither UTF-8 nor GB18030, and U+FFFD', async () => {
      // 0xFF starts no character in either encoding.
      expect(await reason(Buffer.from([0x61, 0x2c, 0xff, 0x0a]))).toBe('encoding');
      expect(await reason(Buffer.from('\uFEFFvillageCode', 'utf16le'))).toBe('encoding');
      const damaged = csv(REGISTER_COLUMNS, [values(row({ householdName: '\uFFFD\uFFFD' }))]);
      expect(await reason(Buffer.from(damaged))).toBe('encoding');
    });

    it('refuses a ragged or badly quoted CSV', async () => {
      const ragged = `${csvLine(REGISTER_COLUMNS)}\n${csvLine(values(THREE_ROWS[0]))},extra\n`;
      expect(await reason(Buffer.from(ragged))).toBe('notATable');
      const unclosed = `${csvLine(REGISTER_COLUMNS)}\n"${csvLine(values(THREE_ROWS[0]))}\n`;
      expect(await reason(Buffer.from(unclosed))).toBe('notATable');
    });

    it('refuses damaged and foreign ZIP files', async () => {
      const good = await xlsx((workbook) => {
        workbook.addWorksheet('清册').addRow([...REGISTER_COLUMNS]);
      });
      expect(await reason(good.subarray(0, Math.floor(good.length / 2)))).toBe('notATable');
      // One byte of the worksheet's compressed data flipped: its CRC no longer matches.
      const flipped = Buffer.from(good);
      const name = flipped.indexOf('xl/worksheets/sheet1.xml');
      const extraLength = flipped.readUInt16LE(name - 2);
      flipped[name + 'xl/worksheets/sheet1.xml'.length + extraLength + 5] ^= 0xff;
      expect(await reason(flipped)).toBe('notATable');
      expect(await reason(zip([{ name: 'word/document.xml', content: Buffer.from('<w/>') }]))).toBe(
        'notATable',
      );
      const noSheet = zip([{ name: 'xl/workbook.xml', content: WORKBOOK_XML('') }]);
      expect(await reason(noSheet)).toBe('notATable');
      const badXml = zip([
        { name: 'xl/workbook.xml', content: WORKBOOK_XML('') },
        {
          name: 'xl/worksheets/sheet1.xml',
          content: Buffer.from('<worksheet><sheetData><row r="1"></sheetData>'),
        },
      ]);
      expect(await reason(badXml)).toBe('notATable');
      // Rows without their number (`r`, optional in OOXML) are beyond exceljs: refused, not misread.
      const sheet = SHEET_XML([[...REGISTER_COLUMNS], ...THREE_ROWS.map(values)]).toString();
      const unnumbered = zip([
        { name: 'xl/workbook.xml', content: WORKBOOK_XML('') },
        {
          name: 'xl/worksheets/sheet1.xml',
          content: Buffer.from(sheet.replace(/<row r="\d+">/g, '<row>')),
        },
      ]);
      expect(await reason(unnumbered)).toBe('notATable');
    });

    it('refuses a file over the size limit before reading it', async () => {
      const file = Buffer.from(THREE_ROWS_CSV);
      expect(await reason(file, { ...OPTIONS, maxBytes: file.length - 1 })).toBe('tooLarge');
      await expect(
        readRegisterFile(file, { ...OPTIONS, maxBytes: file.length }),
      ).resolves.toMatchObject({ rows: EXPECTED });
    });

    it('refuses more data rows than allowed', async () => {
      const limits = { ...OPTIONS, maxRows: 2 };
      expect(await reason(Buffer.from(THREE_ROWS_CSV), limits)).toBe('tooManyRows');
      const file = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.addRow([...REGISTER_COLUMNS]);
        for (const cells of THREE_ROWS) sheet.addRow(typedRow(cells));
      });
      expect(await reason(file, limits)).toBe('tooManyRows');
      await expect(readRegisterFile(file, { ...OPTIONS, maxRows: 3 })).resolves.toMatchObject({
        rows: EXPECTED,
      });
    });

    it('refuses a workbook that inflates beyond the limit', async () => {
      const file = await xlsx((workbook) => {
        const sheet = workbook.addWorksheet('清册');
        sheet.addRow([...REGISTER_COLUMNS]);
        for (let i = 0; i < 2000; i++) sheet.addRow(typedRow(THREE_ROWS[0]));
      });
      expect(file.length).toBeLessThan(100_000);
      const limits = { ...OPTIONS, maxRows: 10_000, maxUncompressedBytes: 200_000 };
      expect(await reason(file, limits)).toBe('tooLarge');
      await expect(
        readRegisterFile(file, { ...limits, maxUncompressedBytes: 10_000_000 }),
      ).resolves.toMatchObject({ format: 'xlsx' });
    });

    it('refuses a zip bomb whether its sizes are honest or lie', async () => {
      const bomb = await deflatedSpaces(110 * 1024 * 1024);
      const parts = (declaredSize?: number): ZipPart[] => [
        { name: 'xl/workbook.xml', content: WORKBOOK_XML('') },
        { name: 'xl/worksheets/sheet1.xml', deflated: bomb, declaredSize },
      ];
      const honest = zip(parts());
      const lying = zip(parts(1000));
      console.log(
        `zip bomb: ${honest.length} bytes inflating to ${bomb.size} bytes, refused by the default limit`,
      );
      expect(honest.length).toBeLessThan(200_000);
      expect(await reason(honest)).toBe('tooLarge');
      expect(await reason(lying)).toBe('tooLarge');
    });
  });
});

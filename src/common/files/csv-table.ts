import { parse as parseCsv } from 'csv-parse/sync';

import type { TableReader } from './table-file';
import {
  OLE_COMPOUND_FILE,
  TableFileError,
  UTF16_BE_BOM,
  UTF16_LE_BOM,
  refuseReplacementCharacter,
} from './table-file-basics';

// --- CSV -------------------------------------------------------------------------------------

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030', { fatal: true });
// C0 controls other than tab, LF and CR never occur in a text table.
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function decodeText(buffer: Buffer): { format: 'csv-utf8' | 'csv-gb18030'; text: string } {
  const start = buffer.subarray(0, 4);
  if (start.subarray(0, 2).equals(UTF16_LE_BOM) || start.subarray(0, 2).equals(UTF16_BE_BOM)) {
    throw new TableFileError(
      'encoding',
      'The file is UTF-16 text; save it as "CSV UTF-8" or as an Excel workbook (.xlsx).',
    );
  }
  if (start.equals(OLE_COMPOUND_FILE)) {
    throw new TableFileError(
      'notATable',
      'The file is an old Excel workbook (.xls); save it as .xlsx or CSV.',
    );
  }
  // Neither UTF-8 nor GB18030 text has a zero byte; a binary file almost always does.
  if (buffer.includes(0)) {
    throw new TableFileError('notATable', 'The file is neither CSV text nor an XLSX workbook.');
  }
  let format: 'csv-utf8' | 'csv-gb18030';
  let text: string;
  try {
    text = UTF8.decode(buffer);
    format = 'csv-utf8';
  } catch {
    try {
      // Never lenient: a wrong guess with replacement characters turns 张三 into ����.
      text = GB18030.decode(buffer).replace(/^\uFEFF/, '');
      format = 'csv-gb18030';
    } catch {
      throw new TableFileError(
        'encoding',
        'The file is neither UTF-8 nor GB18030 (GBK) text, nor an XLSX workbook.',
      );
    }
  }
  if (text.trim() === '') throw new TableFileError('empty', 'The file has only blank space.');
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new TableFileError(
      'notATable',
      `The file contains the control character U+${code}: it is binary data, not CSV text.`,
    );
  }
  refuseReplacementCharacter(text, 'The file');
  return { format, text };
}

interface CsvRecord {
  record: string[];
  info: { records: number; empty_lines: number };
}

export function readCsv(text: string, table: TableReader): void {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, {
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
      relax_quotes: false,
      // The typings do not describe what `info: true` returns.
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new TableFileError(
      'notATable',
      `The file is not a well-formed CSV table: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  for (const { record, info } of records) {
    // Skipped blank lines still count as spreadsheet rows.
    const row = info.records + info.empty_lines;
    table.add(row, record.length, (index) => (record[index] ?? '').trim());
  }
}

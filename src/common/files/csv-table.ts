import { msg } from '../i18n/message';
import { type Options as CsvOptions, Parser } from 'csv-parse';

import type { ByteSource } from './byte-source';
import {
  OLE_COMPOUND_FILE,
  type RowMapper,
  TableFileError,
  UTF16_BE_BOM,
  UTF16_LE_BOM,
  UTF32_BE_BOM,
  UTF32_LE_BOM,
  refuseReplacementCharacter,
} from './table-file-basics';

// --- CSV -------------------------------------------------------------------------------------

export type CsvFormat = 'csv-utf8' | 'csv-gb18030';

// C0 controls other than tab, LF and CR never occur in a text table.
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const NOT_SPACE = /\S/;

/** What one pass over the text found; the problems are reported in a fixed order. */
interface TextScan {
  decoded: boolean;
  zeroByte: boolean;
  filled: boolean;
  control?: string;
  replacement: boolean;
}

async function scanText(source: ByteSource, encoding: 'utf-8' | 'gb18030'): Promise<TextScan> {
  // Never lenient: a wrong guess with replacement characters turns 张三 into ����.
  const decoder = new TextDecoder(encoding, { fatal: true });
  const scan: TextScan = { decoded: true, zeroByte: false, filled: false, replacement: false };
  const look = (text: string) => {
    if (!scan.filled && NOT_SPACE.test(text)) scan.filled = true;
    if (scan.control === undefined) scan.control = CONTROL_CHARACTER.exec(text)?.[0];
    if (!scan.replacement && text.includes('\uFFFD')) scan.replacement = true;
  };
  for await (const chunk of source.views()) {
    // Neither UTF-8 nor GB18030 text has a zero byte; a binary file almost always does.
    if (chunk.includes(0)) scan.zeroByte = true;
    if (!scan.decoded) continue;
    try {
      look(decoder.decode(chunk, { stream: true }));
    } catch {
      scan.decoded = false;
    }
  }
  if (scan.decoded) {
    try {
      look(decoder.decode());
    } catch {
      scan.decoded = false;
    }
  }
  return scan;
}

/**
 * The first pass over a CSV upload, before anything is stored: strict UTF-8, else strict
 * GB18030 (never U+FFFD), no binary content. The file is read in chunks, never held whole.
 */
export async function detectCsvText(source: ByteSource): Promise<CsvFormat> {
  const start = await source.read(0, 4);
  // UTF-32 LE starts like UTF-16 LE (FF FE), so it is asked first.
  if (start.equals(UTF32_LE_BOM) || start.equals(UTF32_BE_BOM)) {
    throw new TableFileError('encoding', msg('file.utf32'));
  }
  if (start.subarray(0, 2).equals(UTF16_LE_BOM) || start.subarray(0, 2).equals(UTF16_BE_BOM)) {
    throw new TableFileError('encoding', msg('file.utf16'));
  }
  if (start.equals(OLE_COMPOUND_FILE)) {
    throw new TableFileError('notATable', msg('file.xls'));
  }
  let format: CsvFormat = 'csv-utf8';
  let scan = await scanText(source, 'utf-8');
  if (scan.zeroByte) {
    throw new TableFileError('notATable', msg('file.notATable'));
  }
  if (!scan.decoded) {
    format = 'csv-gb18030';
    scan = await scanText(source, 'gb18030');
  }
  if (!scan.decoded) {
    throw new TableFileError('encoding', msg('file.notUtf8OrGb18030'));
  }
  if (!scan.filled) throw new TableFileError('empty', msg('file.blankOnly'));
  if (scan.control !== undefined) {
    const code = scan.control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new TableFileError('notATable', msg('file.controlCharacter', { code }));
  }
  if (scan.replacement) refuseReplacementCharacter('\uFFFD');
  return format;
}

const PARSE_CHUNK = 64 * 1024;

/** UTF-8 goes to the parser as it is; GB18030 is decoded first (the parser reads UTF-8). */
async function* utf8Chunks(source: ByteSource, format: CsvFormat): AsyncGenerator<Buffer> {
  if (format === 'csv-utf8') {
    // Fresh buffers: the parser keeps the tail of a chunk until it gets the next one.
    yield* source.chunks(0, source.size, PARSE_CHUNK);
    return;
  }
  const decoder = new TextDecoder('gb18030', { fatal: true });
  let first = true;
  // The decoder copies what it needs of a chunk, so one buffer serves every read.
  for await (const chunk of source.views(0, source.size, PARSE_CHUNK)) {
    let text = decoder.decode(chunk, { stream: true });
    if (first && text !== '') {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest !== '') yield Buffer.from(rest, 'utf8');
}

/**
 * csv-parse's own parsing function under its stream (`Parser.api`, what `_transform` calls):
 * `parse` hands each record of a chunk to `push` synchronously and answers a CsvError, if any.
 * `info` counts records and skipped empty lines as it goes.
 */
interface CsvParseApi {
  parse(
    chunk: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
  readonly info: { readonly records: number; readonly empty_lines: number };
}

const CSV_OPTIONS: CsvOptions = {
  // A UTF-8 byte order mark, which the decoder of the first pass skipped too.
  bom: true,
  trim: true,
  skip_empty_lines: true,
  relax_column_count: false,
  relax_quotes: false,
};

const closed = () => undefined;

/**
 * The records of a CSV checked by {@link detectCsvText}, each handed to `map` the moment it is
 * parsed, the mapped values in batches of up to `size`. The parser runs on the reader's own
 * pace: a chunk of the file is parsed only when the consumer asks for its next batch, so it never
 * runs ahead of the database. A record lives only while `map` looks at it: no stream buffers it,
 * no info object comes with it (the row number is read off the parser's counters), so only what
 * `map` keeps survives, not the cells (which, kept across a batch's wait for the database, were
 * promoted to V8's old generation and made memory grow with the file).
 */
export async function* csvBatches<T>(
  source: ByteSource,
  format: CsvFormat,
  size: number,
  map: RowMapper<T>,
): AsyncGenerator<T[]> {
  const csv = (new Parser(CSV_OPTIONS) as unknown as { api: CsvParseApi }).api;
  const ready: T[][] = [];
  let batch: T[] = [];
  const take = (record: string[]) => {
    const value = map({
      // The spreadsheet's row: records so far, the header's included, and skipped blank lines.
      row: csv.info.records + csv.info.empty_lines,
      width: record.length,
      cellAt: (index) => (record[index] ?? '').trim(),
    });
    if (value === undefined) return;
    batch.push(value);
    if (batch.length >= size) {
      ready.push(batch);
      batch = [];
    }
  };
  const parse = (chunk: Buffer | undefined) => {
    const error = csv.parse(chunk, chunk === undefined, take, closed);
    if (error !== undefined) throw csvError(error);
  };
  for await (const chunk of utf8Chunks(source, format)) {
    parse(chunk);
    while (ready.length > 0) yield ready.shift() as T[];
  }
  parse(undefined);
  if (batch.length > 0) ready.push(batch);
  yield* ready;
}

function csvError(error: Error): TableFileError {
  if (error instanceof TableFileError) return error;
  return new TableFileError('notATable', msg('file.badCsv', { why: error.message }));
}

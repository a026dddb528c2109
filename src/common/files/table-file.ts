import {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type TableFileFormat,
  type TableFileOptions,
  TableFileError,
  ZIP_LOCAL_FILE,
} from './table-file-basics';
import { decodeText, readCsv } from './csv-table';
import { readXlsx } from './xlsx-table';

export * from './table-file-basics';
/**
 * Reads an uploaded table: CSV in UTF-8 (with or without BOM) or GB18030, or the first worksheet
 * of an XLSX workbook, into rows of trimmed text keyed by column, the header row matched against a
 * {@link TableSpec}. Nothing is evaluated: a cell such as `=1+2` stays that text. Whole-file
 * problems throw `TableFileError`; checking the content of each row is the caller's job. Shared by
 * the household register (field-work/register-file.ts) and the bank's result file of a payment
 * batch (payment-batches/bank-result-file.ts).
 */

// Spreadsheets run a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** For CSV and XLSX exports: a text a spreadsheet would run as a formula gets a leading `'`. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The columns of a kind of uploaded table and the header texts accepted for each: the register
 * here, the bank's result file of a payment batch elsewhere. `optional` columns may be absent
 * from the header; their cells are then ''.
 */
export interface TableSpec<C extends string> {
  columns: readonly C[];
  headers: Readonly<Record<C, readonly string[]>>;
  optional?: readonly C[];
}

export interface TableFile<C extends string> {
  format: TableFileFormat;
  rows: { row: number; cells: Record<C, string> }[];
}

/**
 * Any table upload, read like the register: size limit, strict UTF-8 then GB18030 (never
 * U+FFFD), CSV or the first worksheet of an XLSX with its decompressed size capped, the header
 * row matched against `spec`. Whole-file problems throw `TableFileError`.
 */
export async function readTableFile<C extends string>(
  buffer: Buffer,
  options: TableFileOptions,
  spec: TableSpec<C>,
): Promise<TableFile<C>> {
  if (buffer.length > options.maxBytes) {
    throw new TableFileError(
      'tooLarge',
      `The file has ${buffer.length} bytes; at most ${options.maxBytes} are accepted.`,
    );
  }
  if (buffer.length === 0) throw new TableFileError('empty', 'The file is empty.');
  const table = new TableReader(options.maxRows, spec);
  if (buffer.subarray(0, 4).equals(ZIP_LOCAL_FILE)) {
    await readXlsx(buffer, options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, table);
    return { format: 'xlsx', rows: table.result() };
  }
  const { format, text } = decodeText(buffer);
  readCsv(text, table);
  return { format, rows: table.result() };
}

// --- Header and rows -------------------------------------------------------------------------

function headerKey(text: string): string {
  return text.trim().replace(/（/g, '(').replace(/）/g, ')').toLowerCase();
}

/** Collects rows in sheet order: the first non-empty row is the header, empty rows are skipped. */
export class TableReader<C extends string = string> {
  private columns: { column: C; index: number }[] | undefined;
  private readonly rows: { row: number; cells: Record<C, string> }[] = [];

  constructor(
    private readonly maxRows: number,
    private readonly spec: TableSpec<C>,
  ) {}

  /**
   * `cellAt(i)` is the trimmed text of the row's (i + 1)-th cell; `width`, how many cells the row
   * has, matters for the header only (data rows are read at the header's columns).
   */
  add(row: number, width: number, cellAt: (index: number) => string): void {
    if (!this.columns) {
      const texts = Array.from({ length: width }, (_, index) => cellAt(index));
      if (texts.some((text) => text !== '')) this.columns = headerColumns(texts, this.spec);
      return;
    }
    const cells = {} as Record<C, string>;
    let empty = true;
    for (const { column, index } of this.columns) {
      const text = index < 0 ? '' : cellAt(index);
      cells[column] = text;
      if (text !== '') empty = false;
    }
    if (empty) return;
    if (this.rows.length >= this.maxRows) {
      throw new TableFileError(
        'tooManyRows',
        `The file has more than ${this.maxRows} data rows; split it into smaller files.`,
      );
    }
    this.rows.push({ row, cells });
  }

  result(): { row: number; cells: Record<C, string> }[] {
    if (!this.columns) throw new TableFileError('empty', 'The file has no filled-in row.');
    return this.rows;
  }
}

const HEADER_LOOKUPS = new WeakMap<TableSpec<string>, Map<string, string>>();

function headerLookup<C extends string>(spec: TableSpec<C>): Map<string, C> {
  let lookup = HEADER_LOOKUPS.get(spec);
  if (!lookup) {
    lookup = new Map(
      spec.columns.flatMap((column) =>
        spec.headers[column].map((header) => [headerKey(header), column] as const),
      ),
    );
    HEADER_LOOKUPS.set(spec, lookup);
  }
  return lookup as Map<string, C>;
}

/** Where each column is; an optional column that is absent is at index -1 (its cells are ''). */
function headerColumns<C extends string>(
  texts: readonly string[],
  spec: TableSpec<C>,
): { column: C; index: number }[] {
  const lookup = headerLookup(spec);
  const localName = (column: C): string => spec.headers[column][1] ?? column;
  const found = new Map<C, number>();
  texts.forEach((text, index) => {
    const column = lookup.get(headerKey(text));
    if (column === undefined) return;
    const earlier = found.get(column);
    if (earlier !== undefined) {
      throw new TableFileError(
        'noHeader',
        `The header names the column ${column} twice ("${texts[earlier]}" and "${text}").`,
      );
    }
    found.set(column, index);
  });
  if (found.size === 0) {
    throw new TableFileError(
      'noHeader',
      `The first filled-in row is not a header row; expected column names such as ${spec.columns.join(', ')} or ${spec.columns.map(localName).join(', ')}.`,
    );
  }
  const missing = spec.columns.filter(
    (column) => !found.has(column) && !(spec.optional ?? []).includes(column),
  );
  if (missing.length > 0) {
    throw new TableFileError(
      'missingColumns',
      `The header lacks the columns ${missing.map((column) => `${column} (${localName(column)})`).join(', ')}.`,
    );
  }
  return spec.columns.map((column) => ({ column, index: found.get(column) ?? -1 }));
}

// --- ZIP container of an XLSX ----------------------------------------------------------------

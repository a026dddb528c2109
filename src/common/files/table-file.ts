import { msg } from '../i18n/message';
import { type ByteSource, type TableInput, openByteSource } from './byte-source';
import { type CsvFormat, csvBatches, detectCsvText } from './csv-table';
import {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type RawTableRow,
  type TableFileFormat,
  type TableFileOptions,
  TableFileError,
  ODS_MIMETYPE,
  ZIP_LOCAL_FILE,
  isExactIdentifierNumber,
} from './table-file-basics';
import { xlsxBatches } from './xlsx-table';
import { checkedWorkbookStream } from './zip-guard';

export * from './table-file-basics';
export type { ByteSource, TableInput } from './byte-source';
export { openByteSource } from './byte-source';
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
  /**
   * Columns that hold identifiers (a resident ID, a plot code, an account): a spreadsheet cell
   * there holding a number other than an integer below 2^53 is named in the row's `numbers`.
   */
  identifiers?: readonly C[];
}

export interface TableRow<C extends string> {
  row: number;
  cells: Record<C, string>;
  /** Each column as the file's own header names it (`身份证号` or `householdIdNo`): one object per file. */
  labels: Readonly<Record<C, string>>;
  /**
   * Identifier columns whose cell held a number that has been through a float (its text may not
   * be what the user typed): the row must be refused, never stored. Empty for CSV.
   */
  numbers: readonly C[];
}

export interface TableFile<C extends string> {
  format: TableFileFormat;
  rows: TableRow<C>[];
}

/** An opened upload: its format known and checked, its rows still to be read. */
export interface OpenedTable<C extends string> {
  format: TableFileFormat;
  /**
   * Reads the data rows once, in file order: `map` gets each row the moment it is read (so that
   * only what it returns is kept; undefined drops the row), and the values come in batches of
   * up to `size`. A whole-file problem further in the file (a ragged line, too many rows)
   * throws.
   */
  batches<T>(size: number, map: (row: TableRow<C>) => T | undefined): AsyncIterable<T[]>;
}

/**
 * Opens any table upload the way the register is read: size limit, strict UTF-8 then GB18030
 * (never U+FFFD) checked in a first pass over a CSV, or the ZIP of an XLSX checked and its first
 * worksheet's decompressed size capped; the header row is matched against `spec` as the rows are
 * read. Nothing holds the whole file: the rows come a batch at a time from `source`, which must
 * stay open until they are read. Whole-file problems throw `TableFileError`.
 */
export async function openTable<C extends string>(
  source: ByteSource,
  options: TableFileOptions,
  spec: TableSpec<C>,
): Promise<OpenedTable<C>> {
  if (source.size > options.maxBytes) {
    throw new TableFileError(
      'tooLarge',
      msg('file.tooLarge', { size: source.size, max: options.maxBytes }),
    );
  }
  if (source.size === 0) throw new TableFileError('empty', msg('file.empty'));
  const mapper = <T>(map: (row: TableRow<C>) => T | undefined) => {
    const reader = new TableReader(options.maxRows, spec);
    return {
      map: (raw: RawTableRow) => {
        const row = reader.add(raw);
        return row === undefined ? undefined : map(row);
      },
      finish: () => reader.finish(),
    };
  };
  let read: <T>(size: number, map: (raw: RawTableRow) => T | undefined) => AsyncIterable<T[]>;
  let format: TableFileFormat;
  if ((await source.read(0, 4)).equals(ZIP_LOCAL_FILE)) {
    const head = await source.read(30, ODS_MIMETYPE.length);
    if (head.equals(ODS_MIMETYPE)) throw new TableFileError('notATable', msg('file.ods'));
    const workbook = await checkedWorkbookStream(
      source,
      options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES,
    );
    format = 'xlsx';
    read = (size, map) => xlsxBatches(workbook, size, map);
  } else {
    format = await detectCsvText(source);
    read = (size, map) => csvBatches(source, format as CsvFormat, size, map);
  }
  let opened = false;
  return {
    format,
    async *batches(size, map) {
      if (opened) throw new Error('The rows of an opened table are read once');
      opened = true;
      const { map: mapRaw, finish } = mapper(map);
      yield* read(size, mapRaw);
      finish();
    },
  };
}

/** {@link openTable}, every row collected: for small files (a bank's result file, tests). */
export async function readTableFile<C extends string>(
  input: TableInput,
  options: TableFileOptions,
  spec: TableSpec<C>,
): Promise<TableFile<C>> {
  const source = await openByteSource(input);
  try {
    const table = await openTable(source, options, spec);
    const rows: TableRow<C>[] = [];
    for await (const batch of table.batches(1000, (row) => row)) rows.push(...batch);
    return { format: table.format, rows };
  } finally {
    await source.close();
  }
}

// --- Header and rows -------------------------------------------------------------------------

function headerKey(text: string): string {
  return text.trim().replace(/（/g, '(').replace(/）/g, ')').toLowerCase();
}

/** Maps rows in sheet order: the first non-empty row is the header, empty rows are skipped. */
class TableReader<C extends string> {
  private columns: { column: C; index: number }[] | undefined;
  private labels: Record<C, string> | undefined;
  private identifiers: { column: C; index: number }[] = [];
  private count = 0;

  constructor(
    private readonly maxRows: number,
    private readonly spec: TableSpec<C>,
  ) {}

  /** After the last row: a file without a header row has no filled-in row at all. */
  finish(): void {
    if (!this.columns) throw new TableFileError('empty', msg('file.noFilledRow'));
  }

  /** The row keyed by column; the header row and empty rows give undefined. */
  add({ row, width, cellAt, numberAt }: RawTableRow): TableRow<C> | undefined {
    if (!this.columns) {
      const texts = Array.from({ length: width }, (_, index) => cellAt(index));
      if (texts.some((text) => text !== '')) {
        const columns = headerColumns(texts, this.spec);
        this.columns = columns;
        const labels = {} as Record<C, string>;
        for (const { column, index } of columns) labels[column] = index < 0 ? column : texts[index];
        this.labels = labels;
        const identifiers = this.spec.identifiers ?? [];
        this.identifiers = columns.filter(
          ({ column, index }) => index >= 0 && identifiers.includes(column),
        );
      }
      return undefined;
    }
    const cells = {} as Record<C, string>;
    let empty = true;
    for (const { column, index } of this.columns) {
      const text = index < 0 ? '' : cellAt(index);
      cells[column] = text;
      if (text !== '') empty = false;
    }
    if (empty) return undefined;
    if (this.count >= this.maxRows) {
      throw new TableFileError('tooManyRows', msg('file.tooManyRows', { max: this.maxRows }));
    }
    this.count += 1;
    let numbers: C[] = NONE;
    if (numberAt) {
      for (const { column, index } of this.identifiers) {
        const value = numberAt(index);
        if (value !== undefined && !isExactIdentifierNumber(value)) {
          if (numbers === NONE) numbers = [];
          numbers.push(column);
        }
      }
    }
    return { row, cells, labels: this.labels as Record<C, string>, numbers };
  }
}

const NONE: never[] = [];

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
        msg('file.columnTwice', { column, first: texts[earlier], second: text }),
      );
    }
    found.set(column, index);
  });
  if (found.size === 0) {
    throw new TableFileError(
      'noHeader',
      msg('file.notAHeader', {
        expected: `${spec.columns.join(', ')} / ${spec.columns.map(localName).join(', ')}`,
      }),
    );
  }
  const missing = spec.columns.filter(
    (column) => !found.has(column) && !(spec.optional ?? []).includes(column),
  );
  if (missing.length > 0) {
    throw new TableFileError(
      'missingColumns',
      msg('file.missingColumns', {
        columns: missing.map((column) => `${column} (${localName(column)})`).join(', '),
      }),
    );
  }
  return spec.columns.map((column) => ({ column, index: found.get(column) ?? -1 }));
}

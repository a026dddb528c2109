export type TableFileFormat = 'csv-utf8' | 'csv-gb18030' | 'xlsx';

export interface TableFileOptions {
  /** More data rows than this refuse the file. */
  maxRows: number;
  /** A larger upload is refused before it is read. */
  maxBytes: number;
  /** Cap on what the XLSX parts that are read inflate to (a 1 MB file can inflate to 500 MB). */
  maxUncompressedBytes?: number;
}

export type TableFileProblem =
  'empty' | 'notATable' | 'noHeader' | 'missingColumns' | 'tooManyRows' | 'tooLarge' | 'encoding';

export class TableFileError extends Error {
  constructor(
    readonly reason: TableFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TableFileError';
  }
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;

export const ZIP_LOCAL_FILE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
export const OLE_COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
export const UTF16_LE_BOM = Buffer.from([0xff, 0xfe]);
export const UTF16_BE_BOM = Buffer.from([0xfe, 0xff]);

/** Text damaged by an earlier lenient decoding is refused rather than stored (quality.md). */
export function refuseReplacementCharacter(text: string, where: string): void {
  if (text.includes('\uFFFD')) {
    throw new TableFileError(
      'encoding',
      `${where} contains U+FFFD (�), left by an earlier wrong character-set conversion; export the file again from the original.`,
    );
  }
}

/**
 * One row of a CSV or a worksheet as read, before the header maps it: `cellAt(i)` is the trimmed
 * text of its (i + 1)-th cell, `width` how many cells it has (it matters for the header only).
 */
export interface RawTableRow {
  row: number;
  width: number;
  cellAt: (index: number) => string;
}

/** What a reader does with each row as it is read: a value to keep, or undefined to drop it. */
export type RowMapper<T> = (row: RawTableRow) => T | undefined;

import { msg, render, type Message } from '../i18n/message';

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
    /** What the user is told (a catalogue message); `message` is its English text. */
    readonly text: Message,
  ) {
    super(render(text, 'en'));
    this.name = 'TableFileError';
  }
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;

export const ZIP_LOCAL_FILE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
export const OLE_COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
export const UTF16_LE_BOM = Buffer.from([0xff, 0xfe]);
export const UTF32_LE_BOM = Buffer.from([0xff, 0xfe, 0x00, 0x00]);
export const UTF32_BE_BOM = Buffer.from([0x00, 0x00, 0xfe, 0xff]);
/** An OpenDocument file starts with its `mimetype` entry, stored: the type is readable at once. */
export const ODS_MIMETYPE = Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet');
export const UTF16_BE_BOM = Buffer.from([0xfe, 0xff]);

/** Text damaged by an earlier lenient decoding is refused rather than stored (quality.md). */
export function refuseReplacementCharacter(text: string, row?: number): void {
  if (text.includes('\uFFFD')) {
    throw new TableFileError(
      'encoding',
      row === undefined
        ? msg('file.replacementCharacterInText')
        : msg('file.replacementCharacter', { row }),
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
  /** The number a spreadsheet cell holds (XLSX), undefined for text and for every CSV cell. */
  numberAt?: (index: number) => number | undefined;
}

/**
 * Whether a number a spreadsheet holds can stand for an identifier typed as its digits: an
 * integer below 2^53, whose digits are then exactly the text (a plot code `1024`). Anything else
 * (a resident ID of 18 digits, `3.41602197104062E+17`, `12.5`) has been through a float and may
 * have lost digits: api.md, "Identifiers never pass through a floating-point number".
 */
export function isExactIdentifierNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** What a reader does with each row as it is read: a value to keep, or undefined to drop it. */
export type RowMapper<T> = (row: RawTableRow) => T | undefined;

import {
  openTable,
  readTableFile,
  type ByteSource,
  type OpenedTable,
  type TableFileFormat,
  type TableFileOptions,
  type TableInput,
  type TableSpec,
} from '../../common/files/table-file';

// The generic reader's names as the register has always exported them.
export {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  TableFileError as RegisterFileError,
  neutraliseFormula,
} from '../../common/files/table-file';
export type {
  TableFileFormat as RegisterFileFormat,
  TableFileOptions as RegisterFileOptions,
  TableFileProblem as RegisterFileProblem,
} from '../../common/files/table-file';

/**
 * Reads an uploaded household register (落实到户清册): CSV in UTF-8 or GB18030, or the first
 * worksheet of an XLSX workbook, into rows of trimmed text keyed by column. Nothing is evaluated:
 * a cell such as `=1+2` stays that text. Whole-file problems throw `RegisterFileError`; checking
 * the content of each row is the importer's job.
 */
export const REGISTER_COLUMNS = [
  'villageCode',
  'householdName',
  'householdIdNo',
  'plotCode',
  'taskCode',
  'areaMu',
  'workDate',
  'machineNo',
  'operatorName',
  'townCadreSigned',
  'villageCadreSigned',
  'operatorSigned',
  'farmerSigned',
] as const;
export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];

/**
 * The header texts accepted for each column. Matching trims the header cell, ignores the case of
 * Latin letters and reads full-width brackets as ASCII ones, so `面积（亩）` matches `面积(亩)`.
 */
export const REGISTER_HEADERS: Readonly<Record<RegisterColumn, readonly string[]>> = {
  villageCode: ['villageCode', '村代码', '村'],
  householdName: ['householdName', '农户姓名'],
  householdIdNo: ['householdIdNo', '身份证号'],
  plotCode: ['plotCode', '地块编号'],
  taskCode: ['taskCode', '作业环节'],
  areaMu: ['areaMu', '面积(亩)', '面积（亩）'],
  workDate: ['workDate', '作业日期'],
  machineNo: ['machineNo', '机械牌号'],
  operatorName: ['operatorName', '机手'],
  townCadreSigned: ['townCadreSigned', '镇包村干部签字'],
  villageCadreSigned: ['villageCadreSigned', '村干部签字'],
  operatorSigned: ['operatorSigned', '机手签字'],
  farmerSigned: ['farmerSigned', '农户签字'],
};

export interface RegisterFileRow {
  /** The row number a spreadsheet shows: the header is row 1, the first data row is row 2. */
  row: number;
  cells: Record<RegisterColumn, string>;
  /** Only when some: identifier columns whose cell held a number (table-file.ts, `numbers`). */
  numbers?: readonly RegisterColumn[];
}

export interface RegisterFile {
  format: TableFileFormat;
  rows: RegisterFileRow[];
}

const REGISTER_TABLE: TableSpec<RegisterColumn> = {
  columns: REGISTER_COLUMNS,
  headers: REGISTER_HEADERS,
  // A spreadsheet number here has been through a float: the row is refused (api.md).
  identifiers: ['householdIdNo', 'plotCode', 'machineNo'],
};

/** Every row of a register at once: for tests and small files. */
export async function readRegisterFile(
  input: TableInput,
  options: TableFileOptions,
): Promise<RegisterFile> {
  const file = await readTableFile(input, options, REGISTER_TABLE);
  return {
    format: file.format,
    rows: file.rows.map(({ row, cells, numbers }) =>
      numbers.length > 0 ? { row, cells, numbers } : { row, cells },
    ),
  };
}

/**
 * Opens a register for the import: format and encoding checked now, the rows read one at a time
 * from `source` (a whole-file problem further in, such as a ragged line, throws then).
 */
export function openRegisterFile(
  source: ByteSource,
  options: TableFileOptions,
): Promise<OpenedTable<RegisterColumn>> {
  return openTable(source, options, REGISTER_TABLE);
}

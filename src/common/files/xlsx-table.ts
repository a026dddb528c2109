import { msg } from '../i18n/message';
import {
  stream as excelStream,
  type Cell,
  type CellFormulaValue,
  type CellSharedFormulaValue,
  type CellValue,
  type Row,
} from 'exceljs';

import type { Readable } from 'node:stream';
import {
  type RawTableRow,
  type RowMapper,
  TableFileError,
  refuseReplacementCharacter,
} from './table-file-basics';

// --- XLSX ------------------------------------------------------------------------------------

/**
 * The rows of the first worksheet, each handed to `map` as it is read, the mapped values in
 * batches of up to `size`, from the archive the ZIP guard checked and re-packed (zip-guard.ts,
 * `checkedWorkbookStream`).
 */
export async function* xlsxBatches<T>(
  workbook: Readable,
  size: number,
  map: RowMapper<T>,
): AsyncGenerator<T[]> {
  const reader = new excelStream.xlsx.WorkbookReader(workbook, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell which numbers are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    // The stream holds the first worksheet only.
    for await (const worksheet of reader) {
      // exceljs fails on a <row> or <c> without its `r` reference (optional in OOXML; Excel and
      // the common libraries write it): such a sheet is refused, not misnumbered.
      let batch: T[] = [];
      for await (const row of worksheet) {
        const value = map(xlsxRow(row));
        if (value !== undefined) batch.push(value);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break;
    }
  } catch (error) {
    if (error instanceof TableFileError) throw error;
    throw new TableFileError(
      'notATable',
      msg('file.workbookUnreadable', {
        why: error instanceof Error ? error.message : String(error),
      }),
    );
  }
}

function xlsxRow(row: Row): RawTableRow {
  return {
    row: row.number,
    width: row.cellCount,
    cellAt: (index) => {
      const cell = row.findCell(index + 1);
      if (!cell) return '';
      const text = cellText(cell).trim();
      refuseReplacementCharacter(text, row.number);
      return text;
    },
    numberAt: (index) => {
      const value = row.findCell(index + 1)?.value;
      if (typeof value === 'number') return value;
      if (isFormula(value) && typeof value.result === 'number') return value.result;
      return undefined;
    },
  };
}

function cellText(cell: Cell): string {
  const value = cell.value;
  if (!isFormula(value)) return valueText(value);
  if (value.result === undefined) {
    return `=${'sharedFormula' in value ? value.sharedFormula : value.formula}`;
  }
  // The streaming reader leaves a formula's result a plain number even in a date-formatted cell.
  if (typeof value.result === 'number' && isDateFormat(cell.numFmt)) {
    return valueText(excelSerialDate(value.result));
  }
  return valueText(value.result);
}

function valueText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // The shortest decimal text of the number the file holds: 12.3 stays "12.3"; a value with
  // float noise keeps it and fails the area check instead of being silently rounded.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // exceljs gives dates as the UTC instant of the date and time the cell shows.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoDate(value);
  if (isFormula(value)) return valueText(value.result);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return value.error;
  return value.text ?? '';
}

function isFormula(value: CellValue): value is CellFormulaValue | CellSharedFormulaValue {
  return (
    typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value)
  );
}

function isDateFormat(format: string | undefined): boolean {
  // The test exceljs applies to plain numbers: date letters outside quotes and [..] sections.
  return (
    format !== undefined &&
    /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''))
  );
}

function excelSerialDate(serial: number): Date {
  // Days since 1899-12-30 (the 1900 date system), as exceljs converts plain date cells.
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

function isoDate(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

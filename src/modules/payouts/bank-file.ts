import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../common/files/table-file';

export interface ExportFile {
  contentType: string;
  fileName: string;
  content: Buffer;
}

/**
 * A table for the bank as CSV (UTF-8 with BOM, so that Excel reads the Chinese) or XLSX. Every
 * cell that a spreadsheet would run as a formula is neutralised; in XLSX every cell is a string
 * cell and the columns `textColumns` (1-based: account numbers, amounts) are formatted as text,
 * so no float, no scientific notation, no lost leading zero.
 */
export async function renderBankFile(
  rows: readonly (readonly string[])[],
  options: { format: 'csv' | 'xlsx'; stem: string; sheetName: string; textColumns: number[] },
): Promise<ExportFile> {
  const table = rows.map((cells) => cells.map(neutraliseFormula));
  if (options.format === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(options.sheetName);
    for (const cells of table) sheet.addRow(cells);
    for (const column of options.textColumns) sheet.getColumn(column).numFmt = '@';
    return {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName: `${options.stem}.xlsx`,
      content: Buffer.from(await workbook.xlsx.writeBuffer()),
    };
  }
  const csv = table
    .map((cells) =>
      cells
        .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
        .join(','),
    )
    .join('\r\n');
  return {
    contentType: 'text/csv; charset=utf-8',
    fileName: `${options.stem}.csv`,
    content: Buffer.from(`\ufeff${csv}\r\n`, 'utf8'),
  };
}

import { msg, type Message } from '../../common/i18n/message';
import { MAX_AREA_HUNDREDTHS } from '../../common/values/decimal.validators';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import { invisibleCharacter } from '../../common/values/identifier';
import type { RegisterColumn } from './register-file';
import type { RegisterRowInput } from './register.service';
import { normaliseResidentId, residentIdProblem } from '../../common/values/resident-id';

/**
 * Reject codes of api.md, plus FIELD_INVALID (an empty or over-long name, plot, machine or
 * operator cell, or a plot or machine number with an invisible character) and TASK_LINE_CLOSED.
 */
export type RejectCode =
  | 'INVALID_ID_NUMBER'
  | 'UNKNOWN_VILLAGE'
  | 'UNKNOWN_TASK'
  | 'AREA_INVALID'
  | 'AFTER_DEADLINE'
  | 'MISSING_SIGNATURE'
  | 'DUPLICATE_PLOT_TASK'
  | 'OVER_ASSIGNED_AREA'
  | 'FIELD_INVALID'
  | 'TASK_LINE_CLOSED';

export interface Rejection {
  row: number;
  code: RejectCode;
  /** Rendered in the request's language when the answer is sent. */
  message: Message;
}

/**
 * What the file said beyond its cells: each column's own header (a rejection names the column as
 * the file does, `身份证号` or `householdIdNo`), and the identifier columns whose cell held a
 * number that has been through a float (table-file.ts). A correction sent as JSON has neither:
 * its columns are named as the API names its fields.
 */
export interface RowSource {
  labels?: Readonly<Record<RegisterColumn, string>>;
  numbers?: readonly RegisterColumn[];
}

/** What a row is checked against: the contract's lot, tasks and dates. */
export interface RowCheckContext {
  /** Village code → name, for the villages of the contract's lot. */
  villages: ReadonlyMap<string, string>;
  /** Task code → name and whether its task line still takes rows (pending or working). */
  tasks: ReadonlyMap<string, { name: string; open: boolean }>;
  serviceStart: string;
  serviceEnd: string;
  workDeadline: string;
  /** Today in Asia/Shanghai: no one is born after it. */
  today: string;
}

const FIELD_LENGTHS = [
  ['householdName', 100],
  ['plotCode', 60],
  ['machineNo', 40],
  ['operatorName', 100],
  ['townCadreSigned', 100],
  ['villageCadreSigned', 100],
  ['operatorSigned', 100],
  ['farmerSigned', 100],
] as const;

const IDENTIFIER_COLUMNS = ['plotCode', 'machineNo'] as const;

const NOT_SIGNED = new Set(['', '0', 'false', '否', 'n', 'no', '无', '未签', '×']);

/** A signature cell counts when it says 1, true, 是, Y or a name; empty, 0, false, 否 do not. */
export function isSigned(cell: string): boolean {
  return !NOT_SIGNED.has(cell.trim().toLowerCase());
}

/** `2015-06-10`, `2015/6/10`, `2015.6.10`, `2015年6月10日` → `2015-06-10`; undefined if not a real date. */
export function parseWorkDate(cell: string): string | undefined {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cell.trim());
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** Finds a code by itself or by its name (offices write 小麦机收 as often as wheat_harvest). */
function byCodeOrName<T extends { name: string } | string>(
  map: ReadonlyMap<string, T>,
  cell: string,
): string | undefined {
  const value = cell.trim();
  if (map.has(value)) return value;
  for (const [code, entry] of map) {
    if ((typeof entry === 'string' ? entry : entry.name) === value) return code;
  }
  return undefined;
}

/**
 * The checks that need nothing but the row itself and the contract: the ID number (GB 11643),
 * village, task, area, work date, signatures. Duplicates and the assigned area are checked by the
 * importer, which knows the other rows.
 */
export function checkRegisterRow(
  row: number,
  cells: Record<RegisterColumn, string>,
  context: RowCheckContext,
  source: RowSource = {},
): { ok: true; value: RegisterRowInput } | { ok: false; rejection: Rejection } {
  const reject = (code: RejectCode, message: Message) => ({
    ok: false as const,
    rejection: { row, code, message },
  });
  const label = (column: RegisterColumn): string => source.labels?.[column] ?? column;

  // An identifier that has been through a float is refused before anything is read from it:
  // its digits may not be the ones typed (api.md, Conventions: identifiers).
  for (const column of source.numbers ?? []) {
    const numberMessage = msg('row.numberInIdentifierColumn', {
      column: label(column),
      text: cells[column],
    });
    return reject(
      column === 'householdIdNo' ? 'INVALID_ID_NUMBER' : 'FIELD_INVALID',
      numberMessage,
    );
  }
  for (const [column, max] of FIELD_LENGTHS) {
    const length = cells[column].trim().length;
    if (length === 0 && !column.endsWith('Signed'))
      return reject('FIELD_INVALID', msg('row.fieldEmpty', { column: label(column) }));
    if (length > max)
      return reject('FIELD_INVALID', msg('row.fieldTooLong', { column: label(column), max }));
  }
  // Identifiers typed by hand: one that holds a character nobody can see would print exactly
  // like another row's and pass the duplicate check as a different plot (issue 22).
  for (const column of IDENTIFIER_COLUMNS) {
    const invisible = invisibleCharacter(cells[column].trim());
    if (invisible) {
      return reject(
        'FIELD_INVALID',
        msg('row.invisibleCharacter', { column: label(column), character: invisible }),
      );
    }
  }
  const idNo = normaliseResidentId(cells.householdIdNo);
  const idProblem = residentIdProblem(idNo, context.today);
  if (idProblem) {
    return reject(
      'INVALID_ID_NUMBER',
      msg('row.idNumber', { column: label('householdIdNo'), problem: idProblem }),
    );
  }
  const villageCode = byCodeOrName(context.villages, cells.villageCode);
  if (!villageCode)
    return reject('UNKNOWN_VILLAGE', msg('row.unknownVillage', { value: cells.villageCode }));
  const taskCode = byCodeOrName(context.tasks, cells.taskCode);
  if (!taskCode) return reject('UNKNOWN_TASK', msg('row.unknownTask', { value: cells.taskCode }));
  if (!context.tasks.get(taskCode)?.open) {
    return reject('TASK_LINE_CLOSED', msg('row.taskLineClosed', { taskCode }));
  }
  const area = toHundredths(cells.areaMu);
  if (area === undefined || area <= 0 || area > MAX_AREA_HUNDREDTHS) {
    return reject(
      'AREA_INVALID',
      msg('row.areaInvalid', { column: label('areaMu'), value: cells.areaMu }),
    );
  }
  const workDate = parseWorkDate(cells.workDate);
  if (!workDate)
    return reject(
      'AFTER_DEADLINE',
      msg('row.dateInvalid', { column: label('workDate'), value: cells.workDate }),
    );
  if (workDate < context.serviceStart || workDate > context.serviceEnd) {
    return reject(
      'AFTER_DEADLINE',
      msg('row.dateOutsideWindow', {
        column: label('workDate'),
        date: workDate,
        start: context.serviceStart,
        end: context.serviceEnd,
      }),
    );
  }
  if (workDate > context.workDeadline) {
    return reject(
      'AFTER_DEADLINE',
      msg('row.dateAfterDeadline', {
        column: label('workDate'),
        date: workDate,
        deadline: context.workDeadline,
      }),
    );
  }
  const unsigned = (
    ['townCadreSigned', 'villageCadreSigned', 'operatorSigned', 'farmerSigned'] as const
  ).filter((column) => !isSigned(cells[column]));
  if (unsigned.length > 0)
    return reject(
      'MISSING_SIGNATURE',
      msg('row.notSigned', { columns: unsigned.map(label).join(', ') }),
    );

  return {
    ok: true,
    value: {
      rowNo: row,
      villageCode,
      householdName: cells.householdName.trim(),
      householdIdNo: idNo,
      plotCode: cells.plotCode.trim(),
      taskCode,
      area,
      workDate,
      machineNo: cells.machineNo.trim(),
      operatorName: cells.operatorName.trim(),
      townCadreSigned: cells.townCadreSigned.trim(),
      villageCadreSigned: cells.villageCadreSigned.trim(),
      operatorSigned: cells.operatorSigned.trim(),
      farmerSigned: cells.farmerSigned.trim(),
    },
  };
}

/** What is registered already, for one row's plot and task line (api.md, register import). */
export interface RegisteredFacts {
  /** The plot code as an earlier row (not withdrawn) of the project typed it, for the same task. */
  earlierPlotCode: string | undefined;
  /** The line's area registered already (rows not withdrawn), without this row. */
  usedArea: number;
  assignedArea: number;
}

/**
 * A checked row against the register: a plot is registered once per task in a project, and a
 * task line's rows never add up to more than its assigned area. The one rule for an import's
 * batch and a correction.
 */
export function registeredRejection(
  row: number,
  taskCode: string,
  area: number,
  facts: RegisteredFacts,
): Rejection | undefined {
  if (facts.earlierPlotCode !== undefined) {
    return {
      row,
      code: 'DUPLICATE_PLOT_TASK',
      message: msg('row.duplicatePlotTask', { plotCode: facts.earlierPlotCode, taskCode }),
    };
  }
  const total = facts.usedArea + area;
  if (total > facts.assignedArea) {
    return {
      row,
      code: 'OVER_ASSIGNED_AREA',
      message: msg('row.overAssignedArea', {
        taskCode,
        total: formatMu(total),
        limit: formatMu(facts.assignedArea),
      }),
    };
  }
  return undefined;
}

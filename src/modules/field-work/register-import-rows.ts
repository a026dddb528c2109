import type { EntityManager } from 'typeorm';
import { identifierKey } from '../../common/values/identifier';
import {
  CopyLineStore,
  copyRegisterBytes,
  writeRegisterCopyLine,
  transactionClient,
  type RegisterCopyOwner,
} from './register-copy';
import type { OpenedTable, TableRow } from '../../common/files/table-file';
import type { RegisterColumn } from './register-file';
import type { RegisterRowInput } from './register.service';
import {
  checkRegisterRow,
  registeredRejection,
  type Rejection,
  type RowCheckContext,
} from './register-row-check';

/**
 * Rows checked and stored per batch: memory stays flat in the file's size (issue 17), and each
 * COPY is one statement of the import's transaction.
 */
export const IMPORT_BATCH_ROWS = 5_000;

/** What the rows are checked against besides the row itself (register-row-check.ts). */
export interface ImportFacts {
  context: RowCheckContext;
  /** Task code → the contract's assigned area, hundredths of a mu. */
  assigned: ReadonlyMap<string, number>;
  /** Task code → area already registered (rows not withdrawn); the import adds to it. */
  used: Map<string, number>;
}

export interface ImportTally {
  /** Data rows in the file. */
  rows: number;
  accepted: number;
  rejected: Rejection[];
}

/**
 * The rows of one batch after their own checks, with no object per row: what the batch checks
 * need (row number, area, task) in typed arrays indexed by the row's place in the batch, its plot
 * and its COPY line as UTF-8 bytes in buffers ({@link CopyLineStore}). Batch after batch the same
 * arrays and buffers are reused: a batch being filled or waiting for the database holds no
 * string or object of its rows, which V8 would otherwise move to its old generation while the
 * next rows are parsed (and memory then grew with the file). The plots become strings again only
 * for the batch's lookup and checks.
 */
class CheckedBatch {
  count = 0;
  readonly lines = new CopyLineStore();
  private readonly plotBytes = new CopyLineStore();
  private readonly rowNo = new Int32Array(IMPORT_BATCH_ROWS);
  private readonly area = new Float64Array(IMPORT_BATCH_ROWS);
  /** The row's COPY line in `lines` is [start, end); end 0: no line (a rejected row). */
  private readonly start = new Int32Array(IMPORT_BATCH_ROWS);
  private readonly end = new Int32Array(IMPORT_BATCH_ROWS);
  private readonly plotStart = new Int32Array(IMPORT_BATCH_ROWS);
  private readonly plotEnd = new Int32Array(IMPORT_BATCH_ROWS);
  /**
   * The row's task as an index into `taskCodes` (only the contract's own task codes pass the row
   * checks; 16 bits, so even a contract of hundreds of task lines cannot wrap the index).
   */
  private readonly task = new Uint16Array(IMPORT_BATCH_ROWS);
  private readonly taskCodes: string[] = [];
  /** The rows' rejections by place: one row in a hundred or so. */
  private readonly rejections = new Map<number, Rejection>();
  /**
   * The plots' keys (identifierKey: as people read them) as strings, from {@link plotKeys} until
   * {@link decide}: what duplicates are found by.
   */
  private plots: string[] = [];

  clear(): void {
    this.count = 0;
    this.lines.clear();
    this.plotBytes.clear();
  }

  rejected(rejection: Rejection): void {
    const at = this.count++;
    this.rejections.set(at, rejection);
    this.end[at] = 0;
  }

  checked(owner: RegisterCopyOwner, value: RegisterRowInput): void {
    const at = this.count++;
    const { rowNo: row, plotCode, taskCode, area } = value;
    [this.start[at], this.end[at]] = writeRegisterCopyLine(this.lines, owner, value);
    [this.plotStart[at], this.plotEnd[at]] = this.plotBytes.append(identifierKey(plotCode));
    let task = this.taskCodes.indexOf(taskCode);
    if (task < 0) task = this.taskCodes.push(taskCode) - 1;
    this.task[at] = task;
    this.rowNo[at] = row;
    this.area[at] = area;
  }

  /** The plot keys of the rows that passed their own checks, as strings for the batch's checks. */
  plotKeys(): string[] {
    this.plots = [];
    const codes: string[] = [];
    for (let at = 0; at < this.count; at++) {
      const plot =
        this.end[at] === 0 ? '' : this.plotBytes.text(this.plotStart[at], this.plotEnd[at]);
      this.plots.push(plot);
      if (this.end[at] !== 0) codes.push(plot);
    }
    return codes;
  }

  /**
   * Visits the rows in file order (after {@link plotKeys}): `keep` answers whether a row that
   * passed its own checks is kept; a row not kept loses its COPY line. The plot strings are
   * dropped after, so that only the COPY bytes wait for the database.
   */
  decide(
    rejected: (rejection: Rejection) => void,
    keep: (row: number, plotKey: string, taskCode: string, area: number) => boolean,
  ): number {
    let kept = 0;
    for (let at = 0; at < this.count; at++) {
      if (this.end[at] === 0) {
        rejected(this.rejections.get(at) as Rejection);
      } else if (
        keep(this.rowNo[at], this.plots[at], this.taskCodes[this.task[at]], this.area[at])
      ) {
        kept += 1;
      } else {
        this.end[at] = 0;
      }
    }
    this.rejections.clear();
    this.plots = [];
    return kept;
  }

  /** The kept rows' COPY lines, adjacent ones joined, in chunks of about 64 KB. */
  copyChunks(): Generator<Buffer> {
    return this.lines.chunks(this.keptRanges());
  }

  private *keptRanges(): Generator<[number, number]> {
    for (let at = 0; at < this.count; at++) {
      if (this.end[at] !== 0) yield [this.start[at], this.end[at]];
    }
  }
}

/**
 * Checks each row as it is read, into the {@link CheckedBatch} of its batch: rows come in batches
 * of exactly IMPORT_BATCH_ROWS (the last one fewer), so every IMPORT_BATCH_ROWS-th row opens the
 * next one. A batch comes back for reuse when its COPY is done.
 */
class RowChecker {
  private filling: CheckedBatch | undefined;
  /** The batches read and not yet stored, in file order. */
  readonly pending: CheckedBatch[] = [];
  private readonly free: CheckedBatch[] = [];

  constructor(
    private readonly context: RowCheckContext,
    private readonly owner: RegisterCopyOwner,
  ) {}

  /** Checks one row; the reader's batch gets a 1 for it (what it keeps of a row). */
  check({ row, cells, labels, numbers }: TableRow<RegisterColumn>): 1 {
    let batch = this.filling;
    if (batch === undefined || batch.count === IMPORT_BATCH_ROWS) {
      batch = this.free.pop() ?? new CheckedBatch();
      batch.clear();
      this.pending.push(batch);
      this.filling = batch;
    }
    const result = checkRegisterRow(row, cells, this.context, { labels, numbers });
    if (result.ok) batch.checked(this.owner, result.value);
    else batch.rejected(result.rejection);
    return 1;
  }

  release(batch: CheckedBatch): void {
    this.free.push(batch);
  }
}

const ignore = () => undefined;

/**
 * Reads, checks and stores the rows of one file inside the caller's transaction, in file order:
 * while one batch's COPY runs, the next batch is parsed and checked. Before a batch is compared
 * with the stored rows, the previous batch's COPY has finished, so the lookup also sees the rows
 * this file stored earlier (a duplicate within the file is one against a stored row). A
 * whole-file problem found late (a ragged line, too many rows) throws, and the transaction then
 * rolls back every batch: nothing of the file is kept.
 */
export async function importRegisterRows(
  manager: EntityManager,
  contract: RegisterCopyOwner,
  table: OpenedTable<RegisterColumn>,
  facts: ImportFacts,
): Promise<ImportTally> {
  const client = transactionClient(manager);
  const tally: ImportTally = { rows: 0, accepted: 0, rejected: [] };
  const checker = new RowChecker(facts.context, contract);
  const batches = table
    .batches(IMPORT_BATCH_ROWS, (row) => checker.check(row))
    [Symbol.asyncIterator]();
  let copying: Promise<unknown> = Promise.resolve();
  // Every promise left running gets a handler at once: a failure is seen where it is awaited.
  let next = batches.next();
  next.catch(ignore);
  try {
    for (;;) {
      const batch = await next;
      if (batch.done) break;
      next = batches.next();
      next.catch(ignore);
      await copying;
      const checked = checker.pending.shift() as CheckedBatch;
      const kept = await keepNew(manager, contract.projectId, checked, facts, tally);
      copying = (
        kept > 0
          ? copyRegisterBytes(client, 'register_row', checked.copyChunks())
          : Promise.resolve()
      ).then(() => checker.release(checked));
      copying.catch(ignore);
    }
    await copying;
  } catch (error) {
    // The connection must be free of its COPY before the transaction can roll back.
    await copying.catch(ignore);
    await next.catch(ignore);
    await batches.return?.(undefined)?.catch(ignore);
    throw error;
  }
  return tally;
}

/** A batch's rows against the stored rows and the assigned areas: how many it keeps. */
async function keepNew(
  manager: EntityManager,
  projectId: string,
  batch: CheckedBatch,
  facts: ImportFacts,
  tally: ImportTally,
): Promise<number> {
  const taken = await takenPlots(manager, projectId, batch.plotKeys());
  const refuse = (rejection: Rejection) => {
    tally.rejected.push(rejection);
    return false;
  };
  tally.rows += batch.count;
  const kept = batch.decide(refuse, (row, plotKey, taskCode, area) => {
    const key = `${plotKey}\u0000${taskCode}`;
    const usedArea = facts.used.get(taskCode) ?? 0;
    const rejection = registeredRejection(row, taskCode, area, {
      earlierPlotCode: taken.get(key),
      usedArea,
      assignedArea: facts.assigned.get(taskCode) ?? 0,
    });
    if (rejection) return refuse(rejection);
    taken.set(key, plotKey);
    facts.used.set(taskCode, usedArea + area);
    return true;
  });
  tally.accepted += kept;
  return kept;
}

/**
 * (plot key, task) pairs of the project already registered, for the given plot keys, with the
 * plot code as the earlier row typed it (what a rejection names).
 */
async function takenPlots(
  manager: EntityManager,
  projectId: string,
  plotKeys: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(plotKeys.filter((key) => key !== ''))];
  const taken = new Map<string, string>();
  if (unique.length === 0) return taken;
  const rows = await manager.query<{ plot_key: string; plot_code: string; task_code: string }[]>(
    `SELECT plot_key, plot_code, task_code FROM register_row WHERE project_id = $1 AND state <> 'withdrawn' AND plot_key = ANY($2)`,
    [projectId, unique],
  );
  for (const row of rows) taken.set(`${row.plot_key}\u0000${row.task_code}`, row.plot_code);
  return taken;
}

import type { EntityManager } from 'typeorm';
import { formatMu } from '../../common/values/decimal-units';
import {
  CopyLineStore,
  copyRegisterBytes,
  registerCopyLine,
  transactionClient,
  type RegisterCopyOwner,
} from './register-copy';
import type { OpenedTable } from '../../common/files/table-file';
import type { RegisterColumn, RegisterFileRow } from './register-file';
import { checkRegisterRow, type Rejection, type RowCheckContext } from './register-row-check';

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
 * A row after its own checks: its rejection, or what the batch checks need and its COPY line.
 * Nothing else of the row is kept while the batch waits, so that it stays small.
 */
type Checked =
  | { row: number; rejection: Rejection }
  | { row: number; plotCode: string; taskCode: string; area: number; line: [number, number] };

/**
 * Checks each row as it is read, its COPY line written into the store of its batch: rows come
 * in batches of exactly IMPORT_BATCH_ROWS (the last one fewer), so every IMPORT_BATCH_ROWS-th
 * row opens the next store. A store comes back for reuse when its batch's COPY is done.
 */
class RowChecker {
  private count = 0;
  private filling = new CopyLineStore();
  /** The stores of the batches read and not yet stored, in file order. */
  readonly pending: CopyLineStore[] = [];
  private readonly free: CopyLineStore[] = [];

  constructor(
    private readonly context: RowCheckContext,
    private readonly owner: RegisterCopyOwner,
  ) {}

  check({ row, cells }: RegisterFileRow): Checked {
    if (this.count++ % IMPORT_BATCH_ROWS === 0) {
      this.filling = this.free.pop() ?? new CopyLineStore();
      this.filling.clear();
      this.pending.push(this.filling);
    }
    const result = checkRegisterRow(row, cells, this.context);
    if (!result.ok) return { row, rejection: result.rejection };
    const { plotCode, taskCode, area } = result.value;
    const line = this.filling.append(registerCopyLine(this.owner, result.value));
    return { row, plotCode, taskCode, area, line };
  }

  release(store: CopyLineStore): void {
    this.free.push(store);
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
      const store = checker.pending.shift() as CopyLineStore;
      const accepted = await keepNew(manager, contract.projectId, batch.value, facts, tally);
      copying = (
        accepted.length > 0
          ? copyRegisterBytes(client, 'register_row', store.chunks(accepted))
          : Promise.resolve()
      ).then(() => checker.release(store));
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

/** A batch's rows against the stored rows and the assigned areas: where their COPY lines are. */
async function keepNew(
  manager: EntityManager,
  projectId: string,
  batch: readonly Checked[],
  facts: ImportFacts,
  tally: ImportTally,
): Promise<[number, number][]> {
  const taken = await takenPlots(
    manager,
    projectId,
    batch.flatMap((checked) => ('line' in checked ? [checked.plotCode] : [])),
  );
  const accepted: [number, number][] = [];
  for (const checked of batch) {
    tally.rows += 1;
    if (!('line' in checked)) {
      tally.rejected.push(checked.rejection);
      continue;
    }
    const { row, ...value } = checked;
    const key = `${value.plotCode}\u0000${value.taskCode}`;
    if (taken.has(key)) {
      tally.rejected.push({
        row,
        code: 'DUPLICATE_PLOT_TASK',
        message: `plot ${value.plotCode} is already registered for ${value.taskCode} in this project`,
      });
      continue;
    }
    const total = (facts.used.get(value.taskCode) ?? 0) + value.area;
    const limit = facts.assigned.get(value.taskCode) ?? 0;
    if (total > limit) {
      tally.rejected.push({
        row,
        code: 'OVER_ASSIGNED_AREA',
        message: `${value.taskCode} would reach ${formatMu(total)} mu; the contract assigns ${formatMu(limit)} mu`,
      });
      continue;
    }
    taken.add(key);
    facts.used.set(value.taskCode, total);
    accepted.push(value.line);
  }
  tally.accepted += accepted.length;
  return accepted;
}

/** (plot, task) pairs of the project already registered, for the given plots. */
async function takenPlots(
  manager: EntityManager,
  projectId: string,
  plotCodes: string[],
): Promise<Set<string>> {
  const unique = [...new Set(plotCodes.filter((code) => code !== ''))];
  const taken = new Set<string>();
  if (unique.length === 0) return taken;
  const rows = await manager.query<{ plot_code: string; task_code: string }[]>(
    `SELECT plot_code, task_code FROM register_row WHERE project_id = $1 AND state <> 'withdrawn' AND plot_code = ANY($2)`,
    [projectId, unique],
  );
  for (const row of rows) taken.add(`${row.plot_code}\u0000${row.task_code}`);
  return taken;
}

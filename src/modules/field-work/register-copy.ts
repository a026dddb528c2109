import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { RegisterRowInput } from './register.service';

// The COPY encoding of register rows: the import stores with it, and bench/register-import.ts
// builds its baseline with the very same text, so the two cannot drift apart (issue 12).

export const REGISTER_COPY_COLUMNS = [
  'contract_id',
  'project_id',
  'row_no',
  'village_code',
  'household_name',
  'household_id_no',
  'plot_code',
  'task_code',
  'area',
  'work_date',
  'machine_no',
  'operator_name',
  'town_cadre_signed',
  'village_cadre_signed',
  'operator_signed',
  'farmer_signed',
  'state',
] as const;

/** The contract the rows belong to. */
export interface RegisterCopyOwner {
  id: string;
  projectId: string;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const escapeCopyChar = (char: string) => COPY_ESCAPES[char];

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
export function copyField(value: string | number): string {
  const text = String(value);
  // Most cells have nothing to escape: they are used as they are, with no new string.
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, escapeCopyChar) : text;
}

/**
 * One row as a line of COPY text, columns as {@link REGISTER_COPY_COLUMNS}. One string
 * concatenation, no array of fields: made for every row of an import, it is the import's
 * largest allocation after the row checks.
 */
export function registerCopyLine(owner: RegisterCopyOwner, row: RegisterRowInput): string {
  return [
    copyField(owner.id),
    copyField(owner.projectId),
    row.rowNo,
    copyField(row.villageCode),
    copyField(row.householdName),
    copyField(row.householdIdNo),
    copyField(row.plotCode),
    copyField(row.taskCode),
    row.area,
    copyField(row.workDate),
    copyField(row.machineNo),
    copyField(row.operatorName),
    copyField(row.townCadreSigned),
    copyField(row.villageCadreSigned),
    copyField(row.operatorSigned),
    copyField(row.farmerSigned),
    'working\n',
  ].join('\t');
}

/** Lines of COPY text joined into chunks of about 64 KB. */
function* copyChunks(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function* copyLines(owner: RegisterCopyOwner, rows: Iterable<RegisterRowInput>) {
  for (const row of rows) yield registerCopyLine(owner, row);
}

/** The rows as COPY text in chunks of about 64 KB. */
export function registerCopyChunks(
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Generator<string> {
  return copyChunks(copyLines(owner, rows));
}

/**
 * `COPY table (columns) FROM STDIN` through `client` of lines made by {@link registerCopyLine};
 * how many rows it stored.
 */
export async function copyRegisterLines(
  client: ClientBase,
  table: string,
  lines: Iterable<string>,
): Promise<number> {
  function* bytes() {
    for (const chunk of copyChunks(lines)) yield Buffer.from(chunk, 'utf8');
  }
  return copyRegisterBytes(client, table, bytes());
}

/** {@link copyRegisterLines} of the rows. */
export function copyRegisterRows(
  client: ClientBase,
  table: string,
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Promise<number> {
  return copyRegisterLines(client, table, copyLines(owner, rows));
}

/** The transaction's own connection: COPY must run inside the transaction. */
export function transactionClient(manager: EntityManager): PoolClient {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)
    ?.databaseConnection;
  if (!client) throw new Error('COPY needs the transaction connection');
  return client;
}

/**
 * The COPY lines of one batch as UTF-8 bytes in one buffer, reused batch after batch: a batch
 * waiting for the database holds no line strings, which V8 would move to its old generation
 * and collect late (memory then grew with the file).
 */
export class CopyLineStore {
  private bytes = Buffer.allocUnsafe(1024 * 1024);
  private used = 0;

  /** Appends a line made by {@link registerCopyLine}; its [start, end) in the store. */
  append(line: string): [number, number] {
    const start = this.used;
    const needed = start + Buffer.byteLength(line);
    if (needed > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(needed, 2 * this.bytes.length));
      this.bytes.copy(larger, 0, 0, start);
      this.bytes = larger;
    }
    this.used += this.bytes.write(line, start, 'utf8');
    return [start, this.used];
  }

  clear(): void {
    this.used = 0;
  }

  /** The lines at `ranges` (in order), as chunks of about 64 KB; adjacent lines are joined. */
  *chunks(ranges: Iterable<readonly [number, number]>): Generator<Buffer> {
    let from = -1;
    let to = -1;
    for (const [start, end] of ranges) {
      if (start === to && end - from <= 64 * 1024) {
        to = end;
        continue;
      }
      if (from >= 0) yield this.bytes.subarray(from, to);
      [from, to] = [start, end];
    }
    if (from >= 0) yield this.bytes.subarray(from, to);
  }
}

/** `COPY … FROM STDIN` of ready COPY text; how many rows it stored. */
export async function copyRegisterBytes(
  client: ClientBase,
  table: string,
  chunks: Iterable<Buffer>,
): Promise<number> {
  const stream = client.query(
    copyFrom(`COPY ${table} (${REGISTER_COPY_COLUMNS.join(', ')}) FROM STDIN`),
  );
  await pipeline(Readable.from(chunks), stream);
  return stream.rowCount;
}

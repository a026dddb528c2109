import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { identifierKey } from '../../common/values/identifier';
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
  'plot_key',
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
 * Writes one row as a line of COPY text into `store`, columns as {@link REGISTER_COPY_COLUMNS};
 * where the line is. Made for every row of an import, so it makes little garbage: the text cells
 * go in as two joined strings, and the row number and area (integers) as digits written straight
 * into the buffer. A number turned into a string (`String(n)`, a join) lands in V8's
 * number-to-string cache, which keeps it alive long enough to be promoted to the old generation:
 * ~20 bytes a row that made memory grow with the file.
 */
export function writeRegisterCopyLine(
  store: CopyLineStore,
  owner: RegisterCopyOwner,
  row: RegisterRowInput,
): [number, number] {
  const start = store.length;
  store.append(copyField(owner.id) + '\t' + copyField(owner.projectId) + '\t');
  store.appendInteger(row.rowNo);
  store.append(
    [
      '',
      copyField(row.villageCode),
      copyField(row.householdName),
      copyField(row.householdIdNo),
      copyField(row.plotCode),
      copyField(row.taskCode),
      '',
    ].join('\t'),
  );
  store.appendInteger(row.area);
  store.append(
    [
      '',
      copyField(row.workDate),
      copyField(row.machineNo),
      copyField(row.operatorName),
      copyField(row.townCadreSigned),
      copyField(row.villageCadreSigned),
      copyField(row.operatorSigned),
      copyField(row.farmerSigned),
      'working',
      copyField(identifierKey(row.plotCode)) + '\n',
    ].join('\t'),
  );
  return [start, store.length];
}

/** The rows as COPY text in chunks of about 64 KB (each chunk a buffer of its own). */
export function* registerCopyChunks(
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Generator<Buffer> {
  let store = new CopyLineStore(96 * 1024);
  for (const row of rows) {
    writeRegisterCopyLine(store, owner, row);
    if (store.length > 64 * 1024) {
      yield store.all();
      store = new CopyLineStore(96 * 1024);
    }
  }
  if (store.length > 0) yield store.all();
}

/**
 * `COPY table (columns) FROM STDIN` through `client` of the rows, encoded by
 * {@link writeRegisterCopyLine} as the import encodes them; how many rows it stored.
 */
export function copyRegisterRows(
  client: ClientBase,
  table: string,
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Promise<number> {
  return copyRegisterBytes(client, table, registerCopyChunks(owner, rows));
}

/** The transaction's own connection: COPY must run inside the transaction. */
export function transactionClient(manager: EntityManager): PoolClient {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)
    ?.databaseConnection;
  if (!client) throw new Error('COPY needs the transaction connection');
  return client;
}

/**
 * Texts of one batch (its COPY lines; its plots) as UTF-8 bytes in one buffer, reused batch
 * after batch: a batch waiting for the database holds no strings, which V8 would move to its old
 * generation and collect late (memory then grew with the file).
 */
export class CopyLineStore {
  private bytes: Buffer;
  private used = 0;

  constructor(initialBytes = 1024 * 1024) {
    this.bytes = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written since the last {@link clear}. */
  get length(): number {
    return this.used;
  }

  /** Appends a text (part of a COPY line, a plot); its [start, end) in the store. */
  append(text: string): [number, number] {
    const start = this.used;
    this.reserve(Buffer.byteLength(text));
    this.used += this.bytes.write(text, start, 'utf8');
    return [start, this.used];
  }

  /** Appends a non-negative integer's decimal digits, with no string made for it. */
  appendInteger(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      this.append(String(value));
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    this.reserve(digits);
    let rest = value;
    for (let at = this.used + digits - 1; at >= this.used; at--) {
      this.bytes[at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.used += digits;
  }

  private reserve(bytes: number): void {
    const needed = this.used + bytes;
    if (needed <= this.bytes.length) return;
    const larger = Buffer.allocUnsafe(Math.max(needed, 2 * this.bytes.length));
    this.bytes.copy(larger, 0, 0, this.used);
    this.bytes = larger;
  }

  clear(): void {
    this.used = 0;
  }

  /** Everything written since the last {@link clear} (a view, valid until the next write). */
  all(): Buffer {
    return this.bytes.subarray(0, this.used);
  }

  /** The text at [start, end), as {@link append} answered it. */
  text(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end);
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

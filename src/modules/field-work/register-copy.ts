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

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
export function copyField(value: string | number): string {
  return String(value).replace(
    /[\\\t\n\r]/g,
    (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char] as string,
  );
}

/** The rows as COPY text in chunks of about 64 KB, columns as {@link REGISTER_COPY_COLUMNS}. */
export function* registerCopyChunks(
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk +=
      [
        owner.id,
        owner.projectId,
        row.rowNo,
        row.villageCode,
        row.householdName,
        row.householdIdNo,
        row.plotCode,
        row.taskCode,
        row.area,
        row.workDate,
        row.machineNo,
        row.operatorName,
        row.townCadreSigned,
        row.villageCadreSigned,
        row.operatorSigned,
        row.farmerSigned,
        'working',
      ]
        .map(copyField)
        .join('\t') + '\n';
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** `COPY table (columns) FROM STDIN` of the rows through `client`; how many rows it stored. */
export async function copyRegisterRows(
  client: ClientBase,
  table: string,
  owner: RegisterCopyOwner,
  rows: Iterable<RegisterRowInput>,
): Promise<number> {
  const stream = client.query(
    copyFrom(`COPY ${table} (${REGISTER_COPY_COLUMNS.join(', ')}) FROM STDIN`),
  );
  await pipeline(Readable.from(registerCopyChunks(owner, rows)), stream);
  return stream.rowCount;
}

/** The transaction's own connection: COPY must run inside the transaction. */
export function transactionClient(manager: EntityManager): PoolClient {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined)
    ?.databaseConnection;
  if (!client) throw new Error('COPY needs the transaction connection');
  return client;
}

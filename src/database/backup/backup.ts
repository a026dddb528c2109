import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import tar from 'tar-stream';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  DATA_DIR_SECRETS,
  type BackupEntry,
  type BackupManifest,
  type BackupTable,
} from './backup-format';

export interface BackupOptions {
  /** The instance's database. */
  url: string;
  /** The instance's DATA_DIR (files and secrets). */
  dataDir: string;
  /** The backup file to write (written as FILE.partial, renamed when complete). */
  file: string;
  log?: (message: string) => void;
  /**
   * Runs inside the snapshot's transaction, once every table is copied and before it ends: a
   * caller that wants to read the database as the backup shows it (a restore drill).
   */
  onSnapshot?: (query: <T>(sql: string) => Promise<T[]>) => Promise<void>;
}

/**
 * A consistent online backup: one REPEATABLE READ READ ONLY transaction sees one snapshot of the
 * whole database while the app goes on writing; every table is copied out of it (COPY TO, a
 * table at a time, spooled to a temporary file), then the files the snapshot references are
 * added from DATA_DIR/files. Those are content-addressed and never rewritten, so a file named in
 * the snapshot is the file it meant, whenever it is read.
 */
export async function writeBackup(options: BackupOptions): Promise<BackupManifest> {
  const log = options.log ?? (() => undefined);
  const target = path.resolve(options.file);
  const spool = fs.mkdtempSync(path.join(path.dirname(target), '.backup-spool-'));
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = await readSnapshot(client, spool, log);
    if (options.onSnapshot)
      await options.onSnapshot(async <T>(sql: string) => (await client.query(sql)).rows as T[]);
    await client.query('COMMIT');
    await client.end().catch(() => undefined);

    const partial = `${target}.partial`;
    const entries: BackupEntry[] = [];
    const pack = tar.pack();
    const written = pipeline(
      pack,
      createGzip(),
      fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
    );
    written.catch(() => undefined); // awaited below; a failure also ends the entries' writes
    for (const table of snapshot.tables)
      entries.push(await addFile(pack, table.entry, path.join(spool, table.entry)));
    for (const sha256 of snapshot.files) {
      const name = `files/${sha256.slice(0, 2)}/${sha256}`;
      const source = path.join(options.dataDir, name);
      if (!fs.existsSync(source))
        throw new BackupError(`The database names the file ${sha256}, but ${source} is missing`);
      const entry = await addFile(pack, name, source);
      if (entry.sha256 !== sha256)
        throw new BackupError(`The stored file ${source} does not match its name (damaged)`);
      entries.push(entry);
    }
    for (const secret of DATA_DIR_SECRETS) {
      const source = path.join(options.dataDir, secret);
      if (fs.existsSync(source)) entries.push(await addFile(pack, `secrets/${secret}`, source));
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      snapshotAt: snapshot.at,
      serverVersion: snapshot.serverVersion,
      migrations: snapshot.migrations,
      tables: snapshot.tables,
      sequences: snapshot.sequences,
      files: snapshot.files.length,
      entries,
    };
    const manifestText = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    pack.entry({ name: 'manifest.json', mode: 0o600 }, manifestText);
    pack.entry(
      { name: 'manifest.sha256', mode: 0o600 },
      `${createHash('sha256').update(manifestText).digest('hex')}  manifest.json\n`,
    );
    pack.finalize();
    await written;
    const handle = await fs.promises.open(partial, 'r');
    await handle.sync();
    await handle.close();
    await fs.promises.rename(partial, target);
    log(
      `Backup of ${snapshot.at}: ${snapshot.tables.length} tables, ${snapshot.tables.reduce((sum, table) => sum + table.rows, 0)} rows, ${snapshot.files.length} files → ${target} (${fs.statSync(target).size} bytes)`,
    );
    return manifest;
  } catch (error) {
    await client.end().catch(() => undefined);
    fs.rmSync(`${target}.partial`, { force: true });
    throw error;
  } finally {
    fs.rmSync(spool, { recursive: true, force: true });
  }
}

interface Snapshot {
  at: string;
  serverVersion: string;
  migrations: string[];
  tables: BackupTable[];
  sequences: BackupManifest['sequences'];
  files: string[];
}

async function readSnapshot(
  client: Client,
  spool: string,
  log: (message: string) => void,
): Promise<Snapshot> {
  const [{ at, version }] = (
    await client.query<{ at: Date; version: string }>(
      `SELECT now() AS at, current_setting('server_version') AS version`,
    )
  ).rows;
  const migrations = (
    await client.query<{ name: string }>('SELECT name FROM schema_migration ORDER BY id')
  ).rows.map((row) => row.name);
  const tables: BackupTable[] = [];
  fs.mkdirSync(path.join(spool, 'tables'));
  for (const name of await tablesInLoadOrder(client)) {
    const columns = (
      await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
          ORDER BY attnum`,
        [client.escapeIdentifier(name)],
      )
    ).rows.map((row) => row.name);
    const entry = `tables/${name}.copy`;
    let rows = 0;
    const lines = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        for (const byte of chunk) if (byte === 0x0a) rows += 1;
        callback(null, chunk);
      },
    });
    const list = columns.map((column) => client.escapeIdentifier(column)).join(', ');
    await pipeline(
      client.query(copyTo(`COPY ${client.escapeIdentifier(name)} (${list}) TO STDOUT`)),
      lines,
      fs.createWriteStream(path.join(spool, entry)),
    );
    tables.push({ name, columns, rows, entry });
  }
  const sequences = (
    await client.query<{ name: string; last_value: string | null }>(
      `SELECT sequencename AS name, last_value::text AS last_value FROM pg_sequences
        WHERE schemaname = 'public' ORDER BY sequencename`,
    )
  ).rows.map((row) => ({ name: row.name, lastValue: row.last_value }));
  const files = (
    await client.query<{ sha256: string }>(
      `SELECT sha256 FROM attachment
        UNION SELECT file_sha256 FROM issued_document WHERE file_sha256 IS NOT NULL
        ORDER BY 1`,
    )
  ).rows.map((row) => row.sha256);
  log(`Snapshot at ${at.toISOString()}: ${tables.length} tables copied`);
  return { at: at.toISOString(), serverVersion: version, migrations, tables, sequences, files };
}

/** The schema's tables, each after the tables its foreign keys point to. */
export async function tablesInLoadOrder(client: Client): Promise<string[]> {
  const tables = (
    await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migration'
        ORDER BY c.relname`,
    )
  ).rows.map((row) => row.name);
  const references = (
    await client.query<{ child: string; parent: string }>(
      `SELECT child.relname AS child, parent.relname AS parent
         FROM pg_constraint k
         JOIN pg_class child ON child.oid = k.conrelid
         JOIN pg_class parent ON parent.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE k.contype = 'f' AND n.nspname = 'public' AND child.oid <> parent.oid`,
    )
  ).rows;
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (table: string): void => {
    if (placed.has(table)) return;
    if (visiting.has(table)) throw new BackupError(`Foreign keys form a cycle through ${table}`);
    visiting.add(table);
    for (const reference of references)
      if (reference.child === table && tables.includes(reference.parent)) place(reference.parent);
    visiting.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table);
  return ordered;
}

/** Adds a file of known size to the tar, hashing it on the way. */
async function addFile(pack: tar.Pack, name: string, source: string): Promise<BackupEntry> {
  const { size } = await fs.promises.stat(source);
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry({ name, size, mode: 0o600 }, (error) =>
      error ? reject(error) : resolve(),
    );
    const input = fs.createReadStream(source);
    input.on('data', (chunk) => hash.update(chunk));
    input.once('error', reject);
    input.pipe(sink);
  });
  return { name, size, sha256: hash.digest('hex') };
}

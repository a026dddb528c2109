import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import tar from 'tar-stream';
import { DataSource, type MigrationInterface } from 'typeorm';
import { dataSourceOptions, MIGRATIONS_GLOB } from '../data-source-options';
import { runMigrations } from '../migrate';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  type BackupManifest,
} from './backup-format';

/**
 * Reads the whole backup once and checks it before anything is written: every entry's SHA-256
 * and size against the manifest, the manifest against its own digest, the format, and that this
 * code knows every migration of its schema. Throws BackupError with a message for people.
 */
export async function checkBackup(file: string): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file ${file}`);
  const seen = new Map<string, { size: number; sha256: string; text?: Buffer }>();
  try {
    await readEntries(file, async (name, stream) => {
      const hash = createHash('sha256');
      let size = 0;
      const keep: Buffer[] = [];
      const small = name === 'manifest.json' || name === 'manifest.sha256';
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (small) keep.push(chunk);
      }
      seen.set(name, {
        size,
        sha256: hash.digest('hex'),
        ...(small ? { text: Buffer.concat(keep) } : {}),
      });
    });
  } catch (error) {
    throw new BackupError(`The backup ${file} is damaged: ${(error as Error).message}`);
  }
  const manifestText = seen.get('manifest.json')?.text;
  const digestText = seen.get('manifest.sha256')?.text?.toString('utf8') ?? '';
  if (!manifestText)
    throw new BackupError(`The backup ${file} is damaged or incomplete: it has no manifest`);
  if (!digestText.startsWith(`${seen.get('manifest.json')?.sha256}  manifest.json`))
    throw new BackupError(`The backup ${file} is damaged: its manifest does not match its digest`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestText.toString('utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`The backup ${file} is damaged: its manifest is not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`${file} is not a backup of this application`);
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION)
    throw new BackupError(
      `The backup ${file} has format version ${manifest.formatVersion}; this code reads up to ${BACKUP_FORMAT_VERSION}. Restore it with the newer version of the application that wrote it.`,
    );
  for (const entry of manifest.entries) {
    const found = seen.get(entry.name);
    if (!found) throw new BackupError(`The backup ${file} is damaged: ${entry.name} is missing`);
    if (found.size !== entry.size || found.sha256 !== entry.sha256)
      throw new BackupError(
        `The backup ${file} is damaged: ${entry.name} does not match its SHA-256 in the manifest`,
      );
  }
  const known = new Set(knownMigrations().map((migration) => migrationName(migration)));
  const unknown = manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new BackupError(
      `The backup ${file} has a newer schema than this code knows (migrations ${unknown.join(', ')}). Restore it with the version of the application that wrote it, or a later one.`,
    );
  return manifest;
}

export interface RestoreOptions {
  file: string;
  /** The target DATA_DIR: must be empty or absent. */
  dataDir: string;
  /** The target database, empty; opened by `database` once DATA_DIR is checked. */
  database: () => Promise<{ url: string; stop: () => Promise<void> }>;
  log?: (message: string) => void;
}

/**
 * Restores a backup into an empty DATA_DIR and an empty database: the schema of the backup (its
 * own migrations), the rows (COPY FROM, tables in foreign-key order, user triggers off so the
 * audit chain's links are taken as they were, not computed again), the sequences, the files and
 * DATA_DIR's secrets; then this code's later migrations, if any.
 */
export async function restoreBackup(options: RestoreOptions): Promise<BackupManifest> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0)
    throw new BackupError(
      `The target DATA_DIR ${dataDir} is not empty: a restore writes only into an empty (or new) folder`,
    );
  const manifest = await checkBackup(options.file);
  log(
    `Backup of ${manifest.snapshotAt} checked: ${manifest.entries.length} entries, schema ${manifest.migrations.at(-1) ?? '(none)'}`,
  );
  fs.mkdirSync(dataDir, { recursive: true });
  const database = await options.database();
  try {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
          WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
      );
      if (rows[0].n > 0)
        throw new BackupError(
          'The target database is not empty: a restore writes only into an empty database',
        );
    } finally {
      await client.end();
    }
    await migrateTo(database.url, manifest.migrations);
    await load(database.url, dataDir, options.file, manifest);
    const later = await runMigrations(database.url);
    if (later.length > 0) log(`Migrated the restored schema: ${later.join(', ')}`);
    log(`Restored ${manifest.tables.length} tables and ${manifest.files} files into ${dataDir}`);
  } finally {
    await database.stop();
  }
  return manifest;
}

async function load(
  url: string,
  dataDir: string,
  file: string,
  manifest: BackupManifest,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const tables = new Map(manifest.tables.map((table) => [table.entry, table]));
    for (const table of manifest.tables)
      await client.query(`ALTER TABLE ${client.escapeIdentifier(table.name)} DISABLE TRIGGER USER`);
    await readEntries(file, async (name, stream) => {
      const table = tables.get(name);
      if (table) {
        const list = table.columns.map((column) => client.escapeIdentifier(column)).join(', ');
        await pipeline(
          stream,
          client.query(
            copyFrom(`COPY ${client.escapeIdentifier(table.name)} (${list}) FROM STDIN`),
          ),
        );
      } else if (name.startsWith('files/') || name.startsWith('secrets/')) {
        const target = path.join(dataDir, name.startsWith('files/') ? name : name.slice(8));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        await pipeline(stream, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
      } else {
        stream.resume();
        await new Promise((resolve) => stream.once('end', resolve));
      }
    });
    for (const table of manifest.tables)
      await client.query(`ALTER TABLE ${client.escapeIdentifier(table.name)} ENABLE TRIGGER USER`);
    for (const sequence of manifest.sequences)
      if (sequence.lastValue !== null)
        await client.query(`SELECT setval($1::regclass, $2::bigint, true)`, [
          client.escapeIdentifier(sequence.name),
          sequence.lastValue,
        ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Each entry of the backup in order, as a stream the callback reads to its end. */
async function readEntries(
  file: string,
  onEntry: (name: string, stream: Readable) => Promise<void>,
): Promise<void> {
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const body = new PassThrough();
    stream.pipe(body);
    onEntry(header.name, body).then(
      () => next(),
      (error: unknown) => extract.destroy(error as Error),
    );
  });
  await pipeline(fs.createReadStream(file), createGunzip(), extract);
}

/** The migrations this code has (compiled or, under Jest, TypeScript). */
function knownMigrations(): (new () => MigrationInterface)[] {
  const folder = path.dirname(MIGRATIONS_GLOB);
  const classes: (new () => MigrationInterface)[] = [];
  for (const name of fs.readdirSync(folder).sort()) {
    if (!/^\d+-\w+\.(js|ts)$/.test(name)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(folder, name)) as Record<string, unknown>;
    for (const value of Object.values(module))
      if (typeof value === 'function') classes.push(value as new () => MigrationInterface);
  }
  return classes;
}

function migrationName(migration: new () => MigrationInterface): string {
  return new migration().name ?? migration.name;
}

/** Builds the backup's schema: exactly its migrations, no later one yet (its rows fit that). */
async function migrateTo(url: string, names: string[]): Promise<void> {
  const wanted = new Set(names);
  const migrations = knownMigrations().filter((migration) => wanted.has(migrationName(migration)));
  const dataSource = new DataSource({ ...dataSourceOptions(url, 1), migrations });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

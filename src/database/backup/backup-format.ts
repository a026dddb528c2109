/**
 * The backup file: a gzip-compressed tar. Entries, in order: `tables/<table>.copy` (PostgreSQL
 * COPY text format, one per table, in foreign-key order so that a restore loads them as they
 * come), `files/<ab>/<sha256>` (the files the database references, from DATA_DIR/files),
 * `secrets/<name>` (DATA_DIR's own secrets: the JWT key, the admin password), and last
 * `manifest.json` with the SHA-256 and size of every other entry and `manifest.sha256`.
 */
export const BACKUP_FORMAT = 'agri-subsidy-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** Secrets kept under DATA_DIR that a restored instance needs (tokens stay valid). */
export const DATA_DIR_SECRETS = ['jwt-secret', 'admin-password'] as const;

export interface BackupTable {
  name: string;
  /** The columns copied (generated columns are left out: PostgreSQL computes them again). */
  columns: string[];
  rows: number;
  entry: string;
}

export interface BackupEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** The database's clock at the snapshot: the instant the backup shows. */
  snapshotAt: string;
  serverVersion: string;
  /** The schema: the migrations applied, oldest first (TypeORM names). */
  migrations: string[];
  tables: BackupTable[];
  sequences: { name: string; lastValue: string | null }[];
  files: number;
  entries: BackupEntry[];
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

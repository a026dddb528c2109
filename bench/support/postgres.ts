/**
 * The benchmarks' PostgreSQL: the embedded server (src/database/embedded-postgres.ts), fsync on
 * unless asked otherwise, in a temporary folder or a given data folder, on a free or given port;
 * fresh databases with the migrations applied. The server module is loaded on first use only, so
 * that a worker thread importing a benchmark's file does not load it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { log } from './stats';

export interface PostgresOptions {
  /** Names the temporary folder (`agri-bench-<name>-…`). */
  name: string;
  /** A data folder to use (kept afterwards) instead of one in the temporary folder. */
  dataDir?: string;
  port?: number;
  /** Extra server settings, e.g. `shared_preload_libraries`. */
  settings?: Record<string, string>;
  /** fsync and synchronous commit off: never for figures that go to docs/benchmarks.md. */
  ephemeral?: boolean;
}

export interface BenchPostgres {
  server: EmbeddedPostgres;
  /** The temporary folder (removed by `stop`). */
  home: string;
  /** PGDATA: for postgresCpuMs (stats.ts). */
  dataDir: string;
  port: number;
  /** A superuser URL of the `postgres` database. */
  adminUrl: string;
  /** A new database, migrated unless `migrate` is false; its URL. */
  createDatabase: (options?: { migrate?: boolean }) => Promise<string>;
  /** Stops the server and removes the temporary folder (not a given `dataDir`). */
  stop: () => Promise<void>;
}

export async function startPostgres(options: PostgresOptions): Promise<BenchPostgres> {
  const { EmbeddedPostgres } = await import('../../src/database/embedded-postgres.js');
  const { createTestDatabase } = await import('../../test/support/test-app.js');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `agri-bench-${options.name}-`));
  fs.chmodSync(home, 0o755); // as root, the postgres OS user must traverse it
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(home, 'pg');
  let server: EmbeddedPostgres;
  try {
    server = await EmbeddedPostgres.start({
      dataDir,
      port: options.port,
      ephemeral: options.ephemeral ?? false,
      settings: options.settings,
      log,
    });
  } catch (error) {
    fs.rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const adminUrl = server.url();
  // test/support/test-app.ts creates its databases on this server.
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  return {
    server,
    home,
    dataDir,
    port: server.port,
    adminUrl,
    createDatabase: async ({ migrate = true } = {}) => (await createTestDatabase({ migrate })).url,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

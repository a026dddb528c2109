import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTestDatabase } from './databases';

export interface TestServer {
  server: EmbeddedPostgres;
  dir: string;
}

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, else an embedded server in a
 * temporary folder (fsync off: its data is thrown away), with a migrated template database. Each
 * test file then creates its own database on it, a copy of the template (see databases.ts), so
 * files never share rows.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_ADMIN_URL = process.env.DATABASE_URL;
    await createTemplate();
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-test-'));
  fs.chmodSync(dir, 0o755); // the postgres OS user must traverse it when we run as root
  const server = await EmbeddedPostgres.start({ dataDir: path.join(dir, 'pg'), ephemeral: true });
  (globalThis as { __AGRI_TEST_PG__?: TestServer }).__AGRI_TEST_PG__ = { server, dir };
  process.env.TEST_PG_ADMIN_URL = server.url();
  await createTemplate();
}

/**
 * The run's migrated template: every test file's database is a copy of it (`CREATE DATABASE …
 * TEMPLATE`, see databases.ts), which takes a fraction of running the migrations once per file.
 * Its name goes to the workers in TEST_PG_TEMPLATE; the teardown drops it.
 */
async function createTemplate(): Promise<void> {
  process.env.TEST_PG_TEMPLATE = (await createTestDatabase()).name;
}

import path from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

export const EMBEDDED_DATABASE = 'agri_subsidy';

export interface ProvidedDatabase {
  url: string;
  /** Where the data lives, for the start-up log. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL under DATA_DIR/pg. */
export async function provideDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<ProvidedDatabase> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return {
      url: config.databaseUrl,
      description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL)`,
      stop: () => Promise.resolve(),
    };
  }
  const dataDir = path.join(config.dataDir, 'pg');
  const server = await EmbeddedPostgres.start({ dataDir, log });
  try {
    await ensureDatabase(server.url(), EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: server.url(EMBEDDED_DATABASE),
    description: `embedded PostgreSQL on 127.0.0.1:${server.port}, data in ${dataDir}`,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';

/** The run's PostgreSQL (global-setup.ts), or DATABASE_URL's. */
function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'No test database: run the e2e tests through jest (global setup) or set DATABASE_URL',
    );
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function dropDatabase(name: string): Promise<void> {
  return adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * A fresh database with the migrations applied (unless `migrate` is false), on the run's
 * PostgreSQL: a copy of the run's migrated template (TEST_PG_TEMPLATE, made by global-setup.ts
 * with this function) when there is one, else migrated here.
 */
export async function createTestDatabase({ migrate = true }: { migrate?: boolean } = {}): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = migrate ? process.env.TEST_PG_TEMPLATE : undefined;
  await adminQuery(
    `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template} STRATEGY FILE_COPY` : ''}`,
  );
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  if (migrate && !template) await runMigrations(url.toString());
  return { name, url: url.toString(), drop: () => dropDatabase(name) };
}

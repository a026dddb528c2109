import fs from 'node:fs';
import { Client } from 'pg';
import type { TestServer } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const test = (globalThis as { __AGRI_TEST_PG__?: TestServer }).__AGRI_TEST_PG__;
  if (!test) {
    // DATABASE_URL's server outlives the run: drop the run's template on it.
    const template = process.env.TEST_PG_TEMPLATE;
    if (!template || !process.env.TEST_PG_ADMIN_URL) return;
    const client = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
    return;
  }
  await test.server.stop();
  fs.rmSync(test.dir, { recursive: true, force: true });
}

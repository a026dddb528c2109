import fs from 'node:fs';
import { dropDatabase } from './databases';
import type { TestServer } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const test = (globalThis as { __AGRI_TEST_PG__?: TestServer }).__AGRI_TEST_PG__;
  if (!test) {
    // DATABASE_URL's server outlives the run: drop the run's template on it.
    if (process.env.TEST_PG_TEMPLATE) await dropDatabase(process.env.TEST_PG_TEMPLATE);
    return;
  }
  await test.server.stop();
  fs.rmSync(test.dir, { recursive: true, force: true });
}

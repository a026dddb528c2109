import fs from 'node:fs';
import type { TestServer } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const test = (globalThis as { __AGRI_TEST_PG__?: TestServer }).__AGRI_TEST_PG__;
  if (!test) return;
  await test.server.stop();
  fs.rmSync(test.dir, { recursive: true, force: true });
}

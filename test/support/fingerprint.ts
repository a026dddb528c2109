import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';

/**
 * Row count and digest of every table: equal before and after a refused request proves that
 * it wrote nothing.
 */
export async function fingerprint(dataSource: DataSource): Promise<Record<string, string>> {
  const tables = await dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = await dataSource.query<{ n: string; digest: string }[]>(
      `SELECT count(*)::text AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM "${table}" t`,
    );
    result[table] = `${row.n}:${row.digest}`;
  }
  return result;
}

/** Runs `act` and asserts that no table changed. Returns what `act` returned. */
export async function expectNoWrites<T>(dataSource: DataSource, act: () => Promise<T>): Promise<T> {
  const before = await fingerprint(dataSource);
  const result = await act();
  expect(await fingerprint(dataSource)).toEqual(before);
  return result;
}

/** Every regular file under `dir` with its size (what an upload may leave on disk). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((entry) => path.join(dir, entry))
    .filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false)
    .map((file) => `${path.relative(dir, file)} ${fs.statSync(file).size}`)
    .sort();
}

/**
 * {@link expectNoWrites} for an upload: no table changed and no file was left under the app's
 * DATA_DIR (neither a stored file nor a temporary one).
 */
export async function expectNothingWritten<T>(
  test: { dataSource: DataSource; config: { dataDir: string } },
  act: () => Promise<T>,
): Promise<T> {
  const files = filesUnder(test.config.dataDir);
  const result = await expectNoWrites(test.dataSource, act);
  expect(filesUnder(test.config.dataDir)).toEqual(files);
  return result;
}

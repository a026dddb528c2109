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

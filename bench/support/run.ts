/**
 * A benchmark's main: starts PostgreSQL and one migrated database, runs the body, and whatever
 * happens stops what the body registered (last first), then PostgreSQL, and sets the exit code:
 * 1 when the body threw or answered false (a check failed).
 */
import { performance } from 'node:perf_hooks';
import { type BenchPostgres, type PostgresOptions, startPostgres } from './postgres';
import { fmt, log } from './stats';

export interface BenchContext {
  pg: BenchPostgres;
  /** The migrated database made for this run. */
  databaseUrl: string;
  /** Runs `stop` when the benchmark ends, before PostgreSQL stops; the last registered first. */
  cleanup: (stop: () => unknown) => void;
}

export async function runBench(
  options: PostgresOptions,
  body: (context: BenchContext) => Promise<boolean | void>,
): Promise<boolean> {
  const began = performance.now();
  const cleanups: (() => unknown)[] = [];
  let pg: BenchPostgres | undefined;
  let ok = false;
  try {
    pg = await startPostgres(options);
    const databaseUrl = await pg.createDatabase();
    ok = (await body({ pg, databaseUrl, cleanup: (stop) => cleanups.push(stop) })) !== false;
  } catch (error) {
    ok = false;
    console.error(error);
  } finally {
    for (const stop of cleanups.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(error);
      }
    }
    await pg?.stop().catch((error: unknown) => console.error(error));
    log(`done in ${fmt((performance.now() - began) / 1000)} s`);
  }
  process.exitCode = ok ? 0 : 1;
  return ok;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs `work` — which may call any service, each opening its own transactions — inside ONE
 * database transaction: while it runs, the data source hands out a single connection already in
 * a transaction, and every `transaction()` inside becomes a savepoint of it. Either all of it
 * commits or none of it does.
 *
 * For replaying a whole past season through the services at start-up (the demo), before the app
 * serves requests and with the scheduler paused: the data source is shared by everything in the
 * process, so nothing else may use it meanwhile. No request path uses this.
 */
export async function inOneTransaction<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const manager = runner.manager;
  const shared = new Proxy(runner, {
    get(target, property, receiver) {
      // Callers release "their" runner when done; the shared one is released at the end.
      if (property === 'release') return () => Promise.resolve();
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const patched = dataSource as unknown as Record<string, unknown>;
  const ownManager = Object.getOwnPropertyDescriptor(dataSource, 'manager');
  const restore = (): void => {
    for (const name of ['transaction', 'query', 'getRepository', 'createQueryRunner'])
      delete patched[name];
    if (ownManager) Object.defineProperty(dataSource, 'manager', ownManager);
  };
  // Savepoints nest on one connection only if transactions do not interleave: concurrent
  // callers (the scheduler fires with several loops) take turns; a transaction opened inside
  // one's turn (same async context) nests directly.
  const inTurn = new AsyncLocalStorage<true>();
  let turns: Promise<unknown> = Promise.resolve();
  patched.transaction = (...args: Parameters<EntityManager['transaction']>): Promise<unknown> => {
    if (inTurn.getStore()) return manager.transaction(...args);
    const turn = turns.then(() => inTurn.run(true, () => manager.transaction(...args)));
    turns = turn.catch(() => undefined);
    return turn;
  };
  // EntityManager.query calls back into DataSource.query: hand it the shared runner directly.
  const query = DataSource.prototype.query.bind(dataSource);
  patched.query = (sql: string, parameters?: unknown[]) => query(sql, parameters, shared);
  patched.getRepository = (target: Parameters<EntityManager['getRepository']>[0]) =>
    manager.getRepository(target);
  patched.createQueryRunner = () => shared;
  Object.defineProperty(dataSource, 'manager', {
    value: manager,
    configurable: true,
    writable: true,
  });
  try {
    const result = await work();
    restore();
    await runner.commitTransaction();
    return result;
  } catch (error) {
    restore();
    await runner.rollbackTransaction();
    throw error;
  } finally {
    restore();
    await runner.release();
  }
}

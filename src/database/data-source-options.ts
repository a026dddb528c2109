import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Compiled: dist/migrations/*.js. Under Jest: migrations/*.ts. */
export const MIGRATIONS_GLOB = path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/**
 * The one TypeORM configuration, shared by the app, the tests and the migration CLI. `entities`:
 * the app's (APP_ENTITIES, listed with its composition); none for a data source that only runs
 * migrations and SQL.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 20,
  entities: NonNullable<DataSourceOptions['entities']> = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migration',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    // `findOneBy({ id: undefined })` must throw, not return the first row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, application_name: 'agri-subsidy' },
    logging: false,
  };
}

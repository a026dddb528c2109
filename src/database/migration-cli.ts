import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app-config';
import { APP_ENTITIES } from '../app.entities';
import { dataSourceOptions } from './data-source-options';
import { provideDatabase } from './database-provider';
import { runMigrations } from './migrate';

/**
 * `npm run migration:generate -- <Name>`: compares the entities with the schema that the existing
 * migrations build (in a scratch database) and writes `migrations/<unix-ms>-<Name>.ts`.
 * `npm run migration:run`: applies pending migrations to the configured database.
 * Both use DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const log = (message: string): void => console.log(message);
  const database = await provideDatabase(config, log);
  try {
    if (command === 'run') {
      const applied = await runMigrations(database.url);
      log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply');
    } else if (command === 'generate') {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
        throw new Error('Usage: npm run migration:generate -- <PascalCaseName>, e.g. AddTenders');
      }
      await generate(database.url, name, log);
    } else {
      throw new Error('Usage: migration-cli run | generate <Name>');
    }
  } finally {
    await database.stop();
  }
}

async function generate(url: string, name: string, log: (message: string) => void): Promise<void> {
  const scratch = `migration_scratch_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  try {
    await runMigrations(scratchUrl.toString());
    const dataSource = new DataSource(dataSourceOptions(scratchUrl.toString(), 2, APP_ENTITIES));
    await dataSource.initialize();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (sql.upQueries.length === 0) {
      log('The entities match the migrations: nothing to generate');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const statement = (query: { query: string; parameters?: unknown[] }): string =>
      `    await queryRunner.query(\`${query.query.replaceAll('`', '\\`')}\`${
        query.parameters?.length ? `, ${JSON.stringify(query.parameters)}` : ''
      });`;
    const file = path.join(__dirname, '..', '..', '..', 'migrations', `${timestamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      [
        "import type { MigrationInterface, QueryRunner } from 'typeorm';",
        '',
        `export class ${className} implements MigrationInterface {`,
        `  name = '${className}';`,
        '',
        '  public async up(queryRunner: QueryRunner): Promise<void> {',
        ...sql.upQueries.map(statement),
        '  }',
        '',
        '  public async down(queryRunner: QueryRunner): Promise<void> {',
        ...sql.downQueries.reverse().map(statement),
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    log(`Wrote ${path.relative(process.cwd(), file)}: read it, edit it if needed, and commit it`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? `Configuration error: ${error.problems.join('; ')}` : error,
  );
  process.exit(1);
});

import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.factory';
import { createLogger } from './common/logging/logger';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { resolveJwtSecret } from './config/runtime-secrets';
import { provideDatabase, type ProvidedDatabase } from './database/database-provider';
import { runMigrations } from './database/migrate';
import { prepareData } from './startup';

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.problems.join('; ')}`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The server's life: configuration, database, migrations, the app (built by `makeApp`, which is
 * {@link createApp} for `main.ts`), listen; stops on SIGINT/SIGTERM, HTTP first.
 */
export async function serve(makeApp: typeof createApp = createApp): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  let database: ProvidedDatabase | undefined;
  let app: NestExpressApplication | undefined;
  let stopping = false;

  // HTTP first (in-flight requests finish), then the database; nothing is left running.
  const stop = async (reason: string, code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      logger.info(`Stopping (${reason})`);
      try {
        await app?.close();
      } catch (error) {
        logger.error({ err: error }, 'Error while closing the HTTP server');
      }
      await database
        ?.stop()
        .catch((error: unknown) => logger.error({ err: error }, 'Error while stopping PostgreSQL'));
      logger.info('Stopped');
    }
    logger.flush();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.once('SIGTERM', () => void stop('SIGTERM', 0));

  try {
    database = await provideDatabase(config, (message) => logger.info(message));
    logger.info(`Database: ${database.description}`);
    const applied = await runMigrations(database.url);
    logger.info(
      { migrations: applied },
      applied.length ? `Applied ${applied.length} migration(s)` : 'Schema is up to date',
    );

    app = await makeApp(
      { ...config, databaseUrl: database.url, jwtSecret: resolveJwtSecret(config) },
      logger,
    );
    await prepareData(app, config, logger);
    await app.listen(config.port);
    const port = (app.getHttpServer().address() as { port: number }).port;
    logger.info(
      { port, dataDir: config.dataDir },
      `Ready: API on http://localhost:${port}, Swagger UI on http://localhost:${port}/docs, OpenAPI on /docs-json; data in ${config.dataDir}`,
    );
  } catch (error) {
    logger.fatal({ err: error }, `Start failed: ${(error as Error).message}`);
    await stop('start failed', 1);
  }
}

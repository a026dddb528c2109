import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { DEFAULT_RATE_LIMITS } from '../../src/config/app-config';
import type { RuntimeConfig } from '../../src/config/config.module';
import { prepareData } from '../../src/startup';
import { createTestDatabase } from './databases';
import { createTwinApp } from './twin-app';
import { twinProviders, type ProviderOverride, type Weakening } from './weakened';

export { createTestDatabase };

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface TestApp {
  app: NestExpressApplication;
  config: RuntimeConfig;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  databaseUrl: string;
  close: () => Promise<void>;
}

/** The real AppModule, built as main.ts builds it, on its own database. */
export async function createTestApp(
  overrides: Partial<RuntimeConfig> = {},
  options: { logTo?: DestinationStream; providers?: ProviderOverride[] } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await startTestApp({ databaseUrl: database.url, ...overrides }, options);
  return {
    ...app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * An app on an existing database (a restart, a second instance); `close` leaves the database.
 * `providers`: the app's providers these replace (a weakened twin: test/support/weakened.ts).
 */
export async function startTestApp(
  overrides: Partial<RuntimeConfig> & { databaseUrl: string },
  { logTo, providers = [] }: { logTo?: DestinationStream; providers?: ProviderOverride[] } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-app-'));
  const config: RuntimeConfig = {
    nodeEnv: 'test',
    port: 0,
    dataDir,
    jwtSecret: randomBytes(32).toString('hex'),
    jwtTtlSeconds: 3600,
    admin: TEST_ADMIN,
    seedDemo: false,
    testClock: false,
    logLevel: process.env.TEST_LOG_LEVEL === 'error' ? 'error' : 'silent',
    schedulerIntervalMs: 0,
    uploadMaxBytes: 30 * 1024 * 1024,
    registerMaxRows: 200_000,
    trustProxy: [],
    rateLimits: DEFAULT_RATE_LIMITS,
    publicBaseUrl: 'http://localhost:3000',
    ...overrides,
  };
  const logger = createLogger(config.logLevel, logTo);
  const app =
    providers.length > 0
      ? await createTwinApp(config, logger, providers)
      : await createApp(config, logger);
  await app.init();
  await prepareData(app, config, logger);
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    dataSource: app.get(DataSource),
    databaseUrl: config.databaseUrl,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second instance of `test`'s app on the same database, built with the providers of these
 * weakenings replaced (a negative control: test/support/weakened.ts): the same JWT secret, so the
 * sessions of `test` work on it, and the same clock. Close it before `test`.
 */
export function startWeakenedTwin(test: TestApp, weakenings: Weakening[]): Promise<TestApp> {
  return startTestApp(
    {
      databaseUrl: test.databaseUrl,
      jwtSecret: test.config.jwtSecret,
      testClock: test.config.testClock,
      rateLimits: test.config.rateLimits,
    },
    { providers: twinProviders(weakenings) },
  );
}

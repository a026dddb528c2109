import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Logger } from 'pino';
import { APP_OPTIONS, configureApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import type { RuntimeConfig } from '../../src/config/config.module';
import type { ProviderOverride } from './weakened';

/**
 * The app as `createApp` builds it, with some providers replaced (a weakened twin, an injected
 * fault): AppModule in a test module whose overrides win over the app's own providers, then the
 * same middleware, pipes and body limits (`configureApp`). Used in process by test-app.ts and, in
 * a child process, by the test entries under entries/.
 */
export async function createTwinApp(
  config: RuntimeConfig,
  logger: Logger,
  overrides: readonly ProviderOverride[],
): Promise<NestExpressApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, logger)] });
  for (const override of overrides) {
    builder =
      'useClass' in override
        ? builder.overrideProvider(override.provide).useClass(override.useClass)
        : builder.overrideProvider(override.provide).useValue(override.useValue);
  }
  const moduleRef = await builder.compile();
  return configureApp(moduleRef.createNestApplication<NestExpressApplication>(APP_OPTIONS), config);
}

import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { addCommonResponses, closeRequestSchemas } from './common/http/common-responses';
import { InputSafetyPipe } from './common/http/input-safety.pipe';
import { createValidationPipe } from './common/http/validation.pipe';
import { contentLanguage } from './common/i18n/request-language';
import { AppLogger } from './common/logging/app-logger';
import type { RuntimeConfig } from './config/config.module';

export const JSON_BODY_LIMIT = '1mb';

/**
 * Builds the whole HTTP app exactly as production runs it; the e2e tests use this too, so they
 * exercise the same pipes, filter, body limits and OpenAPI document.
 */
export async function createApp(
  config: RuntimeConfig,
  logger: Logger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(AppLogger));
  // X-Forwarded-For counts only from the proxies named in TRUST_PROXY: anyone can send the header.
  app.set('trust proxy', config.trustProxy.length > 0 ? config.trustProxy : false);
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(contentLanguage);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalPipes(new InputSafetyPipe(), createValidationPipe());
  setupOpenApi(app);
  return app;
}

export function setupOpenApi(app: INestApplication): void {
  const document = closeRequestSchemas(
    addCommonResponses(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Agricultural socialized-service subsidy engine')
          .setDescription(
            '农业生产社会化服务补助工作流: tenders, household registers, village notices, town acceptance, ' +
              'district audit, media notice and payout. Errors are application/problem+json with a stable `code`.',
          )
          .setVersion('0.1.0')
          .addBearerAuth()
          .build(),
      ),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

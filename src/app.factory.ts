import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { addCommonResponses, closeRequestSchemas } from './common/http/common-responses';
import { InputSafetyPipe } from './common/http/input-safety.pipe';
import { RateLimiter } from './common/http/rate-limiter';
import { loginBodyParser } from './modules/auth/login-throttle';
import { createValidationPipe } from './common/http/validation.pipe';
import { contentLanguage } from './common/i18n/request-language';
import { AppLogger } from './common/logging/app-logger';
import type { RuntimeConfig } from './config/config.module';

export const JSON_BODY_LIMIT = '1mb';

/** The options the app is created with (the body parsers are set up by {@link configureApp}). */
export const APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/**
 * Builds the whole HTTP app exactly as production runs it; the e2e tests use this too, so they
 * exercise the same pipes, filter, body limits and OpenAPI document.
 */
export async function createApp(
  config: RuntimeConfig,
  logger: Logger,
): Promise<NestExpressApplication> {
  return configureApp(
    await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(config, logger),
      APP_OPTIONS,
    ),
    config,
  );
}

/** Middleware, pipes, body limits and the OpenAPI document of an app created from AppModule. */
export function configureApp(
  app: NestExpressApplication,
  config: RuntimeConfig,
): NestExpressApplication {
  app.useLogger(app.get(AppLogger));
  // X-Forwarded-For counts only from the proxies named in TRUST_PROXY: anyone can send the header.
  app.set('trust proxy', config.trustProxy.length > 0 ? config.trustProxy : false);
  app.disable('x-powered-by');
  app.use(helmet());
  // Unauthenticated routes take small bodies, checked before they are read (issue 22).
  app.use('/auth/login', loginBodyParser(app.get(RateLimiter), config.rateLimits));
  // gzip for the pages (the board is read on cheap phones over slow links); JSON, PDFs and
  // files go as they are. Mounted on the two page trees only: wrapping every API response's
  // write and end cost /health about 12 % of its throughput (docs/benchmarks.md).
  app.use(
    ['/board', '/desk'],
    compression({
      filter: (_request, response) =>
        /^text\/html/.test(String(response.getHeader('Content-Type'))),
    }),
  );
  app.use(contentLanguage);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useGlobalPipes(new InputSafetyPipe(), createValidationPipe());
  setupOpenApi(app);
  return app;
}

/** The OpenAPI document of the app's routes, as `/docs-json` serves it. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return closeRequestSchemas(
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
          .setLicense('MIT', 'https://opensource.org/licenses/MIT')
          // Relative: the document describes the server that serves it, wherever it runs.
          .addServer('/', 'The server that serves this document')
          .addBearerAuth()
          .build(),
      ),
    ),
  );
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

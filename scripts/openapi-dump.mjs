/**
 * Writes the OpenAPI document (what `/docs-json` serves) to a file, from the built app and
 * without a database: Nest's preview mode builds the module graph and reads the routes' and
 * DTOs' decorators without instantiating a provider, so nothing connects anywhere.
 *
 *   npm run openapi:dump [-- FILE]      (default FILE: .tmp/openapi.json)
 *
 * `.ci/run` lints the file with Redocly (`redocly.yaml`); the e2e test openapi-client checks
 * that it is the same document the running app serves.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';

const root = path.join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(path.join(root, 'dist/src/app.module.js'));
const { buildOpenApiDocument } = require(path.join(root, 'dist/src/app.factory.js'));
const { loadConfig } = require(path.join(root, 'dist/src/config/app-config.js'));
const { createLogger } = require(path.join(root, 'dist/src/common/logging/logger.js'));

const file = path.resolve(process.argv[2] ?? path.join(root, '.tmp', 'openapi.json'));
// TEST_CLOCK=1 so that the document names every route the app can serve.
const config = {
  ...loadConfig({ TEST_CLOCK: '1', DATA_DIR: path.join(root, '.tmp', 'openapi-dump') }),
  databaseUrl: 'postgres://unused@localhost/unused',
  jwtSecret: 'unused-in-preview-mode-unused-in-preview-mode',
};
const app = await NestFactory.create(AppModule.forRoot(config, createLogger('silent')), {
  preview: true,
  logger: false,
});
const document = buildOpenApiDocument(app);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(
  `${path.relative(process.cwd(), file)}: ${Object.keys(document.paths).length} paths\n`,
);
process.exit(0);

import { NestFactory } from '@nestjs/core';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { buildOpenApiDocument } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { createLogger } from '../../src/common/logging/logger';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * /docs-json as a contract a generated client can use (issue 23): openapi-typescript generates
 * the types of the running app's document, and a small openapi-fetch program that logs in,
 * creates a project with its areas as strings and reads a refusal's `code` must type-check
 * against them (a broken program must not: the negative control) and then run against the app.
 * Also: the document `npm run openapi:dump` writes without a database (Nest's preview mode, the
 * file CI lints with Redocly) is the one the app serves, and the rules new routes must follow.
 */
const ROOT = path.join(__dirname, '..', '..');
// Inside the repository, so that the program resolves openapi-fetch from its node_modules.
const WORK = path.join(ROOT, '.tmp', `openapi-client-${process.pid}`);

type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: { format?: string } }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  servers?: unknown[];
  info: { license?: { name: string } };
  components: { schemas: Record<string, unknown> };
};

const PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Problem = components['schemas']['Problem'];
const client = createClient<paths>({ baseUrl: process.env.BASE ?? 'http://localhost:3000' });

async function main(): Promise<void> {
  const login = await client.POST('/auth/login', {
    body: { username: 'agri', password: 'Demo-2014' },
  });
  if (login.error) throw new Error(login.error.code);
  const headers = { Authorization: \`Bearer \${login.data.accessToken}\` };
  const body: paths['/projects']['post']['requestBody']['content']['application/json'] = {
    code: 'QC2027-CLIENT',
    name: '生成的客户端',
    year: 2027,
    districtCode: '341602',
    villageCodes: ['341602104201'],
    tasks: [{ code: 'wheat_harvest', name: '小麦机收', plannedAreaMu: '25000.00' }],
    serviceStart: '2027-06-01',
    serviceEnd: '2027-09-30',
    budgetYuan: '1200000.50',
  };
  const created = await client.POST('/projects', { headers, body });
  if (created.error) throw new Error(created.error.code);
  const again = await client.POST('/projects', { headers, body });
  const code: Problem['code'] | undefined = again.error?.code;
  const fields: string[] = (again.error?.errors ?? []).map((e) => e.field);
  console.log(JSON.stringify({ id: created.data.id, code, status: again.response.status, fields }));
}
void main();
`;

describe('/docs-json as a contract for generated clients', () => {
  let test: TestApp;
  let document: Document;
  let base: string;

  beforeAll(async () => {
    test = await createTestApp({ seedDemo: true });
    await test.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;
    document = (await test.http().get('/docs-json').expect(200)).body as Document;
    fs.rmSync(WORK, { recursive: true, force: true });
    fs.mkdirSync(WORK, { recursive: true });
    fs.writeFileSync(path.join(WORK, 'openapi.json'), JSON.stringify(document));
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
        path.join(WORK, 'openapi.json'),
        '--output',
        path.join(WORK, 'schema.d.ts'),
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  });

  afterAll(async () => {
    await test?.close();
    fs.rmSync(WORK, { recursive: true, force: true });
  });

  /** The compiler's diagnostics for `source` against the generated schema.d.ts. */
  function typeErrors(source: string, name: string): string[] {
    const file = path.join(WORK, `${name}.ts`);
    fs.writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      skipLibCheck: true,
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('a program that logs in, creates a project with string areas and reads a problem code type-checks', () => {
    expect(typeErrors(PROGRAM, 'client')).toEqual([]);
  });

  it('negative control: the same program with a wrong field or a wrong code does not', () => {
    const wrongArea = PROGRAM.replace("plannedAreaMu: '25000.00'", 'plannedAreaMu: true');
    expect(typeErrors(wrongArea, 'wrong-area').join('\n')).toMatch(/plannedAreaMu|boolean/);
    const wrongCode = PROGRAM.replace(
      'const code: Problem',
      "const never: 'NO_SUCH_CODE' = again.error!.code;\n  const code: Problem",
    );
    expect(typeErrors(wrongCode, 'wrong-code').join('\n')).toMatch(/NO_SUCH_CODE/);
  });

  it('the program runs against the app: string areas are accepted, the refusal code is typed', async () => {
    const js = ts.transpileModule(PROGRAM, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(path.join(WORK, 'client.mjs'), js);
    // Asynchronously: the app answering it runs in this process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(WORK, 'client.mjs')],
      {
        env: { ...process.env, BASE: base },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(JSON.parse(stdout)).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      code: 'PROJECT_CODE_TAKEN',
      status: 409,
      fields: [],
    });
  });

  it('every operation has a summary and a tag; every 4xx/5xx has the Problem schema', () => {
    // The one refusal that is not a problem: /health answers its own {status, db} when down.
    const ownBody = new Set(['GET /health 503']);
    const missing: string[] = [];
    for (const [route, item] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(item)) {
        const op = `${method.toUpperCase()} ${route}`;
        if (!operation.summary?.trim()) missing.push(`${op}: no summary`);
        if (!operation.tags?.length) missing.push(`${op}: no tag`);
        if (!operation.security) missing.push(`${op}: no security (public routes: [])`);
        for (const [status, response] of Object.entries(operation.responses))
          if (Number(status) >= 400) {
            const ref = response.content?.['application/problem+json']?.schema?.$ref;
            if (ref !== '#/components/schemas/Problem' && !ownBody.has(`${op} ${status}`))
              missing.push(`${op} ${status}: no Problem`);
          }
        for (const parameter of operation.parameters ?? [])
          if (parameter.in === 'path' && /^(id|\w+Id)$/.test(parameter.name))
            if (parameter.schema?.format !== 'uuid') missing.push(`${op} {${parameter.name}}`);
      }
    expect(missing).toEqual([]);
    expect(document.info.license?.name).toBe('MIT');
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('public routes say security: [] and protected ones name the bearer', () => {
    const security = (route: string, method: string) => document.paths[route][method].security;
    expect(security('/auth/login', 'post')).toEqual([]);
    expect(security('/health', 'get')).toEqual([]);
    expect(security('/public/notices/{id}', 'get')).toEqual([]);
    expect(security('/projects', 'post')).toEqual([{ bearer: [] }]);
  });

  it('binary responses declare their content types', () => {
    const types = (route: string) =>
      Object.keys(document.paths[route].get.responses['200'].content ?? {});
    expect(types('/contracts/{id}/documents/{kind}')).toEqual(['application/pdf']);
    expect(types('/payouts/export')).toEqual([
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(types('/payment-batches/{id}/file')).toEqual(types('/payouts/export'));
  });

  it('npm run openapi:dump builds the same document without a database (preview mode)', async () => {
    const preview = await NestFactory.create(
      AppModule.forRoot(
        {
          ...test.config,
          databaseUrl: 'postgres://unused@localhost:1/unused',
        },
        createLogger('silent'),
      ),
      { preview: true, logger: false },
    );
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument(preview)))).toEqual(document);
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm start`'s first step (scripts/build-if-changed.mjs) on a throw-away project whose
 * `npm run build` counts its runs: it builds when nothing was built, when a source changed, was
 * added or removed, or when the output is gone, and only then.
 */
const script = path.resolve(__dirname, '..', '..', 'scripts', 'build-if-changed.mjs');
let root: string;

const write = (file: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
const builds = (): number =>
  fs.existsSync(path.join(root, 'builds.log'))
    ? fs.readFileSync(path.join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length
    : 0;
const start = (): string => execFileSync(process.execPath, [script, root], { encoding: 'utf8' });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-if-changed-'));
  write(
    'package.json',
    JSON.stringify({ name: 'probe', private: true, scripts: { build: 'node build.js' } }),
  );
  // Like nest build: empties dist/, then writes the app.
  write(
    'build.js',
    `const fs = require('fs');
     fs.rmSync('dist', { recursive: true, force: true });
     fs.mkdirSync('dist/src', { recursive: true });
     fs.writeFileSync('dist/src/main.js', '');
     fs.appendFileSync('builds.log', 'built\\n');`,
  );
  write('src/main.ts', 'export const a = 1;\n');
  write('src/modules/board/views/board.eta', '<p>board</p>\n');
  write('migrations/1-Initial.ts', 'export {};\n');
  write('tsconfig.json', '{}\n');
  write('package-lock.json', '{}\n');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

it('builds on a fresh clone, then not again while the sources are unchanged', () => {
  start();
  expect(builds()).toBe(1);
  expect(start()).toMatch(/not rebuilding/);
  expect(start()).toMatch(/not rebuilding/);
  expect(builds()).toBe(1);
});

it.each([
  ['a changed source', () => write('src/main.ts', 'export const a = 2;\n')],
  ['a changed asset', () => write('src/modules/board/views/board.eta', '<p>公示</p>\n')],
  ['an added file', () => write('src/extra.ts', 'export {};\n')],
  ['a removed file', () => fs.rmSync(path.join(root, 'migrations/1-Initial.ts'))],
  [
    'a renamed file',
    () => fs.renameSync(path.join(root, 'src/main.ts'), path.join(root, 'src/app.ts')),
  ],
  ['a changed tsconfig', () => write('tsconfig.json', '{"compilerOptions":{}}\n')],
  ['changed dependencies', () => write('package-lock.json', '{"v":2}\n')],
  ['a missing output', () => fs.rmSync(path.join(root, 'dist/src/main.js'))],
  ['a missing digest', () => fs.rmSync(path.join(root, 'dist/.build-digest'))],
])('rebuilds after %s, once', (_what, change) => {
  start();
  change();
  start();
  expect(builds()).toBe(2);
  expect(start()).toMatch(/not rebuilding/);
  expect(builds()).toBe(2);
});

it('does not rebuild for files outside the build (tests, docs, benchmarks)', () => {
  start();
  write('test/e2e/new.e2e-spec.ts', 'it("x", () => undefined);\n');
  write('docs/notes.md', '# notes\n');
  write('bench/new.ts', 'export {};\n');
  start();
  expect(builds()).toBe(1);
});

it('stops the start when the build fails, and builds again at the next start', () => {
  write('build.js', `require('fs').appendFileSync('builds.log', 'failed\\n'); process.exit(2);`);
  expect(() => execFileSync(process.execPath, [script, root], { stdio: 'ignore' })).toThrow();
  expect(() => execFileSync(process.execPath, [script, root], { stdio: 'ignore' })).toThrow();
  expect(builds()).toBe(2);
  expect(fs.existsSync(path.join(root, 'dist/.build-digest'))).toBe(false);
});

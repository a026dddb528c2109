import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * docs/walkthrough.md as a test (issue 23), so that the page cannot drift from the app: a fresh
 * demo started as the page says (SEED_DEMO=1, TEST_CLOCK=1, ADMIN_USERNAME=admin with the
 * page's password), then every ```sh block of the page, in order, in one bash shell with
 * `set -e -o pipefail` and API pointing at the app. A block that exits non-zero fails the test,
 * naming the block and its line. (```console blocks start the app and are not run.)
 */
const PAGE = path.join(__dirname, '..', '..', 'docs', 'walkthrough.md');

/** The ```sh blocks of a markdown page, with the line each starts on. */
export function shBlocks(markdown: string): { line: number; code: string }[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => ({
    line: markdown.slice(0, match.index).split('\n').length,
    code: match[1],
  }));
}

describe('docs/walkthrough.md runs as written against a fresh demo', () => {
  let test: TestApp;
  let work: string;

  beforeAll(async () => {
    test = await createTestApp({
      seedDemo: true,
      testClock: true,
      admin: { username: 'admin', password: 'walk-through-2015' },
    });
    await test.app.listen(0, '127.0.0.1');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-walkthrough-'));
  }, 120_000);

  afterAll(async () => {
    await test?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('finds the blocks: the helpers first, then the steps', () => {
    const blocks = shBlocks(fs.readFileSync(PAGE, 'utf8'));
    expect(blocks.length).toBeGreaterThan(40);
    expect(blocks[0].code).toMatch(/^API=\$\{API:-http:\/\/localhost:3000\}$/m);
  });

  it('every sh block exits 0, in order, in one shell', async () => {
    const blocks = shBlocks(fs.readFileSync(PAGE, 'utf8'));
    const script = [
      'set -e -o pipefail',
      // Node hands the child sockets for stdio, which /dev/stderr cannot open (the page tees to
      // it, as a terminal allows): a real pipe instead, into stdout.
      'exec 2> >(cat)',
      ...blocks.map(
        ({ line, code }, index) =>
          `echo; echo "### block ${index + 1} (walkthrough.md line ${line})"\n${code}`,
      ),
      'echo; echo "### done"',
    ].join('\n');
    fs.writeFileSync(path.join(work, 'walkthrough.sh'), script);
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    const child = spawn('bash', [path.join(work, 'walkthrough.sh')], {
      cwd: work,
      env: { ...process.env, API: `http://127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (process.env.WALKTHROUGH_OUT) fs.writeFileSync(process.env.WALKTHROUGH_OUT, output);
    const last = output
      .split('\n')
      .filter((l) => l.startsWith('### '))
      .at(-1);
    expect({ code, last, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({
      code: 0,
      last: '### done',
      tail: '',
    });
  }, 300_000);
});

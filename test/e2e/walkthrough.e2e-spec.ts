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
 *
 * The ```text block right after a ```sh block is what the reader should see: the test compares
 * it with what the block printed, after `normalise` (ids, tokens, SHA-256 digests and today's
 * timestamps differ on every run; `…` on the page stands for text shortened away). A block whose
 * output depends on random ids beyond that (the audit sample's draw) is marked on the page with
 * `<!-- output varies: why -->` between the two blocks, and only has to exit 0.
 *
 * `WALKTHROUGH_OUT=<file>` writes the whole printed output there (e.g. under `.tmp/`), to update
 * the page from.
 */
const PAGE = path.join(__dirname, '..', '..', 'docs', 'walkthrough.md');
/** `<!-- output varies -->`, or `<!-- output varies: why -->`, between a block and its answer. */
const VARIES = /^<!-- output varies(?::[^>]*)? -->$/;

export interface PageBlock {
  /** Line of the page the ```sh fence is on. */
  line: number;
  code: string;
  /** The ```text block right after it, or null when there is none. */
  expected: string | null;
  /** The page marks its output as varying from run to run. */
  varies: boolean;
}

/** The ```sh blocks of a markdown page, with the line each starts on and the answer it shows. */
export function shBlocks(markdown: string): PageBlock[] {
  const fences = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    kind: match[1],
    body: match[2],
    start: match.index,
    end: match.index + match[0].length,
  }));
  return fences.flatMap((fence, index) => {
    if (fence.kind !== 'sh') return [];
    const next = fences[index + 1];
    const between = next ? markdown.slice(fence.end, next.start).trim() : '';
    const shows = next?.kind === 'text' && (between === '' || VARIES.test(between));
    return [
      {
        line: markdown.slice(0, fence.start).split('\n').length,
        code: fence.body,
        expected: shows ? next.body : null,
        varies: shows && between !== '',
      },
    ];
  });
}

/**
 * What differs between two honest runs, replaced by a placeholder: UUIDs (ids, request ids),
 * access tokens, 64-hex digests, and ISO timestamps with milliseconds outside the demo's 2015
 * (the app's "now", moved by the test clock). Dates, areas, money and counts are kept. Byte-order
 * marks (a CSV's, invisible on the page) and trailing blanks are dropped.
 */
export function normalise(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\uFEFF/g, '')
    .replace(/eyJ[\w-]*(?:\.[\w-]+)*…?/g, '<token>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>')
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/\b(?!2015-)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<now>')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Does a block's printed output match the page's answer (`…` on the page matches anything)? */
export function matchesPage(printed: string, expected: string): boolean {
  const pattern = normalise(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(normalise(printed));
}

/** The output of a run split at its `### block N` markers: index 0 is block 1's. */
function outputsByBlock(output: string, count: number): string[] {
  const outputs: string[] = Array.from({ length: count }, () => '');
  const parts = output.split(/^### block (\d+) \(walkthrough\.md line \d+\)\n/m);
  for (let i = 1; i < parts.length; i += 2) {
    outputs[Number(parts[i]) - 1] = parts[i + 1].replace(/\n?### done\n?$/, '');
  }
  return outputs;
}

describe('normalise and matchesPage (the rules the page comparison uses)', () => {
  it('keeps what a reader compares and drops what differs per run', () => {
    expect(
      normalise(
        '{"id":"5e395211-e954-4108-a06c-e7b3e7cf6461","at":"2026-12-01T07:37:57.931Z","on":"2015-05-30T02:00:00.000Z","sha256":"' +
          'ab'.repeat(32) +
          '","t":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x"}  ',
      ),
    ).toBe(
      '{"id":"<id>","at":"<now>","on":"2015-05-30T02:00:00.000Z","sha256":"<sha256>","t":"<token>"}',
    );
    expect(matchesPage('{"a":1,"b":[1,2,3],"c":2}', '{"a":1,"b":[…],"c":2}')).toBe(true);
    expect(matchesPage('{"a":1,"b":[1,2,3],"c":3}', '{"a":1,"b":[…],"c":2}')).toBe(false);
    expect(matchesPage('paid 16630.78', 'paid 16630.79')).toBe(false);
    expect(matchesPage('a.b', 'a…')).toBe(true);
    expect(matchesPage('axb', 'a.b')).toBe(false);
  });
});

describe('docs/walkthrough.md runs as written against a fresh demo', () => {
  let test: TestApp;
  let work: string;

  beforeAll(async () => {
    test = await createTestApp({
      seedDemo: true,
      testClock: true,
      admin: { username: 'admin', password: 'walk-through-2015' },
      // `npm start`'s default token lifetime (8 h), which the page shows, not the tests' 1 h
      jwtTtlSeconds: 8 * 3600,
    });
    await test.app.listen(0, '127.0.0.1');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-subsidy-walkthrough-'));
  }, 120_000);

  afterAll(async () => {
    await test?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('finds the blocks: the helpers first, then the steps, most with the answer they print', () => {
    const blocks = shBlocks(fs.readFileSync(PAGE, 'utf8'));
    expect(blocks.length).toBeGreaterThan(40);
    expect(blocks[0].code).toMatch(/^API=\$\{API:-http:\/\/localhost:3000\}$/m);
    const compared = blocks.filter((b) => b.expected !== null && !b.varies).length;
    expect(compared).toBeGreaterThan(40);
  });

  it('every sh block exits 0, in order, in one shell, and prints what the page shows', async () => {
    const blocks = shBlocks(fs.readFileSync(PAGE, 'utf8'));
    const script = [
      'set -e -o pipefail',
      ...blocks.map(
        ({ line, code }, index) =>
          `echo; echo "### block ${index + 1} (walkthrough.md line ${line})"\n${code}`,
      ),
      'echo; echo "### done"',
    ].join('\n');
    fs.writeFileSync(path.join(work, 'walkthrough.sh'), script);
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    // Node hands the child sockets for stdio, which /dev/stderr cannot open (the page tees to
    // it, as a terminal allows): stdout and stderr both into one real pipe, which keeps the
    // order in which the page's commands print.
    const child = spawn(
      'bash',
      ['-c', 'set -o pipefail; bash "$1" 2>&1 | cat', 'walkthrough', 'walkthrough.sh'],
      {
        cwd: work,
        env: { ...process.env, API: `http://127.0.0.1:${port}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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

    const printed = outputsByBlock(output, blocks.length);
    const drift = blocks.flatMap((block, index) =>
      block.expected === null || block.varies || matchesPage(printed[index], block.expected)
        ? []
        : [
            {
              block: index + 1,
              line: block.line,
              page: normalise(block.expected),
              printed: normalise(printed[index]),
            },
          ],
    );
    expect(drift).toEqual([]);
  }, 300_000);
});

#!/usr/bin/env node
/**
 * The mutation run's bank: a full `npx stryker run --force` of the pure core takes about two
 * hours on two cores, and Stryker writes its report only at the end, so a run that is stopped
 * keeps nothing. stryker.config.json adds Stryker's `event-recorder` reporter, which writes each
 * mutant's verdict to reports/mutation/events/ the moment it is known. This script reads those
 * verdicts (and those of earlier resumed runs, reports/mutation/events-*), on the same code only,
 * and
 *
 *   node scripts/mutation-bank.mjs run      a full run from scratch (`stryker run --force`),
 *                                           its verdicts banked in reports/mutation/events/
 *                                           (`--incremental`: Stryker's incremental run, as
 *                                           `npm run test:mutation` does);
 *   node scripts/mutation-bank.mjs status   the score so far, per file, and every survivor;
 *   node scripts/mutation-bank.mjs resume   runs Stryker on the mutants no run has tested yet
 *                                           (their lines, --force), into a new events-<time>/
 *                                           (`--dry-run`: print its configuration only;
 *                                           `--timeouts`: the timed-out mutants again too, on
 *                                           a quiet machine: a timeout under load may be a
 *                                           slow survivor, and the re-run's answer replaces it).
 *   node scripts/mutation-bank.mjs rerun <file>[:<from>-<to>]...
 *                                           every mutant of those files (or lines) again, into
 *                                           a new events-<time>/ (after tests were added to
 *                                           kill their survivors). `src/modules/x.ts` or
 *                                           `modules/x.ts`; a range takes the mutants wholly
 *                                           inside it (give a block whole); `--dry-run`;
 *   node scripts/mutation-bank.mjs status --carry <bank>
 *                                           the mutants no bank on this code has a verdict for
 *                                           take theirs from <bank> (e.g. `events`), if the
 *                                           bank's fingerprint is its commit's and since then
 *                                           only tests changed, none removed (the tests' diff
 *                                           is printed: a reader checks none was weakened).
 *
 * "The same code": each bank records a fingerprint (SHA-256 of the mutated files, the mutation
 * run's tests and everything they import, and both configurations) when it starts; a bank whose
 * fingerprint differs from the tree's now is left out, so a verdict is never carried over to
 * changed code or tests (except by an explicit `--carry`, above). Each bank also records the
 * commit it ran on (events-<time>.commit). A mutant is matched across runs by file, position, mutator and
 * replacement. docs/reliability.md ("Mutation testing") has the figures.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const ROOT = path.join(import.meta.dirname, '..');
const print = (line) => process.stdout.write(`${line}\n`);
const warn = (line) => process.stderr.write(`${line}\n`);
const REPORTS = path.join(ROOT, 'reports', 'mutation');
const FINGERPRINT = '.fingerprint';

const git = (...args) =>
  spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

/**
 * The files of the working tree, or of a commit (`git ls-tree`, `git show`), by their path in the
 * repository: the closure below is computed the same way on both.
 */
function workingTree() {
  const isFile = (file) => {
    const full = path.join(ROOT, file);
    return fs.existsSync(full) && fs.statSync(full).isFile();
  };
  return {
    isFile,
    list: (dir) =>
      fs.existsSync(path.join(ROOT, dir))
        ? fs
            .readdirSync(path.join(ROOT, dir))
            .filter((entry) => isFile(path.posix.join(dir, entry)))
        : [],
    read: (file) => fs.readFileSync(path.join(ROOT, file)),
  };
}

function commitTree(commit) {
  const listing = git('ls-tree', '-r', '--name-only', commit);
  if (listing.status !== 0) return undefined;
  const all = new Set(listing.stdout.split('\n').filter(Boolean));
  return {
    isFile: (file) => all.has(file),
    list: (dir) =>
      [...all]
        .filter((file) => path.posix.dirname(file) === dir)
        .map((file) => path.posix.basename(file)),
    read: (file) =>
      spawnSync('git', ['show', `${commit}:${file}`], { cwd: ROOT, maxBuffer: 64 << 20 }).stdout,
  };
}

/** The files a pattern such as `<rootDir>/src/x/*.spec.ts` names (a `*` in the last part only). */
function expand(tree, pattern) {
  const file = path.posix.normalize(pattern.replace('<rootDir>/', ''));
  const name = new RegExp(
    `^${path.posix
      .basename(file)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')}$`,
  );
  const dir = path.posix.dirname(file);
  return tree
    .list(dir)
    .filter((entry) => name.test(entry))
    .map((entry) => path.posix.join(dir, entry));
}

/** jest.mutation.config.js's `testMatch`, as the tree has it. */
function testMatch(tree) {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'mutation-bank-')),
    'jest.mutation.config.js',
  );
  fs.writeFileSync(file, tree.read('jest.mutation.config.js'));
  return createRequire(import.meta.url)(file).testMatch;
}

/**
 * What the verdicts depend on: the mutated files, the mutation run's test files
 * (jest.mutation.config.js) and every file they import, transitively, and both configurations'
 * settings. A change elsewhere (a page, a service) keeps the bank. Returns the fingerprint and
 * the files it covers, of the working tree or of `tree`.
 */
function closure(tree = workingTree()) {
  const { _comment, ...settings } = JSON.parse(tree.read('stryker.config.json').toString('utf8'));
  const queue = [
    'jest.mutation.config.js',
    ...testMatch(tree).flatMap((pattern) => expand(tree, pattern)),
    ...settings.mutate
      .filter((pattern) => !pattern.startsWith('!'))
      .flatMap((pattern) => expand(tree, pattern)),
  ];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = tree.read(file).toString('utf8');
    for (const [, specifier] of text.matchAll(
      /(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    )) {
      const base = path.posix.join(path.posix.dirname(file), specifier);
      const found = [
        base,
        `${base}.ts`,
        `${base}.js`,
        `${base}.json`,
        path.posix.join(base, 'index.ts'),
      ].find((candidate) => tree.isFile(candidate));
      if (found) queue.push(found);
    }
  }
  const files = [...seen].sort();
  const contents = new Map(files.map((file) => [file, tree.read(file)]));
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(contents.get(file)).update('\0');
  hash.update(JSON.stringify(settings));
  return { fingerprint: hash.digest('hex'), files, settings, contents };
}

function fingerprint() {
  const { fingerprint: hash, files } = closure();
  if (process.argv.includes('--list')) for (const file of files) warn(file);
  return hash;
}

/** A test of the mutation run or a helper of the tests, not code under test. */
const isTestSide = (file) => file.endsWith('.spec.ts') || file.startsWith('test/');

/**
 * A new bank records the commit it ran on, when every file of the closure is as committed; a bank
 * on uncommitted code records none (an earlier record is removed) and cannot be carried over.
 */
function recordCommit(name) {
  const { files } = closure();
  const file = path.join(REPORTS, `${name}.commit`);
  fs.rmSync(file, { force: true });
  const dirty = git('status', '--porcelain', '--', 'stryker.config.json', ...files);
  const head = git('rev-parse', 'HEAD');
  if (dirty.status === 0 && dirty.stdout.trim() === '' && head.status === 0)
    fs.writeFileSync(file, `${head.stdout.trim()}\n`);
  else warn(`uncommitted changes in the closure: ${name} records no commit and cannot be carried`);
}

/**
 * Whether the bank `name` may lend its verdicts to mutants no bank on this code has run (`status
 * --carry`). It must record its commit, and its fingerprint must be that commit's (so a record
 * left from another run is refused). Since that commit, neither the mutated files nor any other
 * code the tests load nor Stryker's settings may have changed, and no test file may be gone: only
 * tests may have changed (new tests that kill survivors). The tests' diff is printed in full: a
 * carried verdict is sound only if no test was weakened, and a reader checks that there.
 */
function carryCheck(name) {
  const recorded = path.join(REPORTS, `${name}.commit`);
  const fingerprintFile = path.join(REPORTS, `${name}${FINGERPRINT}`);
  if (!fs.existsSync(fingerprintFile)) return `${name} records no fingerprint`;
  if (!fs.existsSync(recorded)) return `${name} records no commit`;
  const commit = fs.readFileSync(recorded, 'utf8').trim();
  const tree = commitTree(commit);
  if (!tree) return `commit ${commit} is not in this repository`;
  const then = closure(tree);
  if (then.fingerprint !== fs.readFileSync(fingerprintFile, 'utf8').trim())
    return `its fingerprint is not that of commit ${commit.slice(0, 7)}`;
  const now = closure();
  if (JSON.stringify(then.settings) !== JSON.stringify(now.settings))
    return 'stryker.config.json changed since';
  const short = commit.slice(0, 7);
  for (const file of new Set([...then.files, ...now.files])) {
    const before = then.contents.get(file);
    const after = now.contents.get(file);
    if (isTestSide(file)) {
      if (before && !after) return `${file} is gone since ${short}`;
    } else if (!before || !after || !before.equals(after)) {
      return `code changed since ${short}: ${file}`;
    }
  }
  const tests = [...new Set([...then.files, ...now.files])].filter(isTestSide);
  warn(`carried from ${name} (commit ${short}); the tests since:`);
  warn(git('diff', commit, '--', ...tests).stdout.trimEnd() || '  (none)');
  return undefined;
}

/**
 * A mutated file's path under src/. Stryker records absolute paths; a bank made in another
 * checkout of the repository still matches.
 */
const relative = (fileName) => {
  const own = path.relative(path.join(ROOT, 'src'), fileName);
  if (!own.startsWith('..')) return own;
  const at = fileName.split(path.sep).lastIndexOf('src');
  return fileName
    .split(path.sep)
    .slice(at + 1)
    .join('/');
};

/** A mutant's identity across runs. Verdicts are 1-based; the plan's positions are 0-based. */
function keyOf(mutant, base) {
  const { start, end } = mutant.location;
  return JSON.stringify([
    relative(mutant.fileName),
    start.line + base,
    start.column + base,
    end.line + base,
    end.column + base,
    mutant.mutatorName,
    mutant.replacement ?? null,
  ]);
}

function events(dir, kind) {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(`-${kind}.json`))
    .sort()
    .flatMap((name) => {
      try {
        return [JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))];
      } catch {
        return []; // being written by a run in progress
      }
    });
}

/**
 * The banks on this code: every mutant they planned and every verdict (the first one wins). With
 * `carry` (a bank's directory name), a mutant no bank on this code has a verdict for takes its
 * verdict from that bank and the banks resumed from it (the same fingerprint), if carryCheck
 * allows it: since only tests were added, a mutant killed
 * then is killed now, and one that survived then is at worst a survivor now (`rerun` its lines).
 */
function readBank(carry) {
  const current = fingerprint();
  const dirs = fs.existsSync(REPORTS)
    ? fs
        .readdirSync(REPORTS)
        .filter((name) => name === 'events' || name.startsWith('events-'))
        .filter((name) => fs.statSync(path.join(REPORTS, name)).isDirectory())
        .sort()
        .map((name) => path.join(REPORTS, name))
    : [];
  const usable = [];
  for (const dir of dirs) {
    const recorded = path.join(REPORTS, `${path.basename(dir)}${FINGERPRINT}`);
    const same = fs.existsSync(recorded) && fs.readFileSync(recorded, 'utf8').trim() === current;
    const carried =
      carry !== undefined &&
      fs.existsSync(recorded) &&
      fs.existsSync(path.join(REPORTS, `${carry}${FINGERPRINT}`)) &&
      fs.readFileSync(recorded, 'utf8') ===
        fs.readFileSync(path.join(REPORTS, `${carry}${FINGERPRINT}`), 'utf8');
    if (same) usable.push(dir);
    else if (!carried) warn(`left out: ${path.relative(ROOT, dir)} (another version of the code)`);
  }
  if (carry === undefined && usable.length < dirs.length)
    warn(
      'Only the banks on this code count. If only tests changed since an older bank, ' +
        '`status --carry events` takes its verdicts for the mutants not run again.',
    );
  const plan = new Map();
  const read = (dir) => {
    const verdicts = new Map();
    for (const ready of events(dir, 'onMutationTestingPlanReady'))
      for (const { mutant } of ready.mutantPlans)
        if (!plan.has(keyOf(mutant, 1))) plan.set(keyOf(mutant, 1), mutant);
    for (const result of events(dir, 'onMutantTested')) {
      const key = keyOf(result, 0);
      // The first verdict wins, except that a timeout re-checked later gives way to its answer.
      if (!verdicts.has(key) || verdicts.get(key).status === 'Timeout') verdicts.set(key, result);
    }
    return verdicts;
  };
  const verdicts = new Map();
  for (const dir of usable)
    for (const [key, result] of read(dir))
      if (!verdicts.has(key) || verdicts.get(key).status === 'Timeout') verdicts.set(key, result);
  const carried = new Set();
  if (carry) {
    const dir = path.join(REPORTS, carry);
    const refused =
      fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? carryCheck(carry) : `no bank ${carry}`;
    if (refused) {
      warn(`--carry ${carry} refused: ${refused}`);
      process.exit(1);
    }
    // The carried bank and every bank resumed on the same code (the same fingerprint).
    const fingerprintOf = (name) => {
      const file = path.join(REPORTS, `${name}${FINGERPRINT}`);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
    };
    const theirs = new Map();
    for (const other of dirs.filter(
      (name) => fingerprintOf(path.basename(name)) === fingerprintOf(carry),
    ))
      for (const [key, result] of read(other))
        if (!theirs.has(key) || theirs.get(key).status === 'Timeout') theirs.set(key, result);
    for (const [key, result] of theirs)
      if (!verdicts.has(key)) {
        verdicts.set(key, result);
        carried.add(key);
      }
  }
  if (plan.size === 0) {
    warn('No bank on this code: start one with `node scripts/mutation-bank.mjs run`.');
    process.exit(1);
  }
  return { plan: [...plan.values()], verdicts, current, carried };
}

/** The value after `--name`, if given. */
const option = (name) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};

function status() {
  const { plan, verdicts, carried } = readBank(option('carry'));
  const carriedPerFile = new Map();
  const perFile = new Map();
  const survivors = [];
  for (const mutant of plan) {
    const key = keyOf(mutant, 1);
    const verdict = verdicts.get(key);
    const state = verdict?.status ?? 'Untested';
    const file = relative(mutant.fileName);
    if (carried.has(key)) carriedPerFile.set(file, (carriedPerFile.get(file) ?? 0) + 1);
    const counts = perFile.get(file) ?? {};
    counts[state] = (counts[state] ?? 0) + 1;
    perFile.set(file, counts);
    if (state === 'Survived' || state === 'NoCoverage') survivors.push(verdict);
  }
  const columns = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError'];
  const score = (c) => {
    const detected = (c.Killed ?? 0) + (c.Timeout ?? 0);
    const total = detected + (c.Survived ?? 0) + (c.NoCoverage ?? 0);
    return total === 0 ? 100 : (100 * detected) / total;
  };
  const all = {};
  print(`| file | score | ${columns.join(' | ')} | untested |`);
  print(`|---|---|${columns.map(() => '---|').join('')}---|`);
  for (const [file, counts] of perFile) {
    for (const [state, n] of Object.entries(counts)) all[state] = (all[state] ?? 0) + n;
    const cells = [...columns, 'Untested'].map((state) => counts[state] ?? 0);
    const mark = carriedPerFile.has(file) ? ` (${carriedPerFile.get(file)} carried)` : '';
    print(`| \`${file}\`${mark} | ${score(counts).toFixed(1)}% | ${cells.join(' | ')} |`);
  }
  const cells = [...columns, 'Untested'].map((state) => all[state] ?? 0);
  print(`| **all** | **${score(all).toFixed(2)}%** | ${cells.join(' | ')} |`);
  print(`\n${plan.length} mutants, ${plan.length - (all.Untested ?? 0)} tested.`);
  if (carried.size > 0) print(`${carried.size} verdicts carried from ${option('carry')}.`);
  for (const verdict of survivors) {
    const { line } = verdict.location.start;
    const source = fs
      .readFileSync(path.join(ROOT, 'src', relative(verdict.fileName)), 'utf8')
      .split('\n')
      [line - 1].trim();
    print(
      `${verdict.status} ${relative(verdict.fileName)}:${line} ${verdict.mutatorName} ` +
        `${JSON.stringify(verdict.replacement ?? '')} | ${source}`,
    );
  }
}

/**
 * Stryker with `--force` on `mutate` only, its verdicts banked in a new events-<time>/ with the
 * fingerprint and commit of the code (`--dry-run`: print the configuration only).
 */
function runBank(mutate, current, what) {
  const name = `events-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'));
  config.mutate = mutate;
  config.eventReporter = { baseDir: `reports/mutation/${name}` };
  config.jsonReporter = { fileName: `reports/mutation/${name}.json` };
  config.incremental = false;
  delete config.$schema;
  if (process.argv.includes('--dry-run')) {
    print(JSON.stringify(config, null, 2));
    return;
  }
  fs.mkdirSync(REPORTS, { recursive: true });
  fs.writeFileSync(path.join(REPORTS, `${name}${FINGERPRINT}`), `${current}\n`);
  recordCommit(name);
  const configFile = path.join(REPORTS, `${name}.stryker.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  print(`${what}; verdicts go to reports/mutation/${name}/`);
  const stryker = spawnSync('npx', ['stryker', 'run', '--force', configFile], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(stryker.status ?? 1);
}

function resume() {
  const { plan, verdicts, current } = readBank();
  const lines = new Map();
  const timeoutsToo = process.argv.includes('--timeouts');
  for (const mutant of plan) {
    const verdict = verdicts.get(keyOf(mutant, 1));
    if (verdict && !(timeoutsToo && verdict.status === 'Timeout')) continue;
    const file = path.join('src', relative(mutant.fileName));
    const spans = lines.get(file) ?? [];
    spans.push([mutant.location.start.line + 1, mutant.location.end.line + 1]);
    lines.set(file, spans);
  }
  if (lines.size === 0) {
    print('Every mutant has a verdict: `node scripts/mutation-bank.mjs status`.');
    return;
  }
  // The untested mutants' lines (a mutant elsewhere on those lines runs again; the first
  // verdict is kept).
  const mutate = [];
  for (const [file, spans] of lines) {
    spans.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const [from, to] of spans) {
      const last = merged.at(-1);
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    for (const [from, to] of merged) mutate.push(`${file}:${from}-${to}`);
  }
  runBank(mutate, current, `${mutate.length} line ranges`);
}

/**
 * Every mutant of the named files (`file` or `file:from-to`) again, on this code, into a new
 * events-<time>/: after tests were added to kill survivors, their lines are measured afresh and
 * `status --carry events` takes every other verdict from the bank of the code before.
 */
function rerun(entries) {
  if (entries.length === 0) {
    warn('usage: node scripts/mutation-bank.mjs rerun <src/file.ts>[:<from>-<to>]...');
    process.exit(2);
  }
  // The files Stryker mutates: the positive patterns of `mutate` less the `!` ones.
  const tree = workingTree();
  const { mutate } = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'));
  const excluded = new Set(
    mutate.filter((p) => p.startsWith('!')).flatMap((p) => expand(tree, p.slice(1))),
  );
  const scope = new Set(
    mutate
      .filter((p) => !p.startsWith('!'))
      .flatMap((p) => expand(tree, p))
      .filter((file) => !excluded.has(file)),
  );
  // `src/modules/x.ts:10-20` or, as `status` prints it, `modules/x.ts:10-20`.
  const files = entries.map((entry) => {
    const [, file, lines = ''] = /^(.*?)(:\d+-\d+)?$/.exec(entry);
    const inRepo = file.startsWith('src/') ? file : `src/${file}`;
    if (!scope.has(inRepo)) {
      warn(`not a file the mutation run mutates: ${file} (stryker.config.json, mutate)`);
      process.exit(2);
    }
    return `${inRepo}${lines}`;
  });
  runBank(files, fingerprint(), `${files.length} files or line ranges`);
}

/**
 * A banked run of the whole scope: `--force` runs every mutant (`run`), without it Stryker reuses
 * its incremental file for what did not change (`npm run test:mutation`). Either way the bank
 * `events` is rewritten, so its fingerprint and commit are written first.
 */
function run() {
  fs.mkdirSync(REPORTS, { recursive: true });
  fs.writeFileSync(path.join(REPORTS, `events${FINGERPRINT}`), `${fingerprint()}\n`);
  recordCommit('events');
  const args = ['stryker', 'run', ...(process.argv.includes('--incremental') ? [] : ['--force'])];
  const stryker = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit' });
  process.exit(stryker.status ?? 1);
}

const command = process.argv[2];
if (command === 'run') run();
else if (command === 'status') status();
else if (command === 'resume') resume();
else if (command === 'rerun') rerun(process.argv.slice(3).filter((arg) => !arg.startsWith('--')));
else if (command === 'fingerprint') print(fingerprint());
else {
  warn(
    'usage: node scripts/mutation-bank.mjs run | status [--carry <bank>] | resume | rerun <file>[:<from>-<to>]... | fingerprint',
  );
  process.exit(2);
}

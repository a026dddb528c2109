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
 *                                           its verdicts banked in reports/mutation/events/;
 *   node scripts/mutation-bank.mjs status   the score so far, per file, and every survivor;
 *   node scripts/mutation-bank.mjs resume   runs Stryker on the mutants no run has tested yet
 *                                           (their lines, --force), into a new events-<time>/
 *                                           (`--dry-run`: print its configuration only;
 *                                           `--timeouts`: the timed-out mutants again too, on
 *                                           a quiet machine: a timeout under load may be a
 *                                           slow survivor, and the re-run's answer replaces it).
 *
 * "The same code": each bank records a fingerprint (SHA-256 of the mutated files, the mutation
 * run's tests and everything they import, and both configurations) when it starts; a bank whose
 * fingerprint differs from the tree's now is left out, so a verdict is never carried over to
 * changed code or tests. A mutant is matched across runs by file, position, mutator and
 * replacement. docs/reliability.md ("Mutation testing") has the figures.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const ROOT = path.join(import.meta.dirname, '..');
const print = (line) => process.stdout.write(`${line}\n`);
const warn = (line) => process.stderr.write(`${line}\n`);
const REPORTS = path.join(ROOT, 'reports', 'mutation');
const FINGERPRINT = '.fingerprint';

/** The files a pattern such as `<rootDir>/src/x/*.spec.ts` names (a `*` in the last part only). */
function expand(pattern) {
  const full = path.resolve(ROOT, pattern.replace('<rootDir>', ROOT));
  const dir = path.dirname(full);
  const name = new RegExp(
    `^${path
      .basename(full)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')}$`,
  );
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((entry) => name.test(entry))
        .map((entry) => path.join(dir, entry))
    : [];
}

/**
 * What the verdicts depend on: the mutated files, the mutation run's test files
 * (jest.mutation.config.js) and every file they import, transitively, and both configurations'
 * settings. A change elsewhere (a page, a service) keeps the bank.
 */
function fingerprint() {
  const require = createRequire(import.meta.url);
  const jestConfigFile = path.join(ROOT, 'jest.mutation.config.js');
  const { _comment, ...settings } = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'),
  );
  const queue = [
    jestConfigFile,
    ...require(jestConfigFile).testMatch.flatMap(expand),
    ...settings.mutate.filter((pattern) => !pattern.startsWith('!')).flatMap(expand),
  ];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(
      /(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    )) {
      const base = path.resolve(path.dirname(file), specifier);
      const found = [
        base,
        `${base}.ts`,
        `${base}.js`,
        `${base}.json`,
        path.join(base, 'index.ts'),
      ].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      if (found) queue.push(found);
    }
  }
  if (process.argv.includes('--list'))
    for (const file of [...seen].sort()) warn(path.relative(ROOT, file));
  const hash = createHash('sha256');
  for (const file of [...seen].sort()) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  hash.update(JSON.stringify(settings));
  return hash.digest('hex');
}

const relative = (fileName) => path.relative(path.join(ROOT, 'src'), fileName);

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

/** The banks on this code: the first full run's plan, and every verdict (the first one wins). */
function readBank() {
  const current = fingerprint();
  const dirs = fs.existsSync(REPORTS)
    ? fs
        .readdirSync(REPORTS)
        .filter((name) => name === 'events' || name.startsWith('events-'))
        .sort()
        .map((name) => path.join(REPORTS, name))
    : [];
  const usable = [];
  for (const dir of dirs) {
    const recorded = path.join(REPORTS, `${path.basename(dir)}${FINGERPRINT}`);
    const same = fs.existsSync(recorded) && fs.readFileSync(recorded, 'utf8').trim() === current;
    if (same) usable.push(dir);
    else warn(`left out: ${path.relative(ROOT, dir)} (another version of the code)`);
  }
  let plan;
  const verdicts = new Map();
  for (const dir of usable) {
    const [ready] = events(dir, 'onMutationTestingPlanReady');
    if (!plan && ready) plan = ready.mutantPlans.map((entry) => entry.mutant);
    for (const result of events(dir, 'onMutantTested')) {
      const key = keyOf(result, 0);
      // The first verdict wins, except that a timeout re-checked later gives way to its answer.
      if (!verdicts.has(key) || verdicts.get(key).status === 'Timeout') verdicts.set(key, result);
    }
  }
  if (!plan) {
    warn('No bank on this code: start one with `npx stryker run --force`.');
    process.exit(1);
  }
  return { plan, verdicts, current };
}

function status() {
  const { plan, verdicts } = readBank();
  const perFile = new Map();
  const survivors = [];
  for (const mutant of plan) {
    const verdict = verdicts.get(keyOf(mutant, 1));
    const state = verdict?.status ?? 'Untested';
    const file = relative(mutant.fileName);
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
    print(`| \`${file}\` | ${score(counts).toFixed(1)}% | ${cells.join(' | ')} |`);
  }
  const cells = [...columns, 'Untested'].map((state) => all[state] ?? 0);
  print(`| **all** | **${score(all).toFixed(2)}%** | ${cells.join(' | ')} |`);
  print(`\n${plan.length} mutants, ${plan.length - (all.Untested ?? 0)} tested.`);
  for (const verdict of survivors) {
    const { line } = verdict.location.start;
    const source = fs.readFileSync(verdict.fileName, 'utf8').split('\n')[line - 1].trim();
    print(
      `${verdict.status} ${relative(verdict.fileName)}:${line} ${verdict.mutatorName} ` +
        `${JSON.stringify(verdict.replacement ?? '')} | ${source}`,
    );
  }
}

function resume() {
  const { plan, verdicts, current } = readBank();
  const lines = new Map();
  const timeoutsToo = process.argv.includes('--timeouts');
  for (const mutant of plan) {
    const verdict = verdicts.get(keyOf(mutant, 1));
    if (verdict && !(timeoutsToo && verdict.status === 'Timeout')) continue;
    const file = path.relative(ROOT, mutant.fileName);
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
  const configFile = path.join(REPORTS, `${name}.stryker.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  print(`${mutate.length} line ranges; verdicts go to reports/mutation/${name}/`);
  const run = spawnSync('npx', ['stryker', 'run', '--force', configFile], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

function run() {
  fs.mkdirSync(REPORTS, { recursive: true });
  fs.writeFileSync(path.join(REPORTS, `events${FINGERPRINT}`), `${fingerprint()}\n`);
  const stryker = spawnSync('npx', ['stryker', 'run', '--force'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(stryker.status ?? 1);
}

const command = process.argv[2];
if (command === 'run') run();
else if (command === 'status') status();
else if (command === 'resume') resume();
else if (command === 'fingerprint') print(fingerprint());
else {
  warn('usage: node scripts/mutation-bank.mjs run | status | resume | fingerprint');
  process.exit(2);
}

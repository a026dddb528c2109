import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  CONTRACT_STATES,
  TASK_LINE_STATES,
  VILLAGE_PART_STATES,
} from '../../src/modules/contracts/machine/contract.types';

/**
 * The machine decides (issues 12 and 28): a rule about a contract's state is a guard of the
 * machine or one of its queries (contracts/machine/), never a comparison in a service. This test
 * reads the production code and fails on
 * - a comparison of a contract's, task line's or village part's state, and a fake event sent only
 *   to get the machine's refusal message;
 * - a literal naming one of the machine's states (its own lists, contract.types.ts) outside
 *   machine/, in TypeScript or inside SQL: a query that needs "live contracts" or "from audited
 *   on" takes the list from machine/queries.ts as a parameter. DTO enums (dto/), comments, tests,
 *   migrations and docs aside;
 * - a write (`manager.update|insert|delete|save`, an audit row `record(manager, …)`,
 *   `query('UPDATE|INSERT|DELETE …')`) inside a command's `prepare`: prepare gathers facts and
 *   returns the event; the command's own new rows go to `write()`, and what the transition
 *   changes besides is the machine's effects (machine/effects.ts), written by the loop.
 * What is still there is listed below by name, so the lists can only shrink.
 */
const SRC = path.join(__dirname, '../../src');
const MODULES = path.join(SRC, 'modules');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['machine', 'dto', 'testing'].includes(entry.name) ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** `contract.state === '…'`, `current.value !== '…'` (a PersistedContract), `line.state …`. */
const STATE_DECISION =
  /\b(?:contract\??\.state|current\??\.value|(?:line|taskLine|part|villagePart)\??\.state)\s*[!=]==?\s*'/;
const FAKE_EVENT = /noticeId:\s*''/;

const STATE_NAMES = [
  ...new Set<string>([...CONTRACT_STATES, ...TASK_LINE_STATES, ...VILLAGE_PART_STATES]),
];
/** A state name between quotes: a TypeScript string, or an SQL literal inside one. */
const STATE_LITERAL = new RegExp(`(['"\`])(${STATE_NAMES.join('|')})\\1`, 'g');
/** A comment line (or the rest of a line after `//`): words there are not code. */
const withoutComment = (line: string): string =>
  /^\s*(?:\*|\/\*|\/\/)/.test(line) ? '' : line.replace(/(^|[^:'"`])\/\/.*$/, '$1');

const WRITE =
  /\b(?:manager|tx)\.(?:update|insert|delete|save)\b|\.record\(\s*manager\b|\.query(?:<[^>]*>)?\(\s*[`'"]\s*(?:UPDATE|INSERT|DELETE)\b/i;

const REGISTER_ROW =
  "register_row's own state (RegisterRowState: working, claimed, withdrawn), a word it shares with the task line's";
const NOTICE =
  "notice's own state (NoticeStatus: terminated), a word it shares with the contract's";
const INITIAL =
  "the contract's creation at the award: its first state and its lines' (the machine's input)";

/**
 * State-name literals still outside machine/, `file: 'literal'` → [how many, why]. Another table's
 * state that shares a word with the machine's is not the machine's rule; the rest is issue 28's
 * effects refactor. The test fails when one is added or removed, so the list can only shrink.
 */
const STATE_LITERAL_EXCEPTIONS: Record<string, [number, string]> = {
  "modules/audits/audit-sample.service.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/contracts/calculation.service.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/contracts/contracts.service.ts: 'awarded'": [1, INITIAL],
  "modules/contracts/contracts.service.ts: 'pending'": [1, INITIAL],
  "modules/desk/desk-pages.service.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/documents/forms/register.form.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/documents/forms/register.form.ts: 'working'": [1, REGISTER_ROW],
  "modules/documents/forms/village-notice.form.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/field-work/register-copy.ts: 'working'": [1, REGISTER_ROW],
  "modules/field-work/register-import-rows.ts: 'withdrawn'": [1, REGISTER_ROW],
  "modules/field-work/register-import.service.ts: 'withdrawn'": [2, REGISTER_ROW],
  // `row.state !== 'working'`: a row frozen once claimed (or withdrawn); not yet taskLineTakesRows.
  "modules/field-work/register-import.service.ts: 'working'": [1, REGISTER_ROW],
  "modules/field-work/register-row.entity.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/field-work/register-row.entity.ts: 'withdrawn'": [2, REGISTER_ROW],
  "modules/field-work/register-row.entity.ts: 'working'": [2, REGISTER_ROW],
  "modules/field-work/register.service.ts: 'withdrawn'": [2, REGISTER_ROW],
  "modules/field-work/register.service.ts: 'working'": [1, REGISTER_ROW],
  "modules/notices/notice.entity.ts: 'terminated'": [2, NOTICE],
  "modules/notices/notices.service.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/notices/notices.service.ts: 'working'": [1, REGISTER_ROW],
  "modules/notices/verification.service.ts: 'claimed'": [1, REGISTER_ROW],
  "modules/projects/project-summary.service.ts: 'withdrawn'": [1, REGISTER_ROW],
};

/**
 * Writes still inside a `prepare` (file → [how many lines, why]): none since issue 28 made the
 * claim's, the rework's, the objection resolution's and the bank answer's the machine's effects.
 * Keep it empty.
 */
const PREPARE_WRITE_EXCEPTIONS: Record<string, [number, string]> = {};

const rel = (file: string): string => path.relative(SRC, file);

function stateLiterals(files: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      for (const match of withoutComment(line).matchAll(STATE_LITERAL)) {
        const key = `${rel(file)}: '${match[2]}'`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
  }
  return counts;
}

/** The bodies of every `prepare: …` property and `prepare(…) {…}` method in a file. */
function prepareBodies(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const bodies: string[] = [];
  const visit = (node: ts.Node): void => {
    const named = (name: ts.PropertyName): boolean =>
      ts.isIdentifier(name) && name.text === 'prepare';
    if (ts.isPropertyAssignment(node) && named(node.name))
      bodies.push(node.initializer.getText(source));
    if (ts.isMethodDeclaration(node) && named(node.name) && node.body)
      bodies.push(node.body.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return bodies;
}

function prepareWrites(files: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) {
    const writes = prepareBodies(file)
      .flatMap((body) => body.split('\n'))
      .filter((line) => WRITE.test(withoutComment(line))).length;
    if (writes > 0) counts[rel(file)] = writes;
  }
  return counts;
}

const counts = (exceptions: Record<string, [number, string]>): Record<string, number> =>
  Object.fromEntries(Object.entries(exceptions).map(([key, [count]]) => [key, count]));

describe('every rule about a contract’s state lives in the machine', () => {
  const files = sources(MODULES);
  const everywhere = sources(SRC);

  it('reads the services (the test looks where the rules would be)', () => {
    expect(files.filter((file) => file.endsWith('.service.ts')).length).toBeGreaterThan(20);
    expect(STATE_NAMES).toEqual(
      expect.arrayContaining(['awarded', 'terminated', 'working', 'noticeCleared']),
    );
  });

  it('no service compares a contract’s state to decide, and no fake event is sent', () => {
    const offenders = files.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          STATE_DECISION.test(line) || FAKE_EVENT.test(line)
            ? [`${path.relative(MODULES, file)}:${index + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(offenders).toEqual([]);
  });

  it('names no state of the machine outside it, SQL included (bar the listed exceptions)', () => {
    expect(stateLiterals(everywhere)).toEqual(counts(STATE_LITERAL_EXCEPTIONS));
  });

  it('writes nothing in a command’s prepare (bar the listed exceptions)', () => {
    expect(prepareWrites(files)).toEqual(counts(PREPARE_WRITE_EXCEPTIONS));
  });

  it('would catch one (the patterns match what they are for)', () => {
    expect(STATE_DECISION.test("if (contract.state !== 'contracted') {")).toBe(true);
    expect(STATE_DECISION.test("if (current.value !== 'payable') {")).toBe(true);
    expect(STATE_DECISION.test("if (line?.state === 'working') {")).toBe(true);
    expect(STATE_DECISION.test("if (tender.state !== 'opened') {")).toBe(false);
    expect(FAKE_EVENT.test("noticeId: '',")).toBe(true);
    const literals = (line: string): string[] =>
      [...withoutComment(line).matchAll(STATE_LITERAL)].map((m) => m[2]);
    expect(literals("  WHERE c.state <> 'terminated' AND x.state IN ('audited','paid')`,")).toEqual(
      ['terminated', 'audited', 'paid'],
    );
    expect(literals("const s = ['inService'];")).toEqual(['inService']);
    expect(literals(' * the contract is `terminated` once')).toEqual([]);
    expect(literals("x = 1; // 'paid' in a comment")).toEqual([]);
    expect(literals("p.state = 'confirmed'")).toEqual([]);
    expect(WRITE.test('await manager.update(RegisterRow, { id }, { state });')).toBe(true);
    expect(WRITE.test("await manager.query(`UPDATE register_row SET state = 'x'`);")).toBe(true);
    expect(WRITE.test('await manager.query<{ n: string }[]>(\n')).toBe(false);
    expect(WRITE.test('const rows = await manager.find(RegisterRow, {});')).toBe(false);
    expect(WRITE.test('await this.auditLog.record(manager, {')).toBe(true);
    expect(WRITE.test('await tx.save(record);')).toBe(true);
    expect(WRITE.test('write(this.auditLog.insert({')).toBe(false);
  });
});

import fs from 'node:fs';
import path from 'node:path';

/**
 * The machine decides (issue 12): a rule about a contract's state is a guard of the machine or
 * one of its queries (contracts/machine/), never a comparison in a service. This test reads the
 * services and fails on a comparison of a contract's, task line's or village part's state, and on
 * a fake event sent only to get the machine's refusal message.
 */
const MODULES = path.join(__dirname, '../../src/modules');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'machine' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** `contract.state === '…'`, `current.value !== '…'` (a PersistedContract), `line.state …`. */
const STATE_DECISION =
  /\b(?:contract\??\.state|current\??\.value|(?:line|taskLine|part|villagePart)\??\.state)\s*[!=]==?\s*'/;
const FAKE_EVENT = /noticeId:\s*''/;

describe('every rule about a contract’s state lives in the machine', () => {
  const files = sources(MODULES);

  it('reads the services (the test looks where the rules would be)', () => {
    expect(files.filter((file) => file.endsWith('.service.ts')).length).toBeGreaterThan(20);
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

  it('would catch one (the pattern matches what it is for)', () => {
    expect(STATE_DECISION.test("if (contract.state !== 'contracted') {")).toBe(true);
    expect(STATE_DECISION.test("if (current.value !== 'payable') {")).toBe(true);
    expect(STATE_DECISION.test("if (line?.state === 'working') {")).toBe(true);
    expect(STATE_DECISION.test("if (tender.state !== 'opened') {")).toBe(false);
    expect(FAKE_EVENT.test("noticeId: '',")).toBe(true);
  });
});

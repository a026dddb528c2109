/**
 * Test-only switches, read in this one place: weakened variants of a guard (negative controls
 * that show a race test can fail) and injected faults (the crash-after-commit test). Each is
 * refused unless NODE_ENV=test: a start with one set otherwise stops with a configuration error
 * ({@link readTestSwitches}), and the code that consults one throws if it ever sees one outside
 * a test ({@link isWeakened}, {@link hasFault}). Never set them in a deployment.
 */
export const WEAKENINGS = {
  /** Settling a payout without the row lock, the version check and the payout's state check. */
  'payout-settle': 'confirming or failing a payout runs without its locks and checks',
  /** Every contract command without the contract's row lock and version check. */
  'transition-lock': 'contract commands run without the row lock and the version check',
  /** The payout's key checked with a SELECT then inserted (no INSERT … ON CONFLICT claim). */
  'payout-key-claim': 'the payout key is checked, then inserted, without the row lock',
  /** Acceptance signatures counted without the contract's row lock. */
  'acceptance-lock': 'acceptance signatures are counted without the row lock',
  /** The confirming audit reads what is left of an organisation's cap without the cap's lock. */
  'policy-cap': "the confirming audit reads the cap's remainder without its lock",
} as const;
export type Weakening = keyof typeof WEAKENINGS;

export const FAULTS = {
  /** The process kills itself (SIGKILL) after a payout committed, before it answers. */
  'crash-after-payout-commit': 'the process is killed after a payout commits',
} as const;
export type Fault = keyof typeof FAULTS;

export interface TestSwitches {
  /** TEST_WEAKEN (comma-separated names), only with NODE_ENV=test. */
  testWeaken?: Weakening[];
  /** TEST_FAULT (comma-separated names), only with NODE_ENV=test. */
  testFaults?: Fault[];
}

type Env = Record<string, string | undefined>;

function names<T extends string>(
  variable: string,
  raw: string | undefined,
  known: Record<T, string>,
  problems: string[],
): T[] {
  const listed = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of listed.filter((candidate) => !Object.hasOwn(known, candidate))) {
    problems.push(`${variable} takes ${Object.keys(known).join(', ')} (got "${name}")`);
  }
  return [...new Set(listed.filter((name): name is T => Object.hasOwn(known, name)))];
}

/** The older one-flag names, still taken: TEST_WEAKEN_PAYOUT_SETTLE=1 and TEST_WEAKEN_POLICY_CAP=1. */
const FLAGS: Record<string, Weakening> = {
  TEST_WEAKEN_PAYOUT_SETTLE: 'payout-settle',
  TEST_WEAKEN_POLICY_CAP: 'policy-cap',
};

/** Reads TEST_WEAKEN and TEST_FAULT (and the older one-flag names). */
export function readTestSwitches(env: Env, nodeEnv: string, problems: string[]): TestSwitches {
  const weaken = names('TEST_WEAKEN', env.TEST_WEAKEN, WEAKENINGS, problems);
  for (const [flag, name] of Object.entries(FLAGS)) {
    const raw = env[flag]?.trim();
    if (raw === '1' || raw === 'true') weaken.push(name);
  }
  const faults = names('TEST_FAULT', env.TEST_FAULT, FAULTS, problems);
  if (nodeEnv !== 'test') {
    if (weaken.length > 0) problems.push('TEST_WEAKEN is refused unless NODE_ENV=test');
    if (faults.length > 0) problems.push('TEST_FAULT is refused unless NODE_ENV=test');
    return {};
  }
  return {
    ...(weaken.length > 0 ? { testWeaken: [...new Set(weaken)] } : {}),
    ...(faults.length > 0 ? { testFaults: faults } : {}),
  };
}

type Switched = TestSwitches & { nodeEnv: string };

function honoured(config: Switched, listed: readonly string[] | undefined, name: string): boolean {
  if (!listed?.includes(name)) return false;
  if (config.nodeEnv !== 'test') {
    throw new Error(`The test-only switch "${name}" is set outside NODE_ENV=test`);
  }
  return true;
}

/** Whether this guard runs weakened (a negative control). Throws outside NODE_ENV=test. */
export function isWeakened(config: Switched, name: Weakening): boolean {
  return honoured(config, config.testWeaken, name);
}

/** Whether this fault is injected. Throws outside NODE_ENV=test. */
export function hasFault(config: Switched, name: Fault): boolean {
  return honoured(config, config.testFaults, name);
}

import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { ContractLocks } from '../../src/modules/contracts/workflow/contract-locks';
import { AfterPayoutCommit, PayoutKeyClaims } from '../../src/modules/payouts/payout-key-claims';
import {
  CheckThenInsertKeyClaims,
  FAULTS,
  readWeakenings,
  twinProviders,
  UnlockedContracts,
  WEAKENINGS,
} from '../support/weakened';

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

describe('the weakened twins (negative controls) and injected faults', () => {
  it('each twin replaces the provider of the guard it weakens, each provider once', () => {
    expect(twinProviders(['transition-lock'])).toEqual([
      { provide: ContractLocks, useClass: UnlockedContracts },
    ]);
    expect(twinProviders(['payout-key-claim', 'transition-lock'])).toEqual([
      { provide: ContractLocks, useClass: UnlockedContracts },
      { provide: PayoutKeyClaims, useClass: CheckThenInsertKeyClaims },
    ]);
    expect(twinProviders([])).toEqual([]);
    expect(() => twinProviders(['policy-cap'])).toThrow(/weakenPolicyCap/);
    expect(FAULTS['crash-after-payout-commit'].map((override) => override.provide)).toEqual([
      AfterPayoutCommit,
    ]);
  });

  it('the unlocked twin saves whatever the version and appends no check', () => {
    const locks = new ContractLocks();
    const unlocked = new UnlockedContracts();
    expect(locks.versionCondition('$9')).toBe('version = $9');
    expect(locks.saveCheck()).toHaveLength(1);
    expect(unlocked.versionCondition('$9')).toBe('(version = $9 OR true)');
    expect(unlocked.saveCheck()).toEqual([]);
  });

  it('TEST_WEAKEN (a by-hand negative control) takes the known names, each once', () => {
    expect(readWeakenings(undefined)).toEqual([]);
    expect(readWeakenings('transition-lock, acceptance-lock,transition-lock')).toEqual([
      'transition-lock',
      'acceptance-lock',
    ]);
    expect(() => readWeakenings('no-locks-at-all')).toThrow(
      `TEST_WEAKEN takes ${Object.keys(WEAKENINGS).join(', ')} (got "no-locks-at-all")`,
    );
  });

  it('the production configuration knows no test switch: TEST_WEAKEN and TEST_FAULT change nothing', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) };
    const plain = loadConfig(env, '/srv/app');
    const switched = loadConfig(
      { ...env, TEST_WEAKEN: 'transition-lock', TEST_FAULT: 'crash-after-payout-commit' },
      '/srv/app',
    );
    expect(switched).toEqual(plain);
  });

  it('no production file reads a test switch or imports test code', () => {
    const root = path.resolve(__dirname, '..', '..', 'src');
    const offenders = sources(root)
      .filter((file) => !file.endsWith('.spec.ts'))
      .filter((file) =>
        /TEST_WEAKEN|TEST_FAULT|isWeakened|hasFault|common\/testing|from '(\.\.\/)+test\//.test(
          fs.readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});

import { ConfigError, loadConfig } from '../../config/app-config';
import { hasFault, isWeakened } from './weakened';

/** The problems a start with `env` stops on (none: it starts). */
function problemsOf(env: Record<string, string>): string[] {
  const thrown = captured(() => loadConfig(env, '/srv/app'));
  return thrown instanceof ConfigError ? thrown.problems : [];
}

function captured(act: () => unknown): unknown {
  try {
    act();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('test-only switches (weakened guards, injected faults)', () => {
  it.each(['development', 'production'])('are refused at start with NODE_ENV=%s', (nodeEnv) => {
    const extra: Record<string, string> =
      nodeEnv === 'production' ? { JWT_SECRET: 's'.repeat(32) } : {};
    expect(problemsOf({ NODE_ENV: nodeEnv, ...extra, TEST_WEAKEN: 'transition-lock' })).toEqual([
      'TEST_WEAKEN is refused unless NODE_ENV=test',
    ]);
    expect(
      problemsOf({ NODE_ENV: nodeEnv, ...extra, TEST_FAULT: 'crash-after-payout-commit' }),
    ).toEqual(['TEST_FAULT is refused unless NODE_ENV=test']);
    expect(problemsOf({ ...extra, NODE_ENV: nodeEnv, TEST_WEAKEN_PAYOUT_SETTLE: '1' })).toEqual([
      'TEST_WEAKEN is refused unless NODE_ENV=test',
    ]);
  });

  it('are refused without NODE_ENV (the default is development)', () => {
    expect(problemsOf({ TEST_WEAKEN: 'payout-key-claim' })).toEqual([
      'TEST_WEAKEN is refused unless NODE_ENV=test',
    ]);
  });

  it('are taken with NODE_ENV=test, each name once; an unknown name is refused', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        TEST_WEAKEN: 'transition-lock, acceptance-lock,transition-lock',
        TEST_FAULT: 'crash-after-payout-commit',
      },
      '/srv/app',
    );
    expect(config.testWeaken).toEqual(['transition-lock', 'acceptance-lock']);
    expect(config.testFaults).toEqual(['crash-after-payout-commit']);
    expect(isWeakened(config, 'transition-lock')).toBe(true);
    expect(isWeakened(config, 'payout-key-claim')).toBe(false);
    expect(hasFault(config, 'crash-after-payout-commit')).toBe(true);
    expect(problemsOf({ NODE_ENV: 'test', TEST_WEAKEN: 'no-locks-at-all' })).toEqual([
      'TEST_WEAKEN takes payout-settle, transition-lock, payout-key-claim, acceptance-lock, policy-cap (got "no-locks-at-all")',
    ]);
  });

  it('a config built around the start (not from the environment) is still refused outside tests', () => {
    const config = { nodeEnv: 'production', testWeaken: ['transition-lock' as const] };
    expect(() => isWeakened(config, 'transition-lock')).toThrow(/outside NODE_ENV=test/);
    expect(() =>
      hasFault(
        { nodeEnv: 'development', testFaults: ['crash-after-payout-commit'] },
        'crash-after-payout-commit',
      ),
    ).toThrow(/outside NODE_ENV=test/);
    // Nothing set: nothing weakened, whatever the environment.
    expect(isWeakened({ nodeEnv: 'production' }, 'transition-lock')).toBe(false);
  });
});

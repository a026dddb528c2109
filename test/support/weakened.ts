import type { DataSource, EntityManager } from 'typeorm';
import { ContractLocks } from '../../src/modules/contracts/workflow/contract-locks';
import type { CommandTarget } from '../../src/modules/contracts/workflow/command';
import { readContract } from '../../src/modules/contracts/workflow/contract-read';
import {
  AfterPayoutCommit,
  PayoutKeyClaims,
  type KeyClaim,
} from '../../src/modules/payouts/payout-key-claims';
import { IdempotencyKey } from '../../src/modules/payouts/payout.entity';
import type { Contract } from '../../src/modules/contracts/contract.entity';

/**
 * The weakened twins: copies of the app built with one guard taken out, the negative controls
 * that show a race test can fail, and the injected faults. Nothing of this is in the production
 * build, which has no test switch: a twin replaces one provider of the app (the test module
 * overrides it: {@link twinProviders}, `startWeakenedTwin` in test-app.ts, or a test entry of the
 * built app under entries/) or one statement in the twin's own test database
 * ({@link weakenPolicyCap}).
 */
export const WEAKENINGS = {
  /** Every contract command without the contract's row lock and version check. */
  'transition-lock': 'contract commands run without the row lock and the version check',
  /** Acceptance signatures counted without the contract's row lock. */
  'acceptance-lock': 'acceptance signatures are counted without the row lock',
  /** Settling a payout without the contract's row lock and version check. */
  'payout-settle': 'confirming or failing a payout runs without the row lock',
  /** The payout's key checked with a SELECT then inserted (no INSERT … ON CONFLICT claim). */
  'payout-key-claim': 'the payout key is checked, then inserted, without the row lock',
  /** The confirming audit reads what is left of an organisation's cap without the cap's lock. */
  'policy-cap': "the confirming audit reads the cap's remainder without its lock",
} as const;
export type Weakening = keyof typeof WEAKENINGS;

/**
 * ContractLocks without the locks: the contract read without `FOR UPDATE`, the signatures'
 * row lock a no-op, the save kept whatever the version, no `expect_one_row` after it.
 */
export class UnlockedContracts extends ContractLocks {
  override read(manager: EntityManager, target: CommandTarget): Promise<Contract> {
    return readContract(manager, target, 'optimistic');
  }

  override async lockRow(): Promise<void> {}

  override versionCondition(versionParam: string): string {
    return `(version = ${versionParam} OR true)`;
  }

  override saveCheck(): [] {
    return [];
  }
}

/** The key checked with a SELECT, then inserted after the payout (no claim that waits). */
export class CheckThenInsertKeyClaims extends PayoutKeyClaims {
  override async claim(manager: EntityManager, claim: KeyClaim): Promise<boolean> {
    return !(await manager.existsBy(IdempotencyKey, { scope: claim.scope, key: claim.key }));
  }

  override async store(
    manager: EntityManager,
    claim: KeyClaim,
    answer: { responseStatus: number; responseBody: never },
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKey)
      .values({ scope: claim.scope, key: claim.key, requestSha256: claim.requestSha256, ...answer })
      .orIgnore()
      .execute();
  }
}

/** A provider of the app replaced in a twin. */
export type ProviderOverride =
  | {
      provide: abstract new (...args: never[]) => unknown;
      useClass: new (...args: never[]) => unknown;
    }
  | { provide: abstract new (...args: never[]) => unknown; useValue: unknown };

const UNLOCKED: ProviderOverride = { provide: ContractLocks, useClass: UnlockedContracts };

/** The providers each weakening replaces (policy-cap is a statement: {@link weakenPolicyCap}). */
export const TWIN_PROVIDERS: Record<Exclude<Weakening, 'policy-cap'>, ProviderOverride[]> = {
  'transition-lock': [UNLOCKED],
  'acceptance-lock': [UNLOCKED],
  'payout-settle': [UNLOCKED],
  'payout-key-claim': [UNLOCKED, { provide: PayoutKeyClaims, useClass: CheckThenInsertKeyClaims }],
};

/** The overrides of a twin with these weakenings, each provider once. */
export function twinProviders(weakenings: readonly Weakening[]): ProviderOverride[] {
  const overrides = new Map<unknown, ProviderOverride>();
  for (const weakening of weakenings) {
    if (weakening === 'policy-cap') {
      throw new Error('policy-cap weakens the database: call weakenPolicyCap(dataSource)');
    }
    for (const override of TWIN_PROVIDERS[weakening]) overrides.set(override.provide, override);
  }
  return [...overrides.values()];
}

/**
 * policy-cap, in the twin's own database: a pg_advisory_xact_lock(integer) shadows the built-in
 * one (an exact argument match wins over pg_catalog's bigint version) and skips the lock of every
 * (policy, organisation) cap; any other lock is taken as before.
 */
export async function weakenPolicyCap(dataSource: DataSource): Promise<void> {
  await dataSource.query(`
    CREATE FUNCTION public.pg_advisory_xact_lock(key integer) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM subsidy_policy p CROSS JOIN organisation o
                  WHERE hashtext('policy-cap:' || p.id || ':' || o.id) = key) THEN
        RETURN;
      END IF;
      PERFORM pg_catalog.pg_advisory_xact_lock(key::bigint);
    END $$`);
}

export const FAULTS = {
  /** The process kills itself (SIGKILL) after a payout committed, before it answers. */
  'crash-after-payout-commit': [
    {
      provide: AfterPayoutCommit,
      useValue: { payoutCommitted: () => process.kill(process.pid, 'SIGKILL') },
    },
  ] as ProviderOverride[],
} as const;

/**
 * TEST_WEAKEN (comma-separated names), read by a test whose negative control is run by hand
 * (payment-batches: `TEST_WEAKEN=payout-settle npx jest …`). An unknown name is refused.
 */
export function readWeakenings(raw: string | undefined): Weakening[] {
  const listed = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = listed.filter((name) => !Object.hasOwn(WEAKENINGS, name));
  if (unknown.length > 0) {
    throw new Error(
      `TEST_WEAKEN takes ${Object.keys(WEAKENINGS).join(', ')} (got "${unknown.join('", "')}")`,
    );
  }
  return [...new Set(listed as Weakening[])];
}

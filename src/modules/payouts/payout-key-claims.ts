import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotencyKey } from './payout.entity';

/** One caller's key for one contract's payout, and the digest of the request it came with. */
export interface KeyClaim {
  scope: string;
  key: string;
  requestSha256: string;
  at: Date;
}

/**
 * The Idempotency-Key of a payout, claimed in the payout's own transaction with
 * INSERT … ON CONFLICT: a second request with the key waits for the first to commit and then
 * replays its answer, so a key never pays twice. One provider, so that the claim is stated once
 * (and a race test can show, with a copy of the app built with a check-then-insert claim, that its
 * assertions fail).
 */
@Injectable()
export class PayoutKeyClaims {
  /** True: this request holds the key now. False: it was taken before (its answer is stored). */
  async claim(manager: EntityManager, claim: KeyClaim): Promise<boolean> {
    const claimed = await manager.query<{ key: string }[]>(
      `INSERT INTO idempotency_key (scope, key, request_sha256, response_status, response_body, created_at)
       VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [claim.scope, claim.key, claim.requestSha256, claim.at],
    );
    return claimed.length > 0;
  }

  /** Stores the answer on the claimed key, in the same transaction. */
  async store(
    manager: EntityManager,
    claim: KeyClaim,
    answer: { responseStatus: number; responseBody: never },
  ): Promise<void> {
    await manager.update(IdempotencyKey, { scope: claim.scope, key: claim.key }, answer);
  }
}

/**
 * Called once a payout's transaction has committed, before the answer is sent; nothing to do in
 * the app. The seam where the crash-after-commit test stops the process (a build of its own).
 */
@Injectable()
export class AfterPayoutCommit {
  payoutCommitted(_payoutId: string): void {}
}

import type { EntityManager } from 'typeorm';

/**
 * Marks `reconciled` every open batch of these payouts in which no payout is still issued. Run
 * after the settling transaction has committed, never inside it: two payouts of one batch
 * settled at once under two different contract locks would each still see the other issued
 * (write skew) and neither would close the batch; after the commits, the later one sees both.
 * `at` is the app's clock (the test clock, a replayed season), never the database's.
 */
export async function markBatchesReconciled(
  manager: EntityManager,
  payoutIds: readonly string[],
  at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE payment_batch b SET state = 'reconciled', reconciled_at = $2
      WHERE b.state = 'sent'
        AND b.id IN (SELECT batch_id FROM payment_batch_payout WHERE payout_id = ANY($1::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM payment_batch_payout i JOIN payout p ON p.id = i.payout_id
                         WHERE i.batch_id = b.id AND p.state = 'issued')`,
    [payoutIds, at],
  );
}

import type { Statement } from '../../../database/statement';
import { REGISTER_ROW_STATE } from '../../field-work/register-row.entity';
import { NOTICE_STATUS } from '../../notices/notice.entity';
import type { Effect } from '../machine/effects';

// Register rows' and notices' own states, as parameters: words they share with the machine's.
const ROW = REGISTER_ROW_STATE;
const NOTICE = NOTICE_STATUS;

/**
 * The machine's effects of one transition (machine/effects.ts), each as its statement in the
 * transition's one save: nothing here decides, it only writes what the machine said, at the
 * event's time.
 */
export function effectWrites(
  effects: readonly Effect[],
  contractId: string,
  at: Date,
): Statement[] {
  return effects.flatMap((effect) => effectStatements(effect, contractId, at));
}

function effectStatements(effect: Effect, contractId: string, at: Date): Statement[] {
  switch (effect.type) {
    case 'notice.clear':
    case 'notice.supersede':
      return [
        {
          sql: `UPDATE notice SET state = $2, closed_at = $3 WHERE id = $1 AND state = $4`,
          params: [
            effect.noticeId,
            effect.type === 'notice.clear' ? NOTICE.cleared : NOTICE.superseded,
            at,
            NOTICE.running,
          ],
        },
      ];
    case 'notices.terminate':
      // Off the board, no more objections, and their timers will not fire.
      return [
        {
          sql: `UPDATE notice SET state = $3, closed_at = $2 WHERE contract_id = $1 AND state = $4`,
          params: [contractId, at, NOTICE.terminated, NOTICE.running],
        },
        {
          sql: `UPDATE timer SET fired_at = $2, outcome = 'cancelled: contract terminated' WHERE contract_id = $1 AND fired_at IS NULL`,
          params: [contractId, at],
        },
      ];
    case 'registerRows.claim':
      return [
        {
          sql: `UPDATE register_row SET state = $3
                 WHERE contract_id = $1 AND task_code = $2 AND state = $4`,
          params: [contractId, effect.taskCode, ROW.claimed, ROW.working],
        },
      ];
    case 'registerRows.rework':
      return [
        {
          sql: `UPDATE register_row SET state = $3, verified_area = NULL
                 WHERE contract_id = $1 AND task_code = $2 AND state = $4`,
          params: [contractId, effect.taskCode, ROW.working, ROW.claimed],
        },
      ];
    case 'registerRows.unverify':
      return [
        {
          sql: `UPDATE register_row SET verified_area = NULL
                 WHERE contract_id = $1 AND task_code = $2 AND village_code = $3 AND state = $4`,
          params: [contractId, effect.taskCode, effect.villageCode, ROW.claimed],
        },
      ];
    case 'acceptanceRecords.supersede':
      return [
        {
          sql: `UPDATE acceptance_record SET state = 'superseded'
                 WHERE contract_id = $1 AND task_code = $2 AND state IN ('open', 'failed')`,
          params: [contractId, effect.taskCode],
        },
      ];
    case 'payout.confirm':
      return [
        {
          sql: `UPDATE payout SET state = 'confirmed', bank_reference = $2, confirmed_at = $3 WHERE id = $1`,
          params: [effect.payoutId, effect.bankReference, at],
        },
      ];
    case 'payout.fail':
      return [
        {
          sql: `UPDATE payout SET state = 'failed', failure_reason = $2, failed_at = $3 WHERE id = $1`,
          params: [effect.payoutId, effect.failureReason, at],
        },
      ];
  }
}

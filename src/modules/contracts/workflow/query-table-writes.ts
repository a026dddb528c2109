import { type Statement } from '../../../database/statement';

import type { ContractContext, ContractEvent, NoticeState } from '../machine/contract.types';

/**
 * Task lines, village parts and notices as the new context says: what queries and lists read.
 * Only what changed is written.
 */
export function queryTableWrites(
  contractId: string,
  before: ContractContext,
  after: ContractContext,
  event: ContractEvent,
): Statement[] {
  const writes: Statement[] = [];
  for (const line of Object.values(after.taskLines)) {
    const old = before.taskLines[line.taskCode];
    const { state, claimedArea, verifiedArea, acceptedArea, auditedArea, amountFen } = line;
    if (
      !old ||
      old.state !== state ||
      old.claimedArea !== claimedArea ||
      old.verifiedArea !== verifiedArea ||
      old.acceptedArea !== acceptedArea ||
      old.auditedArea !== auditedArea ||
      old.amountFen !== amountFen
    ) {
      writes.push({
        sql: `UPDATE contract_task_line SET state = $3, claimed_area = $4, verified_area = $5,
                accepted_area = $6, audited_area = $7, amount_fen = $8
              WHERE contract_id = $1 AND task_code = $2`,
        params: [
          contractId,
          line.taskCode,
          state,
          claimedArea,
          verifiedArea,
          acceptedArea,
          auditedArea,
          amountFen,
        ],
      });
    }
    for (const villageCode of Object.keys(old?.villageParts ?? {})) {
      if (!Object.hasOwn(line.villageParts, villageCode)) {
        writes.push({
          sql: `DELETE FROM contract_village_part WHERE contract_id = $1 AND task_code = $2 AND village_code = $3`,
          params: [contractId, line.taskCode, villageCode],
        });
      }
    }
    for (const part of Object.values(line.villageParts)) {
      const previous = old?.villageParts[part.villageCode];
      const columns = (p: typeof part) => [
        p.state,
        p.claimedArea,
        p.verifiedArea,
        p.acceptedArea,
        p.notice?.noticeId ?? null,
      ];
      const now = columns(part);
      if (previous && columns(previous).every((value, index) => value === now[index])) continue;
      writes.push({
        sql: `INSERT INTO contract_village_part (contract_id, task_code, village_code, state, claimed_area, verified_area, accepted_area, notice_id)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
              ON CONFLICT (contract_id, task_code, village_code) DO UPDATE SET
                state = EXCLUDED.state, claimed_area = EXCLUDED.claimed_area,
                verified_area = EXCLUDED.verified_area, accepted_area = EXCLUDED.accepted_area,
                notice_id = EXCLUDED.notice_id`,
        params: [contractId, line.taskCode, part.villageCode, ...now],
      });
    }
  }
  const closedAt = new Date(event.at);
  const beforeNotices = noticesOf(before);
  const afterNotices = noticesOf(after);
  const closeNotice = (noticeId: string, state: 'cleared' | 'superseded'): Statement => ({
    sql: `UPDATE notice SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'running'`,
    params: [noticeId, state, closedAt],
  });
  for (const [noticeId, notice] of afterNotices) {
    const earlier = beforeNotices.get(noticeId);
    if (isCleared(notice) && !(earlier && isCleared(earlier))) {
      writes.push(closeNotice(noticeId, 'cleared'));
    }
  }
  for (const [noticeId, notice] of beforeNotices) {
    if (!afterNotices.has(noticeId) && !isCleared(notice)) {
      writes.push(closeNotice(noticeId, 'superseded'));
    }
  }
  if (event.type === 'contract.terminated') {
    // A terminated contract's notices close with it: off the board, no more objections, and
    // their timers will not fire.
    writes.push(
      {
        sql: `UPDATE notice SET state = 'terminated', closed_at = $2 WHERE contract_id = $1 AND state = 'running'`,
        params: [contractId, closedAt],
      },
      {
        sql: `UPDATE timer SET fired_at = $2, outcome = 'cancelled: contract terminated' WHERE contract_id = $1 AND fired_at IS NULL`,
        params: [contractId, closedAt],
      },
    );
  }
  return writes;
}

function isCleared(notice: NoticeState): boolean {
  return notice.elapsed && notice.openObjections === 0;
}

function noticesOf(context: ContractContext): Map<string, NoticeState> {
  const notices = new Map<string, NoticeState>();
  for (const line of Object.values(context.taskLines)) {
    for (const part of Object.values(line.villageParts)) {
      if (part.notice) notices.set(part.notice.noticeId, part.notice);
    }
  }
  if (context.mediaNotice) notices.set(context.mediaNotice.noticeId, context.mediaNotice);
  return notices;
}

import { type Statement } from '../../../database/statement';

import type { ContractContext } from '../machine/contract.types';

/**
 * Task lines and village parts as the new context says: what queries and lists read. They mirror
 * the snapshot (they are not effects: workflow/effect-writes.ts has those); only what changed is
 * written.
 */
export function queryTableWrites(
  contractId: string,
  before: ContractContext,
  after: ContractContext,
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
  return writes;
}

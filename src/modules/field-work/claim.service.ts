import { Injectable } from '@nestjs/common';
import { taskLineClaimable } from '../contracts/machine/queries';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { contractScope } from '../contracts/contract-scope';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { Attachment, CLAIM_ATTACHMENTS } from './attachment.entity';
import { REGISTER_ROW_STATE, RegisterRow } from './register-row.entity';
import { fieldWorkError } from './field-work.errors';
import { msg } from '../../common/i18n/message';

/**
 * The cooperative's claim (服务组织申报) for one task line: the claimed area is the sum of its
 * register rows, one village part per village with rows; the rows are frozen from then on.
 */
@Injectable()
export class ClaimService {
  constructor(private readonly workflow: ContractWorkflowService) {}

  async claim(
    actor: Actor,
    contractId: string,
    taskCode: string,
    expectedVersion?: number,
  ): Promise<void> {
    await this.workflow.execute({
      contractId,
      actor,
      expectedVersion,
      prepare: async ({ manager, contract, current }) => {
        assertInScope(actor, contractScope(contract), 'Contract', contractId);
        const totals = await manager
          .createQueryBuilder(RegisterRow, 'r')
          .select('r.village_code', 'villageCode')
          .addSelect('sum(r.area)::int', 'area')
          .where('r.contract_id = :contractId AND r.task_code = :taskCode AND r.state = :state', {
            contractId,
            taskCode,
            state: REGISTER_ROW_STATE.working,
          })
          .groupBy('r.village_code')
          .orderBy('r.village_code')
          .getRawMany<{ villageCode: string; area: number }>();
        const line = current.context.taskLines[taskCode];
        if (taskLineClaimable(line?.state)) {
          const kinds = new Set(
            (await manager.findBy(Attachment, { contractId })).map((attachment) => attachment.kind),
          );
          const missing = [
            ...(totals.length === 0 ? ['register rows'] : []),
            ...CLAIM_ATTACHMENTS.filter((kind) => !kinds.has(kind)),
          ];
          if (missing.length > 0) {
            throw fieldWorkError(
              'CLAIM_INCOMPLETE',
              msg('claim.incomplete', { taskCode, missing }),
              { missing },
            );
          }
        }
        // Nothing is written here: the claim's effect (registerRows.claim) freezes the rows in
        // the transition's save, only if the machine accepts the claim.
        return {
          type: 'taskLine.claimed' as const,
          taskCode,
          villages: totals.map((total) => ({
            villageCode: total.villageCode,
            claimedArea: Number(total.area),
          })),
        };
      },
    });
  }
}

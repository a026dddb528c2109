import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { validationFailed } from '../../common/errors/domain-error';
import { toHundredths } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { contractScope } from '../contracts/contract-scope';
import type { Contract } from '../contracts/contract.entity';
import { SubsidyPolicy } from '../policies/policy.entity';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { LIVE_CONTRACT_STATES } from '../contracts/machine/queries';
import type { AuditBureau } from '../contracts/machine/contract.types';
import type { NoticeOpenedDto } from '../notices/dto/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { sampleSettings } from './audit-sample.service';
import type { ApproveAuditDto, MediaNoticeDto, RejectAuditDto } from './dto/audit.dto';
import { msg } from '../../common/i18n/message';

/**
 * The district audit (项目审核验收): one approval by the agriculture committee and one by the
 * finance bureau, two different people. The first fixes the audited areas (only ever down), the
 * second confirms them; then the subsidy is final. Then the 7-day media notice (媒体公示).
 */
@Injectable()
export class AuditsService {
  constructor(
    private readonly workflow: ContractWorkflowService,
    private readonly notices: NoticesService,
  ) {}

  async approve(
    actor: Actor,
    contractId: string,
    dto: ApproveAuditDto,
    expectedVersion?: number,
  ): Promise<void> {
    await this.workflow.execute({
      contractId,
      actor,
      expectedVersion,
      prepare: async ({ manager, contract }) => {
        assertInScope(actor, contractScope(contract), 'Contract', contractId);
        const capRemainingFen = await this.capRemaining(manager, contract);
        const { required: sampleRequired } = await sampleSettings(manager, contract);
        // Who may approve, how many and with which areas is the machine's rule (approvalRefusal):
        // the event carries the facts, the machine refuses with the reason.
        const bureau: AuditBureau = actor.role === 'district_finance' ? 'finance' : 'agriculture';
        const taskLines = dto.taskLines?.map((input) => ({
          taskCode: input.taskCode,
          auditedArea: toHundredths(input.auditedAreaMu) as number,
        }));
        return {
          type: 'audit.approved' as const,
          bureau,
          approverId: actor.id,
          ...(taskLines ? { taskLines } : {}),
          ...(dto.note?.trim() ? { note: dto.note.trim() } : {}),
          capRemainingFen,
          sampleRequired,
        };
      },
    });
  }

  /**
   * What is left of the organisation's cap under the contract's pinned policy (null: no cap),
   * for the machine to cut the subsidy to when the audit is confirmed. Under a lock of the
   * (policy, organisation) pair held to the commit, so that two audits of one organisation
   * confirmed at once never both take the same remainder: the second reads the first's subsidy.
   */
  private async capRemaining(manager: EntityManager, contract: Contract): Promise<number | null> {
    if (!contract.policyId) return null;
    const policy = await manager.findOneByOrFail(SubsidyPolicy, { id: contract.policyId });
    if (policy.capPerOrganisationFen === null) return null;
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `policy-cap:${policy.id}:${contract.organisationId}`,
    ]);
    // Subsidies are final from the confirming audit on; a terminated contract is never paid.
    const [{ used }] = await manager.query<{ used: string }[]>(
      `SELECT coalesce(sum(subsidy_fen), 0) AS used FROM contract
        WHERE policy_id = $1 AND organisation_id = $2 AND id <> $3
          AND subsidy_fen IS NOT NULL AND state = ANY($4)`,
      [policy.id, contract.organisationId, contract.id, LIVE_CONTRACT_STATES],
    );
    return policy.capPerOrganisationFen - Number(used);
  }

  async reject(actor: Actor, contractId: string, dto: RejectAuditDto): Promise<void> {
    await this.workflow.execute({
      contractId,
      actor,
      prepare: ({ contract }) => {
        assertInScope(actor, contractScope(contract), 'Contract', contractId);
        return Promise.resolve({ type: 'audit.rejected' as const, note: dto.note.trim() });
      },
    });
  }

  async openMediaNotice(
    actor: Actor,
    contractId: string,
    dto: MediaNoticeDto,
  ): Promise<NoticeOpenedDto> {
    const result = await this.workflow.execute({
      contractId,
      actor,
      prepare: ({ contract, now, write }) => {
        assertInScope(actor, contractScope(contract), 'Contract', contractId);
        // A client date, checked against the season's own dates (api.md), never against today.
        if (contract.signedOn !== null && dto.publishedOn < contract.signedOn) {
          throw validationFailed([
            {
              field: 'publishedOn',
              message: msg('audit.publishedBeforeSigning', { signedOn: contract.signedOn }),
            },
          ]);
        }
        const notice = this.notices.planNotice(contract, {
          kind: 'media',
          at: now,
          title: `项目补助资金公示（${dto.mediaName}，${dto.publishedOn}）`,
          mediaName: dto.mediaName,
          publishedOn: dto.publishedOn,
        });
        notice.writes.forEach(write); // only if the machine accepts the event
        return Promise.resolve({
          type: 'mediaNotice.opened' as const,
          noticeId: notice.id,
          noticeEndsAt: notice.endsAt.toISOString(),
        });
      },
    });
    const event = result.event as { noticeId: string; noticeEndsAt: string };
    // The state the contract has just entered, as the machine says.
    return { state: result.next.value, noticeId: event.noticeId, endsAt: event.noticeEndsAt };
  }
}

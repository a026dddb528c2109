import { Inject, Injectable } from '@nestjs/common';
import { acceptanceOpenRefusal } from '../contracts/machine/queries';
import { queryRefusalError } from '../contracts/workflow/refusal-error';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import type { AcceptanceRole } from '../auth/roles';
import { acceptanceQuorum, type AcceptanceSigner } from '../contracts/machine/refusals';
import { assertInScope } from '../auth/scope-policy';
import { Contract, ContractTaskLine, ContractVillagePart } from '../contracts/contract.entity';
import { contractScope, loadContractInScope } from '../contracts/contract-scope';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { contractError } from '../contracts/contracts.errors';
import { ContractLocks } from '../contracts/workflow/contract-locks';
import { AcceptanceRecord, AcceptanceSignature } from './acceptance-record.entity';
import { acceptanceError } from './acceptance.errors';
import type {
  AcceptanceRecordCreatedDto,
  OpenAcceptanceDto,
  ReworkDto,
  SignAcceptanceDto,
  SignatureResultDto,
} from './dto/acceptance.dto';
import { msg } from '../../common/i18n/message';

/** At least five people (domain.md, step 7), covering the four roles of the group. */

/**
 * Town acceptance (镇验收小组验收) of one task line: a record with the accepted area per village,
 * signed by members of that town's group. It completes at ≥ 5 distinct pass signers covering the
 * four roles, which accepts the task line in the same transaction. Every step locks the contract
 * row, so simultaneous signatures are counted one after the other.
 */
@Injectable()
export class AcceptanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
    private readonly locks: ContractLocks,
  ) {}

  open(
    actor: Actor,
    contractId: string,
    taskCode: string,
    dto: OpenAcceptanceDto,
  ): Promise<AcceptanceRecordCreatedDto> {
    return this.dataSource.transaction(async (manager) => {
      const contract = await this.lockVisible(manager, actor, contractId);
      const current = await manager.findOne(AcceptanceRecord, {
        where: { contractId, taskCode, state: In(['open', 'failed']) },
      });
      if (current) {
        throw acceptanceError(
          'ACCEPTANCE_CLOSED',
          msg('acceptance.reviseInstead', { revision: current.revision, state: current.state }),
        );
      }
      return this.createRecord(manager, actor, contract, taskCode, dto);
    });
  }

  revise(
    actor: Actor,
    recordId: string,
    dto: OpenAcceptanceDto,
  ): Promise<AcceptanceRecordCreatedDto> {
    return this.dataSource.transaction(async (manager) => {
      const record = await this.recordOf(manager, recordId);
      const contract = await this.lockVisible(manager, actor, record.contractId);
      const current = await manager.findOneByOrFail(AcceptanceRecord, { id: recordId });
      if (current.state !== 'open' && current.state !== 'failed') {
        throw acceptanceError(
          'ACCEPTANCE_CLOSED',
          msg('acceptance.recordClosed', { revision: current.revision, state: current.state }),
        );
      }
      await manager.update(AcceptanceRecord, { id: recordId }, { state: 'superseded' });
      return this.createRecord(manager, actor, contract, current.taskCode, dto);
    });
  }

  sign(actor: Actor, recordId: string, dto: SignAcceptanceDto): Promise<SignatureResultDto> {
    return this.dataSource.transaction(async (manager) => {
      const record = await this.recordOf(manager, recordId);
      // Signatures are counted under the contract's row lock, one after the other.
      await this.locks.lockRow(manager, record.contractId);
      const contract = await loadContractInScope(manager, actor, record.contractId);
      const current = await manager.findOneByOrFail(AcceptanceRecord, { id: recordId });
      if (await manager.existsBy(AcceptanceSignature, { recordId, userId: actor.id })) {
        throw acceptanceError(
          'ALREADY_SIGNED',
          msg('acceptance.alreadySigned', { username: actor.username, revision: current.revision }),
        );
      }
      if (current.state !== 'open') {
        throw acceptanceError(
          'ACCEPTANCE_CLOSED',
          msg('acceptance.noMoreSignatures', { revision: current.revision, state: current.state }),
        );
      }
      const now = this.clock.now();
      await manager.insert(AcceptanceSignature, {
        recordId,
        userId: actor.id,
        username: actor.username,
        displayName: actor.displayName,
        acceptanceRole: actor.acceptanceRole as AcceptanceRole,
        decision: dto.decision,
        note: dto.note ?? null,
        signedAt: now,
      });
      const signers: AcceptanceSigner[] = (
        await manager.findBy(AcceptanceSignature, { recordId })
      ).map((signature) => ({
        signerId: signature.userId,
        acceptanceRole: signature.acceptanceRole,
        decision: signature.decision,
      }));
      // The quorum is the machine's rule (refusals.ts); the acceptance.completed event carries
      // the signers and its guard checks them again.
      const quorum = acceptanceQuorum(signers);
      const complete = dto.decision === 'pass' && quorum.met;
      const state = dto.decision === 'fail' ? 'failed' : complete ? 'complete' : 'open';
      if (state !== 'open') await manager.update(AcceptanceRecord, { id: recordId }, { state });
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'acceptance.signed',
        entityType: 'contract',
        entityId: current.contractId,
        data: {
          recordId,
          revision: current.revision,
          taskCode: current.taskCode,
          decision: dto.decision,
          note: dto.note ?? null,
        },
      });
      if (complete) {
        await this.workflow.execute(
          {
            contractId: current.contractId,
            actor,
            prepare: () =>
              Promise.resolve({
                type: 'acceptance.completed' as const,
                taskCode: current.taskCode,
                villages: current.villages,
                signers,
              }),
          },
          manager,
        );
      }
      return {
        passCount: quorum.passCount,
        rolesCovered: quorum.rolesCovered,
        complete,
        recordState: state,
      };
    });
  }

  /** Back to the cooperative: the task line works again, its rows can be corrected and claimed anew. */
  async rework(actor: Actor, contractId: string, taskCode: string, dto: ReworkDto): Promise<void> {
    await this.workflow.execute({
      contractId,
      actor,
      prepare: ({ contract, write }) => {
        this.assertTownMember(actor, contract);
        // The rework's effects (acceptanceRecords.supersede, registerRows.rework) supersede the
        // line's open or failed records and send its claimed rows back to work; they and this
        // audit row are written in the transition's save, only if the machine accepts it.
        write(
          this.auditLog.insert({
            chain: districtChain(contract.districtCode),
            actor,
            action: 'acceptance.rework',
            entityType: 'contract',
            entityId: contractId,
            data: { taskCode, note: dto.note },
          }),
        );
        return Promise.resolve({ type: 'taskLine.reworked' as const, taskCode });
      },
    });
  }

  private async createRecord(
    manager: EntityManager,
    actor: Actor,
    contract: Contract,
    taskCode: string,
    dto: OpenAcceptanceDto,
  ): Promise<AcceptanceRecordCreatedDto> {
    const contractId = contract.id;
    const line = await manager.findOneBy(ContractTaskLine, { contractId, taskCode });
    if (!line) throw notFound('Task line', taskCode);
    const notYet = acceptanceOpenRefusal(taskCode, line.state);
    if (notYet) throw queryRefusalError(notYet, line.state, 'acceptance.opened');
    const parts = await manager.findBy(ContractVillagePart, { contractId, taskCode });
    const villages = dto.villages.map((village, index) => {
      const part = parts.find((candidate) => candidate.villageCode === village.villageCode);
      if (!part) {
        throw acceptanceError(
          'ACCEPTANCE_VILLAGES_INVALID',
          msg('acceptance.villageNotInLine', { villageCode: village.villageCode, taskCode }),
          {
            errors: [
              {
                field: `villages[${index}].villageCode`,
                message: msg('acceptance.villageNotInLineField'),
              },
            ],
          },
        );
      }
      const acceptedArea = toHundredths(village.acceptedAreaMu) as number;
      if (acceptedArea > (part.verifiedArea ?? 0)) {
        throw contractError(
          'AREA_ABOVE_PREVIOUS_STAGE',
          msg('acceptance.acceptedAboveVerified', {
            villageCode: village.villageCode,
            accepted: formatMu(acceptedArea),
            verified: formatMu(part.verifiedArea ?? 0),
          }),
          {
            errors: [
              {
                field: `villages[${index}].acceptedAreaMu`,
                message: msg('area.atMost', { max: formatMu(part.verifiedArea ?? 0) }),
              },
            ],
            villageCode: village.villageCode,
          },
        );
      }
      return { villageCode: village.villageCode, acceptedArea };
    });
    const named = new Set(villages.map((village) => village.villageCode));
    if (named.size !== villages.length || named.size !== parts.length) {
      throw acceptanceError(
        'ACCEPTANCE_VILLAGES_INVALID',
        msg('acceptance.nameEachVillage', { count: parts.length, taskCode }),
        {
          errors: [
            {
              field: 'villages',
              message: msg('acceptance.expectedVillages', {
                villages: parts.map((part) => part.villageCode).join(', '),
              }),
            },
          ],
        },
      );
    }
    const last = await manager.findOne(AcceptanceRecord, {
      where: { contractId, taskCode },
      order: { revision: 'DESC' },
    });
    const record = manager.create(AcceptanceRecord, {
      createdAt: this.clock.now(),
      contractId,
      taskCode,
      revision: (last?.revision ?? 0) + 1,
      state: 'open',
      villages,
      note: dto.note ?? null,
      createdBy: actor.id,
    });
    await manager.save(record);
    await this.auditLog.record(manager, {
      chain: districtChain(contract.districtCode),
      actor,
      action: 'acceptance.opened',
      entityType: 'contract',
      entityId: contractId,
      data: { recordId: record.id, taskCode, revision: record.revision, villages },
    });
    return { id: record.id, revision: record.revision };
  }

  private async recordOf(manager: EntityManager, recordId: string): Promise<AcceptanceRecord> {
    const record = await manager.findOneBy(AcceptanceRecord, { id: recordId });
    if (!record) throw notFound('Acceptance record', recordId);
    return record;
  }

  /** Locks the contract row (signatures are counted one at a time) and checks the caller's town. */
  private async lockVisible(
    manager: EntityManager,
    actor: Actor,
    contractId: string,
  ): Promise<Contract> {
    return loadContractInScope(manager, actor, contractId, { lock: true });
  }

  private assertTownMember(actor: Actor, contract: Contract): void {
    assertInScope(actor, contractScope(contract), 'Contract', contract.id);
  }
}

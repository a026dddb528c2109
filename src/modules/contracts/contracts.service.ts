import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { formatMu, formatYuan } from '../../common/values/decimal-units';
import { subsidyPerMuFen } from '../../common/values/money';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { SubsidyPolicy } from '../policies/policy.entity';
import { toPinnedPolicyDto } from '../policies/policies.service';
import type { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import {
  Contract,
  ContractHistory,
  ContractTaskLine,
  ContractVillage,
  ContractVillagePart,
} from './contract.entity';
import { contractScope, scopeContracts } from './contract-scope';
import { initialContract } from './machine/contract-lifecycle';
import type { ContractDto, HistoryEntryDto, ListContractsQuery } from './dto/contract.dto';

const area = (value: number | null): string | null => (value === null ? null : formatMu(value));

/** Every column but the machine snapshot, which reads never need. */
const READ_COLUMNS = {
  id: true,
  projectId: true,
  tenderId: true,
  lotId: true,
  lotCode: true,
  organisationId: true,
  districtCode: true,
  state: true,
  version: true,
  workDeadline: true,
  awardedOn: true,
  contractNo: true,
  signedOn: true,
  subsidyFen: true,
  policyId: true,
  capCutFen: true,
  machineVersion: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function toContractDto(contract: Contract): ContractDto {
  return {
    id: contract.id,
    state: contract.state,
    version: contract.version,
    projectId: contract.projectId,
    tenderId: contract.tenderId,
    organisationId: contract.organisationId,
    lotCode: contract.lotCode,
    villageCodes: (contract.villages ?? []).map((village) => village.villageCode).sort(),
    workDeadline: contract.workDeadline,
    awardedOn: contract.awardedOn,
    contractNo: contract.contractNo,
    signedOn: contract.signedOn,
    subsidyFen: contract.subsidyFen,
    subsidyYuan: contract.subsidyFen === null ? null : formatYuan(contract.subsidyFen),
    policy: contract.policy ? toPinnedPolicyDto(contract.policy) : null,
    capCutFen: contract.capCutFen,
    taskLines: (contract.taskLines ?? [])
      .sort((a, b) => a.taskCode.localeCompare(b.taskCode))
      .map((line) => ({
        taskCode: line.taskCode,
        taskName: line.taskName,
        state: line.state,
        unitPriceFen: line.unitPriceFen,
        unitPriceYuan: formatYuan(line.unitPriceFen),
        subsidyPerMuFen: line.subsidyPerMuFen,
        assignedAreaMu: formatMu(line.assignedArea),
        claimedAreaMu: area(line.claimedArea),
        verifiedAreaMu: area(line.verifiedArea),
        acceptedAreaMu: area(line.acceptedArea),
        auditedAreaMu: area(line.auditedArea),
        amountFen: line.amountFen,
        villageParts: (contract.villageParts ?? [])
          .filter((part) => part.taskCode === line.taskCode)
          .sort((a, b) => a.villageCode.localeCompare(b.villageCode))
          .map((part) => ({
            villageCode: part.villageCode,
            state: part.state,
            claimedAreaMu: formatMu(part.claimedArea),
            verifiedAreaMu: area(part.verifiedArea),
            acceptedAreaMu: area(part.acceptedArea),
            noticeId: part.noticeId,
            assessment: part.assessment ?? null,
          })),
      })),
  };
}

export interface AwardedContract {
  project: Project;
  tenderId: string;
  lotId: string;
  lotCode: string;
  villageCodes: string[];
  organisationId: string;
  /** Per task of the lot: hundredths of a mu and fen per mu. */
  tasks: { taskCode: string; area: number; unitPriceFen: number }[];
  workDeadline: string;
  awardedOn: string;
  /** The district's policy in force on the project's serviceStart (pinned here), or none. */
  policy: SubsidyPolicy | null;
}

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Creates the contract of an award in state `awarded`, inside the award's transaction. */
  async createFromAward(
    manager: EntityManager,
    actor: Actor,
    award: AwardedContract,
  ): Promise<Contract> {
    const villages = await manager.findBy(Region, { code: In(award.villageCodes) });
    const taskNames = new Map((award.project.tasks ?? []).map((task) => [task.code, task.name]));
    const id = randomUUID();
    const { policy } = award;
    const perMu = (unitPriceFen: number): number =>
      subsidyPerMuFen(
        unitPriceFen,
        policy && { shareBasisPoints: policy.shareBasisPoints, capPerMuFen: policy.capPerMuFen },
      );
    const initial = initialContract({
      contractId: id,
      taskLines: award.tasks.map((task) => ({
        taskCode: task.taskCode,
        unitPriceFen: task.unitPriceFen,
        assignedArea: task.area,
        subsidyPerMuFen: perMu(task.unitPriceFen),
      })),
    });
    const contract = manager.create(Contract, {
      id,
      snapshot: {
        value: initial.value,
        context: initial.context as unknown as Record<string, unknown>,
      },
      machineVersion: initial.machineVersion,
      projectId: award.project.id,
      tenderId: award.tenderId,
      lotId: award.lotId,
      lotCode: award.lotCode,
      organisationId: award.organisationId,
      districtCode: award.project.districtCode,
      state: initial.value,
      version: 1,
      workDeadline: award.workDeadline,
      awardedOn: award.awardedOn,
      contractNo: null,
      signedOn: null,
      subsidyFen: null,
      policyId: policy?.id ?? null,
      capCutFen: null,
      taskLines: award.tasks.map((task) =>
        manager.create(ContractTaskLine, {
          taskCode: task.taskCode,
          taskName: taskNames.get(task.taskCode) ?? task.taskCode,
          unitPriceFen: task.unitPriceFen,
          subsidyPerMuFen: perMu(task.unitPriceFen),
          assignedArea: task.area,
          state: 'pending',
          claimedArea: null,
          verifiedArea: null,
          acceptedArea: null,
          auditedArea: null,
          amountFen: null,
        }),
      ),
      villages: villages.map((village) =>
        manager.create(ContractVillage, {
          villageCode: village.code,
          townCode: village.townCode as string,
        }),
      ),
    });
    const { taskLines, villages: contractVillages, ...row } = contract;
    await manager.insert(Contract, row as QueryDeepPartialEntity<Contract>);
    await manager.insert(
      ContractTaskLine,
      (taskLines ?? []).map(({ contract: _c, ...line }) => ({ ...line, contractId: id })),
    );
    await manager.insert(
      ContractVillage,
      (contractVillages ?? []).map(({ contract: _c, ...village }) => ({
        ...village,
        contractId: id,
      })),
    );
    const payload = {
      lotCode: award.lotCode,
      organisationId: award.organisationId,
      workDeadline: award.workDeadline,
      awardedOn: award.awardedOn,
      tasks: award.tasks,
      ...(policy ? { policyId: policy.id, policyCode: policy.code } : {}),
    };
    await manager.insert(ContractHistory, {
      contractId: contract.id,
      seq: 1,
      at: this.clock.now(),
      actorId: actor.id,
      actorUsername: actor.username,
      event: 'contract.awarded',
      taskCode: null,
      villageCode: null,
      fromState: null,
      toState: 'awarded',
      payload,
    });
    await this.auditLog.record(manager, {
      chain: districtChain(contract.districtCode),
      actor,
      action: 'contract.awarded',
      entityType: 'contract',
      entityId: contract.id,
      data: payload,
    });
    return contract;
  }

  async get(actor: Actor, id: string): Promise<ContractDto> {
    return toContractDto(await this.loadVisible(this.dataSource.manager, actor, id));
  }

  async list(actor: Actor, query: ListContractsQuery): Promise<Page<ContractDto>> {
    const builder = this.dataSource
      .getRepository(Contract)
      .createQueryBuilder('c')
      .select(Object.keys(READ_COLUMNS).map((column) => `c.${column}`))
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    if (query.projectId)
      builder.andWhere('c.project_id = :projectId', { projectId: query.projectId });
    if (query.state) builder.andWhere('c.state = :state', { state: query.state });
    scopeContracts(actor, builder, 'c');
    const [rows, total] = await builder.getManyAndCount();
    await this.attachParts(this.dataSource.manager, rows);
    return { items: rows.map(toContractDto), total };
  }

  async history(actor: Actor, id: string): Promise<HistoryEntryDto[]> {
    await this.loadVisible(this.dataSource.manager, actor, id);
    const rows = await this.dataSource
      .getRepository(ContractHistory)
      .find({ where: { contractId: id }, order: { seq: 'ASC' } });
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at.toISOString(),
      actor: row.actorUsername,
      event: row.event,
      ...(row.taskCode ? { taskCode: row.taskCode } : {}),
      ...(row.villageCode ? { villageCode: row.villageCode } : {}),
      from: row.fromState,
      to: row.toState,
    }));
  }

  /** The contract with its task lines and villages, if the actor may see it; else NOT_FOUND. */
  async loadVisible(manager: EntityManager, actor: Actor, id: string): Promise<Contract> {
    const contract = await manager.findOne(Contract, { where: { id }, select: READ_COLUMNS });
    if (!contract) throw notFound('Contract', id);
    await this.attachParts(manager, [contract]);
    assertInScope(actor, contractScope(contract), 'Contract', id);
    return contract;
  }

  /**
   * Task lines, villages and village parts by plain queries: one join of the three would return
   * villages × parts rows per contract.
   */
  private async attachParts(manager: EntityManager, contracts: Contract[]): Promise<void> {
    if (contracts.length === 0) return;
    const ids = contracts.map((contract) => contract.id);
    const policyIds = [...new Set(contracts.flatMap((contract) => contract.policyId ?? []))];
    const [lines, villages, parts, policies] = [
      await manager.find(ContractTaskLine, { where: { contractId: In(ids) } }),
      await manager.find(ContractVillage, { where: { contractId: In(ids) } }),
      await manager.find(ContractVillagePart, { where: { contractId: In(ids) } }),
      policyIds.length > 0 ? await manager.findBy(SubsidyPolicy, { id: In(policyIds) }) : [],
    ];
    const noticeIds = parts.flatMap((part) => part.noticeId ?? []);
    const assessments =
      noticeIds.length > 0
        ? await manager.query<{ notice_id: string; quality: string; note: string | null }[]>(
            'SELECT notice_id, quality, note FROM village_assessment WHERE notice_id = ANY($1::uuid[])',
            [noticeIds],
          )
        : [];
    for (const part of parts) {
      const found = assessments.find((assessment) => assessment.notice_id === part.noticeId);
      part.assessment = found ? { quality: found.quality, note: found.note } : null;
    }
    for (const contract of contracts) {
      contract.policy = policies.find((policy) => policy.id === contract.policyId) ?? null;
      contract.taskLines = lines.filter((line) => line.contractId === contract.id);
      contract.villages = villages.filter((village) => village.contractId === contract.id);
      contract.villageParts = parts.filter((part) => part.contractId === contract.id);
    }
  }
}

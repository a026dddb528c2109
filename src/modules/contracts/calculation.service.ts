import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { formatYuan } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { PinnedPolicyDto } from '../policies/dto/policy.dto';
import { ContractsService } from './contracts.service';
import type { ContractContext } from './machine/contract.types';
import { Contract } from './contract.entity';
import { CONTRACT_STATES, TASK_LINE_STATES } from './machine/contract.types';

export class SignerDto {
  @ApiProperty() stage!: string;
  @ApiProperty({ type: String, nullable: true }) taskCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) villageCode!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) role!: string | null;
  @ApiProperty({ type: String, nullable: true }) decision!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'What an approver wrote' })
  note?: string | null;
}

export class CalculationVillageDto {
  @ApiProperty() villageCode!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() claimedAreaMu!: string;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) acceptedAreaMu!: string | null;
}

export class CalculationLineDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty({ enum: TASK_LINE_STATES }) state!: string;
  @ApiProperty() unitPriceFen!: number;
  @ApiProperty() unitPriceYuan!: string;
  @ApiProperty({ description: 'What the subsidy pays per mu: the unit price, or its policy share' })
  subsidyPerMuFen!: number;
  @ApiProperty() subsidyPerMuYuan!: string;
  @ApiProperty() assignedAreaMu!: string;
  @ApiProperty({ type: String, nullable: true }) claimedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) acceptedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) auditedAreaMu!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amountFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) amountYuan!: string | null;
  @ApiProperty({
    description:
      'round half up (audited area × subsidy per mu), on the line total; the subsidy per mu is the unit price without a policy',
    type: String,
    nullable: true,
  })
  formula!: string | null;
  @ApiProperty({ type: [CalculationVillageDto] }) villages!: CalculationVillageDto[];
}

export class CalculationDto {
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ enum: CONTRACT_STATES }) state!: string;
  @ApiProperty({ type: [CalculationLineDto] }) taskLines!: CalculationLineDto[];
  @ApiProperty({ type: Number, nullable: true }) subsidyFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) subsidyYuan!: string | null;
  @ApiProperty({ type: PinnedPolicyDto, nullable: true }) policy!: PinnedPolicyDto | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "What the organisation's cap under the policy cut from the lines' total",
  })
  capCutFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) capCutYuan!: string | null;
  @ApiProperty({ type: [SignerDto], description: 'Who signed each stage' }) signers!: SignerDto[];
}

/** How a line's subsidy per mu came about, in words (the policy's share and cap). */
export function perMuBasis(policy: PinnedPolicyDto | null, unitPriceYuan?: string): string {
  if (!policy) return '中标单价';
  const price = unitPriceYuan === undefined ? '中标单价' : `中标单价 ${unitPriceYuan} 元`;
  const cap = policy.capPerMuYuan ? `，每亩不超过 ${policy.capPerMuYuan} 元` : '';
  return `${price} × ${policy.subsidySharePct}%，四舍五入到分${cap}`;
}

/** The calculation sheet (补助资金计算表): every amount explained, stage by stage, with its signers. */
@Injectable()
export class CalculationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
  ) {}

  async sheet(actor: Actor, contractId: string): Promise<CalculationDto> {
    const contract = await this.contracts.get(actor, contractId);
    const rowCounts = await this.dataSource.query<
      { task_code: string; village_code: string; n: number }[]
    >(
      `SELECT task_code, village_code, count(*)::int AS n FROM register_row
        WHERE contract_id = $1 AND state = 'claimed' GROUP BY task_code, village_code`,
      [contractId],
    );
    const verifiers = await this.dataSource.query<
      { task_code: string; village_code: string; actor_username: string; at: Date }[]
    >(
      `SELECT DISTINCT ON (h.task_code, h.village_code) h.task_code, h.village_code,
              coalesce(u.display_name, h.actor_username) AS actor_username, h.at
         FROM contract_history h LEFT JOIN app_user u ON u.id = h.actor_id
        WHERE h.contract_id = $1 AND h.event = 'village.verified' AND h.village_code IS NOT NULL
        ORDER BY h.task_code, h.village_code, h.seq DESC`,
      [contractId],
    );
    const acceptors = await this.dataSource.query<
      {
        task_code: string;
        display_name: string;
        acceptance_role: string;
        decision: string;
        signed_at: Date;
      }[]
    >(
      `SELECT r.task_code, s.display_name, s.acceptance_role, s.decision, s.signed_at
         FROM acceptance_signature s JOIN acceptance_record r ON r.id = s.record_id
        WHERE r.contract_id = $1 AND r.state = 'complete' ORDER BY r.task_code, s.signed_at`,
      [contractId],
    );
    const row = await this.dataSource
      .getRepository(Contract)
      .findOne({ where: { id: contractId }, select: { id: true, snapshot: true } });
    const context = row?.snapshot?.context as unknown as ContractContext | undefined;
    const approverIds = (context?.audit.approvals ?? []).map((approval) => approval.approverId);
    const approvers = approverIds.length
      ? await this.dataSource.query<{ id: string; display_name: string }[]>(
          'SELECT id, display_name FROM app_user WHERE id = ANY($1)',
          [approverIds],
        )
      : [];

    const signers: SignerDto[] = [
      ...verifiers.map((v) => ({
        stage: 'village verification',
        taskCode: v.task_code,
        villageCode: v.village_code,
        name: v.actor_username,
        role: 'village_verifier',
        decision: null,
        at: v.at.toISOString(),
      })),
      ...acceptors.map((a) => ({
        stage: 'town acceptance',
        taskCode: a.task_code,
        villageCode: null,
        name: a.display_name,
        role: a.acceptance_role,
        decision: a.decision,
        at: a.signed_at.toISOString(),
      })),
      ...(context?.audit.approvals ?? []).map((approval) => ({
        stage: 'district audit',
        taskCode: null,
        villageCode: null,
        name:
          approvers.find((approver) => approver.id === approval.approverId)?.display_name ??
          approval.approverId,
        role: approval.bureau,
        decision: 'approved',
        at: approval.at,
        note: approval.note ?? null,
      })),
    ];
    return {
      contractId,
      state: contract.state,
      taskLines: contract.taskLines.map((line) => ({
        taskCode: line.taskCode,
        taskName: line.taskName,
        state: line.state,
        unitPriceFen: line.unitPriceFen,
        unitPriceYuan: line.unitPriceYuan,
        subsidyPerMuFen: line.subsidyPerMuFen,
        subsidyPerMuYuan: formatYuan(line.subsidyPerMuFen),
        assignedAreaMu: line.assignedAreaMu,
        claimedAreaMu: line.claimedAreaMu,
        verifiedAreaMu: line.verifiedAreaMu,
        acceptedAreaMu: line.acceptedAreaMu,
        auditedAreaMu: line.auditedAreaMu,
        amountFen: line.amountFen,
        amountYuan: line.amountFen === null ? null : formatYuan(line.amountFen),
        formula:
          line.amountFen === null || line.auditedAreaMu === null
            ? null
            : contract.policy
              ? `${line.auditedAreaMu} 亩 × ${formatYuan(line.subsidyPerMuFen)} 元/亩（${perMuBasis(contract.policy, line.unitPriceYuan)}）= ${formatYuan(line.amountFen)} 元（四舍五入到分）`
              : `${line.auditedAreaMu} 亩 × ${line.unitPriceYuan} 元/亩 = ${formatYuan(line.amountFen)} 元（四舍五入到分）`,
        villages: line.villageParts.map((part) => ({
          villageCode: part.villageCode,
          rows:
            rowCounts.find(
              (count) =>
                count.task_code === line.taskCode && count.village_code === part.villageCode,
            )?.n ?? 0,
          claimedAreaMu: part.claimedAreaMu,
          verifiedAreaMu: part.verifiedAreaMu,
          acceptedAreaMu: part.acceptedAreaMu,
        })),
      })),
      subsidyFen: contract.subsidyFen,
      subsidyYuan: contract.subsidyYuan,
      policy: contract.policy,
      capCutFen: contract.capCutFen,
      capCutYuan: contract.capCutFen === null ? null : formatYuan(contract.capCutFen),
      signers,
    };
  }
}

import { IsVisibleIdentifier } from '../../../common/values/identifier.validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { IsCalendarDate } from '../../../common/values/decimal.validators';
import { PinnedPolicyDto } from '../../policies/dto/policy.dto';
import { CONTRACT_STATES, TASK_LINE_STATES, VILLAGE_PART_STATES } from '../machine/contract.types';

export class ListContractsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ enum: CONTRACT_STATES, example: 'awarded' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  state?: string;
}

export class VillageAssessmentDto {
  @ApiProperty({ enum: ['good', 'fair', 'poor'] }) quality!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class VillagePartDto {
  @ApiProperty() villageCode!: string;
  @ApiProperty({ enum: VILLAGE_PART_STATES }) state!: string;
  @ApiProperty() claimedAreaMu!: string;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) acceptedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) noticeId!: string | null;
  @ApiProperty({
    type: VillageAssessmentDto,
    nullable: true,
    description: "The village's judgement with its current verification (good, fair, poor)",
  })
  assessment!: VillageAssessmentDto | null;
}

export class TaskLineDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty({ enum: TASK_LINE_STATES }) state!: string;
  @ApiProperty({ example: 6367, description: 'fen per mu' }) unitPriceFen!: number;
  @ApiProperty({ example: '63.67' }) unitPriceYuan!: string;
  @ApiProperty({
    example: 1910,
    description:
      "What the subsidy pays per mu (fen): the unit price, or the pinned policy's share of it up to its cap per mu",
  })
  subsidyPerMuFen!: number;
  @ApiProperty({ example: '8000.00' }) assignedAreaMu!: string;
  @ApiProperty({ type: String, nullable: true }) claimedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) acceptedAreaMu!: string | null;
  @ApiProperty({ type: String, nullable: true }) auditedAreaMu!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amountFen!: number | null;
  @ApiProperty({ type: [VillagePartDto] }) villageParts!: VillagePartDto[];
}

export class ContractDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CONTRACT_STATES, example: 'awarded' }) state!: string;
  @ApiProperty({ description: 'Raised by every accepted event; also the ETag' }) version!: number;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ format: 'uuid' }) tenderId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() lotCode!: string;
  @ApiProperty({ type: [String] }) villageCodes!: string[];
  @ApiProperty() workDeadline!: string;
  @ApiProperty() awardedOn!: string;
  @ApiProperty({ type: String, nullable: true }) contractNo!: string | null;
  @ApiProperty({ type: String, nullable: true }) signedOn!: string | null;
  @ApiProperty({ type: Number, nullable: true }) subsidyFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) subsidyYuan!: string | null;
  @ApiProperty({
    type: PinnedPolicyDto,
    nullable: true,
    description: 'The subsidy policy pinned at the award; null: the awarded price is the subsidy',
  })
  policy!: PinnedPolicyDto | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "What the organisation's cap under the policy cut from the subsidy (fen)",
  })
  capCutFen!: number | null;
  @ApiProperty({ type: [TaskLineDto] }) taskLines!: TaskLineDto[];
}

export class HistoryEntryDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) actor!: string | null;
  @ApiProperty() event!: string;
  @ApiPropertyOptional() taskCode?: string;
  @ApiPropertyOptional() villageCode?: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty() to!: string;
}

export class SignContractDto {
  @ApiProperty({ example: '谯农服合〔2015〕1号' })
  @IsString()
  @Length(1, 60)
  @IsVisibleIdentifier()
  contractNo!: string;

  @ApiProperty({ example: '2015-06-01' })
  @IsCalendarDate()
  signedOn!: string;
}

export class TerminateContractDto {
  @ApiProperty({ example: '服务组织未按约定开展作业' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

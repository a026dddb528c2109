import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_AREA_HUNDREDTHS,
} from '../../../common/values/decimal.validators';

export const VISIT_METHODS = ['household', 'field', 'phone'] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];
export const SATISFACTIONS = ['satisfied', 'neutral', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** A visit of a sampled row (入户了解、实地查看, or a phone call-back). */
export class RecordVisitDto {
  @ApiProperty({ format: 'uuid', description: 'A register row of the sample' })
  @IsUUID()
  rowId!: string;

  @ApiProperty({ example: '2026-10-12', description: 'Not before the contract was signed' })
  @IsCalendarDate()
  visitedOn!: string;

  @ApiProperty({ enum: VISIT_METHODS })
  @IsIn(VISIT_METHODS)
  method!: VisitMethod;

  @ApiProperty({ description: 'The household confirms the service was done as registered' })
  @IsBoolean()
  householdConfirms!: boolean;

  @ApiTwoDecimals({
    example: '3.20',
    description: "mu; at most the row's verified area",
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ max: MAX_AREA_HUNDREDTHS })
  observedAreaMu!: number | string;

  @ApiPropertyOptional({ enum: SATISFACTIONS })
  @IsOptional()
  @IsIn(SATISFACTIONS)
  satisfaction?: Satisfaction;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class CreatedIdDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class VisitPhotoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'e3b0c442…', description: 'SHA-256 of the file' }) sha256!: string;
  @ApiPropertyOptional({ description: 'From the EXIF, when the photo has it' }) takenAt?: string;
  @ApiPropertyOptional({ example: 31.86 }) latitude?: number;
  @ApiPropertyOptional({ example: 117.28 }) longitude?: number;
}

export class PhotoUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'A JPEG or PNG' })
  file!: unknown;
}

export class SampleVisitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() visitedOn!: string;
  @ApiProperty({ enum: VISIT_METHODS }) method!: VisitMethod;
  @ApiProperty() householdConfirms!: boolean;
  @ApiProperty({ example: '3.20' }) observedAreaMu!: string;
  @ApiProperty({ enum: SATISFACTIONS, nullable: true, type: String })
  satisfaction!: Satisfaction | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: [VisitPhotoDto] }) photos!: VisitPhotoDto[];
}

export class SampleRowDto {
  @ApiProperty({ format: 'uuid' }) rowId!: string;
  @ApiProperty({ description: 'Row number of the imported register' }) row!: number;
  @ApiProperty() taskCode!: string;
  @ApiProperty() villageCode!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty({ example: '341602********123X' }) householdIdNo!: string;
  @ApiProperty() plotCode!: string;
  @ApiProperty({ example: '3.50' }) verifiedAreaMu!: string;
  @ApiPropertyOptional({ type: SampleVisitDto, nullable: true }) visit?: SampleVisitDto | null;
}

export class SampleTaskLineDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty({ example: '12.00', description: 'S: verified areas of the sampled rows' })
  sampledAreaMu!: string;
  @ApiProperty({ example: '11.50', description: 'O: what the visits observed (visited rows)' })
  observedAreaMu!: string;
  @ApiProperty({ example: '4.17', description: '(S − O) / S in percent, 2 decimals' })
  shortfallPct!: string;
  @ApiProperty({
    example: '480.00',
    nullable: true,
    type: String,
    description: 'The most the audit may name; null until every sampled row is visited',
  })
  maxAuditedAreaMu!: string | null;
}

export class AuditSampleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'SHA-256 of `<contractId>:<chain hash before the draw>`' })
  seed!: string;
  @ApiProperty() drawnAt!: string;
  @ApiProperty({ example: '5.00' }) ratePct!: string;
  @ApiProperty({ example: 1 }) minPerVillage!: number;
  @ApiProperty({ example: '2.00' }) tolerancePct!: string;
  @ApiProperty({ description: "The district audit chain whose last event's hash made the seed" })
  chain!: string;
  @ApiProperty({ nullable: true, type: Number }) chainSeq!: number | null;
  @ApiProperty() chainHash!: string;
  @ApiProperty({ type: [SampleRowDto] }) rows!: SampleRowDto[];
  @ApiPropertyOptional({ type: [SampleTaskLineDto] }) taskLines?: SampleTaskLineDto[];
}

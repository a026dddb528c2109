import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { IsTwoDecimals, MAX_AREA_HUNDREDTHS } from '../../../common/values/decimal.validators';

export class RowVerificationInput {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  rowId!: string;

  @ApiTwoDecimals({
    example: '3.50',
    description: 'mu; at most the claimed area; 0 = not served',
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ max: MAX_AREA_HUNDREDTHS })
  verifiedAreaMu!: number | string;
}

export const ASSESSMENT_QUALITIES = ['good', 'fair', 'poor'] as const;
export type AssessmentQuality = (typeof ASSESSMENT_QUALITIES)[number];

/** The village's judgement of the work's quality and effect (source report 6.2). */
export class VillageAssessmentInput {
  @ApiProperty({ enum: ASSESSMENT_QUALITIES })
  @IsIn(ASSESSMENT_QUALITIES)
  quality!: AssessmentQuality;

  @ApiPropertyOptional({ example: '收割及时，损失率低，群众满意' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class VerifyVillageDto {
  @ApiPropertyOptional({
    type: [RowVerificationInput],
    description: 'Rows not listed are verified at their claimed area',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @ValidateNested({ each: true })
  @Type(() => RowVerificationInput)
  rows?: RowVerificationInput[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiPropertyOptional({ type: VillageAssessmentInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => VillageAssessmentInput)
  assessment?: VillageAssessmentInput;
}

export class NoticeOpenedDto {
  @ApiProperty({ enum: ['noticeRunning', 'mediaNotice'] }) state!: string;
  @ApiProperty({ format: 'uuid' }) noticeId!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
}

export class CreateObjectionDto {
  @ApiProperty({ example: '王大爷' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: '13800000000' })
  @IsString()
  @Matches(/^[0-9+\- ]{5,30}$/, { message: 'phone must be 5-30 digits, spaces, "+" or "-"' })
  phone!: string;

  @ApiProperty({ example: '我家的地只收了一半' })
  @IsString()
  @Length(1, 2000)
  text!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The register row objected to' })
  @IsOptional()
  @IsUUID()
  registerRowId?: string;
}

export class ResolveObjectionDto {
  @ApiProperty({ enum: ['dismissed', 'upheld'] })
  @IsIn(['dismissed', 'upheld'])
  outcome!: 'dismissed' | 'upheld';

  @ApiProperty({ example: '经核实，面积无误' })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class CreatedIdDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class ObjectionResolvedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['dismissed', 'upheld'] }) state!: string;
  @ApiProperty({
    description: 'The notice after the resolution',
    enum: ['running', 'cleared', 'superseded'],
  })
  noticeState!: string;
}

export class PublicNoticeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['village', 'media'] }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['running', 'cleared', 'superseded'] }) state!: string;
  @ApiProperty({ type: String, nullable: true }) villageCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) taskCode!: string | null;
  @ApiProperty() organisationName!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ description: 'Objections not yet resolved' }) openObjections!: number;
}

export class PublicNoticeRowDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty({ example: '341602********123X' }) householdIdNo!: string;
  @ApiProperty() plotCode!: string;
  @ApiProperty() areaMu!: string;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
}

export class HowToObjectDto {
  @ApiProperty({ example: 'POST /public/notices/{id}/objections' }) request!: string;
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty() until!: string;
}

export class PublicNoticeDetailDto extends PublicNoticeDto {
  @ApiProperty({ type: String, nullable: true }) mediaName!: string | null;
  @ApiProperty({ type: [PublicNoticeRowDto] }) rows!: PublicNoticeRowDto[];
  @ApiProperty({ type: HowToObjectDto }) howToObject!: HowToObjectDto;
}

export class ListObjectionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the objections to this notice' })
  @IsOptional()
  @IsUUID()
  noticeId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only the objections to this contract's notices",
  })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @ApiPropertyOptional({ enum: ['open', 'dismissed', 'upheld'] })
  @IsOptional()
  @IsIn(['open', 'dismissed', 'upheld'])
  state?: 'open' | 'dismissed' | 'upheld';
}

export class ObjectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) noticeId!: string;
  @ApiProperty({ enum: ['village', 'media'] }) noticeKind!: string;
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ type: String, nullable: true }) taskCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) villageCode!: string | null;
  @ApiProperty({ example: '王大爷' }) name!: string;
  @ApiProperty({
    example: '13800000000',
    description: 'In full for those who resolve objections (to call back); masked for others',
  })
  phone!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) registerRowId!: string | null;
  @ApiProperty({ enum: ['open', 'dismissed', 'upheld'] }) state!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolutionNote!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolvedAt!: string | null;
}

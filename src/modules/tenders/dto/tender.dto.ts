import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_AREA_HUNDREDTHS,
} from '../../../common/values/decimal.validators';
import { TASK_CODE } from '../../projects/dto/project.dto';
import { TENDER_METHODS, type TenderMethod, type TenderState } from '../tender.entity';

export class LotTaskInput {
  @ApiProperty({ example: 'wheat_harvest' })
  @IsString()
  @Matches(TASK_CODE, { message: 'taskCode must be 1-20 letters, digits, "_" or "-"' })
  taskCode!: string;

  @ApiTwoDecimals({
    example: '8000.00',
    description: 'mu, at most 2 decimals',
    positive: true,
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ positive: true, max: MAX_AREA_HUNDREDTHS })
  areaMu!: number | string;
}

export class LotInput {
  @ApiProperty({ example: 'L1' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, { message: 'code must be 1-20 letters, digits, "_" or "-"' })
  code!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsString({ each: true })
  villageCodes!: string[];

  @ApiProperty({ type: [LotTaskInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LotTaskInput)
  tasks!: LotTaskInput[];
}

export class CreateTenderDto {
  @ApiProperty({ enum: TENDER_METHODS, description: 'invited (邀标) or open' })
  @IsIn(TENDER_METHODS)
  method!: TenderMethod;

  @ApiProperty({ example: '《亳州晚报》' })
  @IsString()
  @Length(1, 200)
  publishedIn!: string;

  @ApiProperty({ example: '2015-05-25' })
  @IsCalendarDate()
  publishedOn!: string;

  @ApiProperty({ example: '2015-05-30' })
  @IsCalendarDate()
  openingOn!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Required for an invited tender; empty for an open one',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invitedOrganisationIds?: string[];

  @ApiProperty({ type: [LotInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LotInput)
  lots!: LotInput[];
}

export class LotTaskDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty({ example: '8000.00' }) areaMu!: string;
}

export class LotAwardDto {
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ format: 'uuid' }) bidId!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() awardedOn!: string;
}

export class LotDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: [String] }) villageCodes!: string[];
  @ApiProperty({ type: [LotTaskDto] }) tasks!: LotTaskDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bids received; hidden from cooperatives',
  })
  bidCount!: number | null;
  @ApiProperty({ type: LotAwardDto, nullable: true }) award!: LotAwardDto | null;
}

export class TenderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ enum: TENDER_METHODS }) method!: TenderMethod;
  @ApiProperty() publishedIn!: string;
  @ApiProperty() publishedOn!: string;
  @ApiProperty() openingOn!: string;
  @ApiProperty({ enum: ['published', 'opened'] }) state!: TenderState;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) openedAt!: string | null;
  @ApiProperty({ type: [String] }) invitedOrganisationIds!: string[];
  @ApiProperty({ type: [LotDto] }) lots!: LotDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
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
  MAX_SCORE_HUNDREDTHS,
  MAX_UNIT_PRICE_FEN,
} from '../../../common/values/decimal.validators';
import { TASK_CODE } from '../../projects/dto/project.dto';
import type { TenderState } from '../tender.entity';

export class BidPriceInput {
  @ApiProperty({ example: 'wheat_harvest' })
  @IsString()
  @Matches(TASK_CODE, { message: 'taskCode must be 1-20 letters, digits, "_" or "-"' })
  taskCode!: string;

  @ApiTwoDecimals({
    example: '63.67',
    description: 'yuan per mu, positive, at most 2 decimals',
    positive: true,
    max: MAX_UNIT_PRICE_FEN,
  })
  @IsTwoDecimals({ positive: true, max: MAX_UNIT_PRICE_FEN })
  unitPriceYuan!: number | string;
}

export class CreateBidDto {
  @ApiProperty({ example: 'L1' })
  @IsString()
  @Length(1, 20)
  lotCode!: string;

  @ApiProperty({ type: [BidPriceInput], description: 'A price for every task of the lot' })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => BidPriceInput)
  prices!: BidPriceInput[];
}

export class CreatedBidDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "true when this replaced the organisation's earlier bid on the lot" })
  replaced!: boolean;
}

export class ScoreBidDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  bidId!: string;

  @ApiProperty({ example: '专家甲' })
  @IsString()
  @Length(1, 100)
  expert!: string;

  @ApiTwoDecimals({
    example: '92.5',
    description: '0 to 100, at most 2 decimals',
    max: MAX_SCORE_HUNDREDTHS,
  })
  @IsTwoDecimals({ max: MAX_SCORE_HUNDREDTHS })
  score!: number | string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}

export class AwardLotDto {
  @ApiProperty({ example: 'L1' })
  @IsString()
  @Length(1, 20)
  lotCode!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  bidId!: string;

  @ApiProperty({ example: '2015-06-20', description: "Inside the project's service window" })
  @IsCalendarDate()
  workDeadline!: string;

  @ApiPropertyOptional({
    example: '2015-05-31',
    description: 'Default: today (Asia/Shanghai); not before opening',
  })
  @IsOptional()
  @IsCalendarDate()
  awardedOn?: string;
}

export class BidPriceDto {
  @ApiProperty() taskCode!: string;
  @ApiProperty({ example: 6367 }) unitPriceFen!: number;
  @ApiProperty({ example: '63.67' }) unitPriceYuan!: string;
}

export class BidScoreDto {
  @ApiProperty() expert!: string;
  @ApiProperty({ example: '92.50' }) score!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class BidDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() lotCode!: string;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() organisationName!: string;
  @ApiProperty({ type: [BidPriceDto] }) prices!: BidPriceDto[];
  @ApiProperty({ description: 'Σ lot area × unit price, fen' }) totalFen!: number;
  @ApiProperty() totalYuan!: string;
  @ApiProperty({ type: [BidScoreDto] }) scores!: BidScoreDto[];
  @ApiProperty({ type: String, nullable: true, example: '91.25' }) averageScore!: string | null;
  @ApiProperty({ description: 'Rank within the lot: by average score, then total price' })
  rank!: number;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
}

export class OpenedTenderDto {
  @ApiProperty({ enum: ['opened'] }) state!: TenderState;
  @ApiProperty({ type: [BidDto], description: 'Per lot, ranked by score then price' })
  bids!: BidDto[];
}

export class CreatedScoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class AwardResultDto {
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ enum: ['awarded'] }) state!: string;
}

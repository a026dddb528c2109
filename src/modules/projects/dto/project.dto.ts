import { ApiProperty } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_AREA_HUNDREDTHS,
  MAX_BUDGET_FEN,
} from '../../../common/values/decimal.validators';

export const TASK_CODE = /^[A-Za-z0-9_-]{1,20}$/;

export class ProjectTaskInput {
  @ApiProperty({ example: 'wheat_harvest', description: 'Unique within the project' })
  @IsString()
  @Matches(TASK_CODE, { message: 'code must be 1-20 letters, digits, "_" or "-"' })
  code!: string;

  @ApiProperty({ example: '小麦机收' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiTwoDecimals({
    example: '25000.00',
    description: 'mu, number or string, at most 2 decimals',
    positive: true,
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ positive: true, max: MAX_AREA_HUNDREDTHS })
  plannedAreaMu!: number | string;
}

export class CreateProjectDto {
  @ApiProperty({ example: 'QC2014-SH', description: 'Unique within the district' })
  @IsString()
  @Matches(/^[\p{L}\p{N}_.-]{1,40}$/u, {
    message: 'code must be 1-40 letters, digits, "_", "." or "-"',
  })
  code!: string;

  @ApiProperty({ example: '谯城区2014年现代农业项目全程社会化服务' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 2014 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ example: '341602' })
  @IsString()
  districtCode!: string;

  @ApiProperty({ type: [String], example: ['341602104201'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsString({ each: true })
  villageCodes!: string[];

  @ApiProperty({ type: [ProjectTaskInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProjectTaskInput)
  tasks!: ProjectTaskInput[];

  @ApiProperty({ example: '2015-06-01' })
  @IsCalendarDate()
  serviceStart!: string;

  @ApiProperty({ example: '2015-06-30' })
  @IsCalendarDate()
  serviceEnd!: string;

  @ApiTwoDecimals({
    example: '1200000.00',
    description: 'yuan, at most 2 decimals',
    required: false,
    max: MAX_BUDGET_FEN,
  })
  @IsOptional()
  @IsTwoDecimals({ max: MAX_BUDGET_FEN })
  budgetYuan?: number | string;
}

export class ProjectTaskDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '25000.00' }) plannedAreaMu!: string;
}

export class ProjectDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() year!: number;
  @ApiProperty() districtCode!: string;
  @ApiProperty({ type: [String] }) villageCodes!: string[];
  @ApiProperty({ type: [ProjectTaskDto] }) tasks!: ProjectTaskDto[];
  @ApiProperty() serviceStart!: string;
  @ApiProperty() serviceEnd!: string;
  @ApiProperty({ type: Number, nullable: true }) budgetFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) budgetYuan!: string | null;
}

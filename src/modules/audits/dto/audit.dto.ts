import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_AREA_HUNDREDTHS,
} from '../../../common/values/decimal.validators';

export class AuditedTaskLineInput {
  @ApiProperty()
  @IsString()
  @Length(1, 20)
  taskCode!: string;

  @ApiTwoDecimals({
    example: '1234.56',
    description: 'mu; at most the accepted area',
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ max: MAX_AREA_HUNDREDTHS })
  auditedAreaMu!: number | string;
}

export class ApproveAuditDto {
  @ApiPropertyOptional({
    type: [AuditedTaskLineInput],
    description:
      'First approval only: audited areas lower than the accepted ones (default: accepted); each task line once',
  })
  @IsOptional()
  @IsArray()
  // Named twice, the first area used to win silently (issue 22).
  @ArrayUnique((line: unknown) => (line as { taskCode?: unknown } | null)?.taskCode, {
    message: 'taskLines names a task line more than once',
  })
  @ValidateNested({ each: true })
  @Type(() => AuditedTaskLineInput)
  taskLines?: AuditedTaskLineInput[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class RejectAuditDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class MediaNoticeDto {
  @ApiProperty({ example: '《亳州晚报》' })
  @IsString()
  @Length(1, 200)
  mediaName!: string;

  @ApiProperty({ example: '2015-07-20' })
  @IsCalendarDate()
  publishedOn!: string;
}

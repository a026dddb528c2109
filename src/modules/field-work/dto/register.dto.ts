import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_AREA_HUNDREDTHS,
} from '../../../common/values/decimal.validators';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../attachment.entity';

export class RegisterRejectionDto {
  @ApiProperty({ description: 'Row number as a spreadsheet shows it: the header is 1' })
  row!: number;
  @ApiProperty({
    enum: [
      'INVALID_ID_NUMBER',
      'UNKNOWN_VILLAGE',
      'UNKNOWN_TASK',
      'AREA_INVALID',
      'AFTER_DEADLINE',
      'MISSING_SIGNATURE',
      'DUPLICATE_PLOT_TASK',
      'OVER_ASSIGNED_AREA',
      'FIELD_INVALID',
      'TASK_LINE_CLOSED',
    ],
  })
  code!: string;
  @ApiProperty() message!: string;
}

export class RegisterImportResultDto {
  @ApiProperty({ description: 'Rows stored' }) accepted!: number;
  @ApiProperty({ type: [RegisterRejectionDto] }) rejected!: RegisterRejectionDto[];
  @ApiProperty({ enum: ['csv-utf8', 'csv-gb18030', 'xlsx'] }) format!: string;
}

export class RegisterUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV (UTF-8 or GB18030) or XLSX' })
  file!: unknown;
}

export class ListRegisterQuery extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 20)
  taskCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 20)
  villageCode?: string;

  @ApiPropertyOptional({ enum: ['working', 'claimed', 'withdrawn'] })
  @IsOptional()
  @IsIn(['working', 'claimed', 'withdrawn'])
  state?: string;
}

export class RegisterRowDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() row!: number;
  @ApiProperty() villageCode!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty({ example: '341602********123X', description: 'Masked: first 6 and last 4 shown' })
  householdIdNo!: string;
  @ApiProperty() plotCode!: string;
  @ApiProperty() taskCode!: string;
  @ApiProperty({ example: '3.50' }) areaMu!: string;
  @ApiProperty({ type: String, nullable: true }) verifiedAreaMu!: string | null;
  @ApiProperty() workDate!: string;
  @ApiProperty() machineNo!: string;
  @ApiProperty() operatorName!: string;
  @ApiProperty({ enum: ['working', 'claimed', 'withdrawn'] }) state!: string;
}

export class AttachmentUploadDto {
  @ApiProperty({ enum: ATTACHMENT_KINDS })
  @IsIn(ATTACHMENT_KINDS)
  kind!: AttachmentKind;

  @ApiProperty({ type: 'string', format: 'binary' })
  @IsOptional()
  file?: unknown;
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS }) kind!: AttachmentKind;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A correction of a row not yet claimed: only the cells given change; the row checks run again. */
export class CorrectRegisterRowDto {
  @ApiPropertyOptional({ description: 'Code or name of a village of the lot' })
  @IsOptional()
  @IsString()
  villageCode?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() householdName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() householdIdNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() plotCode?: string;

  @ApiTwoDecimals({ example: '3.50', required: false, positive: true, max: MAX_AREA_HUNDREDTHS })
  @IsOptional()
  @IsTwoDecimals({ positive: true, max: MAX_AREA_HUNDREDTHS })
  areaMu?: number | string;

  @ApiPropertyOptional({ example: '2015-06-10' })
  @IsOptional()
  @IsCalendarDate()
  workDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() machineNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() operatorName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() townCadreSigned?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() villageCadreSigned?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() operatorSigned?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() farmerSigned?: string;
}

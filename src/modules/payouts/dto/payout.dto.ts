import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';

export class IssuePayoutDto {
  @ApiPropertyOptional({ description: 'Free text for the payment order' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class ConfirmPayoutDto {
  @ApiProperty({ example: 'NX2015072800123' })
  @IsString()
  @Length(1, 100)
  bankReference!: string;
}

export class FailPayoutDto {
  @ApiProperty({ example: '账户名称与户名不符' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class ExportPayoutsQuery {
  @ApiPropertyOptional({ enum: ['issued', 'confirmed', 'failed'], default: 'issued' })
  @IsOptional()
  @IsIn(['issued', 'confirmed', 'failed'])
  state?: 'issued' | 'confirmed' | 'failed';

  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export class ListPayoutsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['issued', 'confirmed', 'failed'] })
  @IsOptional()
  @IsIn(['issued', 'confirmed', 'failed'])
  state?: 'issued' | 'confirmed' | 'failed';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  contractId?: string;
}

export class PayeeDto {
  @ApiProperty() name!: string;
  @ApiProperty() bankName!: string;
  @ApiProperty() bankAccountName!: string;
  @ApiProperty() bankAccountNo!: string;
}

export class PayoutDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: '拨付单号, the key the bank echoes', example: 'BF341602-00000001' })
  payoutNo!: string;
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ example: '10903.69' }) amountYuan!: string;
  @ApiProperty({ enum: ['issued', 'confirmed', 'failed'] }) state!: string;
  @ApiProperty({ type: PayeeDto }) payee!: PayeeDto;
  @ApiProperty({ type: String, nullable: true }) bankReference!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

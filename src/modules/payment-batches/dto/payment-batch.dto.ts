import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';

export const MAX_BATCH_PAYOUTS = 10_000;

export class CreatePaymentBatchDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'The issued payouts to send; without it every issued payout of the district in no batch',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BATCH_PAYOUTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  payoutIds?: string[];
}

export class ListPaymentBatchesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['sent', 'reconciled'] })
  @IsOptional()
  @IsIn(['sent', 'reconciled'])
  state?: 'sent' | 'reconciled';
}

export class BatchFileQuery {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export class PaymentBatchCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PB341602-000001' }) batchNo!: string;
  @ApiProperty({ enum: ['sent', 'reconciled'] }) state!: 'sent' | 'reconciled';
  @ApiProperty() count!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty({ example: '121274.11' }) totalYuan!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) payoutIds!: string[];
}

export class StateFiguresDto {
  @ApiProperty() count!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ example: '0.00' }) amountYuan!: string;
}

export class BatchStatesDto {
  @ApiProperty({ type: StateFiguresDto }) issued!: StateFiguresDto;
  @ApiProperty({ type: StateFiguresDto }) confirmed!: StateFiguresDto;
  @ApiProperty({ type: StateFiguresDto }) failed!: StateFiguresDto;
}

export class PaymentBatchDto extends PaymentBatchCreatedDto {
  @ApiProperty({ type: BatchStatesDto, description: 'Count and amount of its payouts per state' })
  byState!: BatchStatesDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reconciledAt!: string | null;
}

export class ResultUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: "The bank's result file" })
  file!: unknown;
}

export const ROW_CODES = [
  'UNKNOWN_PAYOUT',
  'ACCOUNT_MISMATCH',
  'AMOUNT_MISMATCH',
  'DUPLICATE_ROW',
  'ALREADY_RECORDED',
  'INVALID_ROW',
] as const;
export type RowCode = (typeof ROW_CODES)[number];

export class RejectedRowDto {
  @ApiProperty({ description: 'Spreadsheet row number (the header is row 1)' }) row!: number;
  @ApiProperty({ enum: ROW_CODES }) code!: RowCode;
  @ApiProperty() message!: string;
}

export class BatchResultDto {
  @ApiProperty({ description: 'Payouts this file confirms (contract paid)' }) confirmed!: number;
  @ApiProperty({ description: 'Payouts this file fails (contract payable again)' })
  failed!: number;
  @ApiProperty({ type: [RejectedRowDto] }) rejected!: RejectedRowDto[];
}

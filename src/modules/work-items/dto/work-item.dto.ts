import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { WORK_ITEM_KINDS, type WorkItemKind } from '../work-item-kinds';

export class WorkItemQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WORK_ITEM_KINDS })
  @IsOptional()
  @IsIn(WORK_ITEM_KINDS)
  kind?: WorkItemKind;
}

/** One thing that waits on the caller (待办). */
export class WorkItemDto {
  @ApiProperty({ enum: WORK_ITEM_KINDS })
  kind!: WorkItemKind;

  @ApiProperty({ format: 'uuid', nullable: true, description: 'null for a payment batch' })
  contractId!: string | null;

  @ApiProperty({ nullable: true, description: 'null until the contract is signed' })
  contractNo!: string | null;

  @ApiProperty({ nullable: true })
  organisationName!: string | null;

  @ApiPropertyOptional()
  taskCode?: string;

  @ApiPropertyOptional()
  villageCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the acceptance record to sign' })
  recordId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  objectionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  payoutId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the payment batch waiting for its result' })
  batchId?: string;

  @ApiProperty({ format: 'date-time', description: 'when it began to wait' })
  since!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'an objection: when its notice ends' })
  dueAt?: string;
}

export class WorkItemPageDto {
  @ApiProperty({ type: [WorkItemDto] })
  items!: WorkItemDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'every kind that waits on the caller’s role, with how many wait (0 included)',
    example: { verify: 2, objection: 0 },
  })
  countsByKind!: Partial<Record<WorkItemKind, number>>;
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { AuditLogService } from './audit-log.service';

class ChainReportDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Events checked' }) events!: number;
  @ApiPropertyOptional({ description: 'seq of the first event that does not fit the chain' })
  firstBrokenAt?: number;
}

@ApiTags('audit log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get('verify')
  @Roles('admin', 'observer')
  @ApiOkResponse({ type: ChainReportDto })
  verify(): Promise<ChainReportDto> {
    return this.auditLog.verify();
  }
}

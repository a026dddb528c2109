import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { AuditLogService } from './audit-log.service';
import {
  ChainReportDto,
  HeadsReportDto,
  HeadsSnapshotDto,
  VerifyHeadsDto,
  VerifyQuery,
} from './dto/audit-chain.dto';

const OUT_OF_SCOPE =
  'A chain outside your district (an observer sees its own and admin) (NOT_FOUND)';

@ApiTags('audit log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get('verify')
  @Roles('admin', 'observer')
  @ApiOperation({ summary: 'Walk every chain (or one) and name the first event that does not fit' })
  @ApiOkResponse({ type: ChainReportDto })
  @ApiBadRequestResponse({
    description: 'chain is not admin or a district code (VALIDATION_FAILED)',
  })
  @ApiNotFoundResponse({ description: OUT_OF_SCOPE })
  verify(@CurrentActor() actor: Actor, @Query() query: VerifyQuery): Promise<ChainReportDto> {
    return this.auditLog.verify(actor, query.chain);
  }

  @Get('heads')
  @Roles('admin', 'observer')
  @ApiOperation({ summary: 'The head of every chain, a snapshot to keep outside the database' })
  @ApiOkResponse({ type: HeadsSnapshotDto })
  heads(@CurrentActor() actor: Actor): Promise<HeadsSnapshotDto> {
    return this.auditLog.heads(actor);
  }

  @Post('verify-heads')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'observer')
  @ApiOperation({
    summary: 'Check a kept heads snapshot: finds chains cut shorter than it, or re-linked over it',
  })
  @ApiOkResponse({ type: HeadsReportDto })
  @ApiBadRequestResponse({ description: 'A malformed snapshot (VALIDATION_FAILED)' })
  @ApiNotFoundResponse({ description: OUT_OF_SCOPE })
  verifyHeads(@CurrentActor() actor: Actor, @Body() dto: VerifyHeadsDto): Promise<HeadsReportDto> {
    return this.auditLog.verifyHeads(actor, dto.heads);
  }
}

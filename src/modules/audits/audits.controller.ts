import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { IfMatch } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ContractDto } from '../contracts/dto/contract.dto';
import { ContractsService } from '../contracts/contracts.service';
import { NoticeOpenedDto } from '../notices/dto/notice.dto';
import { AuditsService } from './audits.service';
import { ApproveAuditDto, MediaNoticeDto, RejectAuditDto } from './dto/audit.dto';
import { ApiRefusals } from '../../common/http/api-refusals';

const contractId = uuidParam('Contract');

@ApiTags('district audit, media notice, payout')
@Controller('contracts/:id')
export class AuditsController {
  constructor(
    private readonly audits: AuditsService,
    private readonly contracts: ContractsService,
  ) {}

  @ApiOperation({ summary: 'Approve the district audit (agriculture or finance bureau)' })
  @Post('audit/approvals')
  @ApiRefusals('APPROVAL_EXISTS', 'INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('district_agri', 'district_finance')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: ContractDto,
    description: 'After both bureaus: audited, subsidyFen final',
  })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Body() dto: ApproveAuditDto,
    @IfMatch() version: number | undefined,
  ): Promise<ContractDto> {
    await this.audits.approve(actor, id, dto, version);
    return this.contracts.get(actor, id);
  }

  @ApiOperation({ summary: 'Reject the district audit (approvals reset)' })
  @Post('audit/reject')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('district_agri', 'district_finance')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ContractDto, description: 'Approvals reset' })
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Body() dto: RejectAuditDto,
  ): Promise<ContractDto> {
    await this.audits.reject(actor, id, dto);
    return this.contracts.get(actor, id);
  }

  @ApiOperation({ summary: 'Publish the media notice (媒体公示)' })
  @Post('media-notice')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('district_agri')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: NoticeOpenedDto })
  @ApiBadRequestResponse({
    description: 'publishedOn before the contract was signed (VALIDATION_FAILED)',
  })
  mediaNotice(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Body() dto: MediaNoticeDto,
  ): Promise<NoticeOpenedDto> {
    return this.audits.openMediaNotice(actor, id, dto);
  }
}

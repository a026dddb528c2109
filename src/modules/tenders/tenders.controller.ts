import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { PageQueryDto } from '../../common/http/page.dto';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { AwardsService } from './awards.service';
import { BidsService } from './bids.service';
import {
  AwardLotDto,
  AwardResultDto,
  BidDto,
  CreateBidDto,
  CreatedBidDto,
  CreatedScoreDto,
  OpenedTenderDto,
  ScoreBidDto,
} from './dto/bid.dto';
import { CreateTenderDto, TenderDto } from './dto/tender.dto';
import { TendersService } from './tenders.service';
import { ApiRefusals } from '../../common/http/api-refusals';
import { NoFields } from '../../common/http/no-fields.pipe';

const tenderId = uuidParam('Tender');

@ApiTags('projects and tenders')
@Controller()
export class TendersController {
  constructor(
    private readonly tenders: TendersService,
    private readonly bids: BidsService,
    private readonly awards: AwardsService,
  ) {}

  @ApiOperation({ summary: 'Publish a tender with its lots' })
  @Post('projects/:id/tenders')
  @Roles('district_agri')
  @ApiCreatedResponse({ type: TenderDto })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Project')) projectId: string,
    @Body() dto: CreateTenderDto,
  ): Promise<TenderDto> {
    return this.tenders.create(actor, projectId, dto);
  }

  @ApiOperation({ summary: "A project's tenders" })
  @Get('projects/:id/tenders')
  @AnyRole()
  @ApiPage(TenderDto)
  listForProject(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Project')) projectId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TenderDto>> {
    return this.tenders.listForProject(actor, projectId, query);
  }

  @ApiOperation({ summary: 'One tender with its lots and awards' })
  @Get('tenders/:id')
  @AnyRole()
  @ApiOkResponse({ type: TenderDto })
  get(@CurrentActor() actor: Actor, @Param('id', tenderId) id: string): Promise<TenderDto> {
    return this.tenders.get(actor, id);
  }

  @ApiOperation({ summary: 'Submit a bid for a lot (cooperative)' })
  @Post('tenders/:id/bids')
  @ApiRefusals('BID_AFTER_OPENING', 'PROVIDER_NOT_ELIGIBLE')
  @Roles('cooperative')
  @ApiCreatedResponse({ type: CreatedBidDto })
  bid(
    @CurrentActor() actor: Actor,
    @Param('id', tenderId) id: string,
    @Body() dto: CreateBidDto,
  ): Promise<CreatedBidDto> {
    return this.bids.submit(actor, id, dto);
  }

  @ApiOperation({ summary: "A tender's bids (sealed until opening)" })
  @Get('tenders/:id/bids')
  @Roles('cooperative', 'district_agri', 'district_finance', 'observer', 'admin')
  @ApiPage(BidDto)
  @ApiConflictResponse({
    description: 'Officials before the opening (BIDS_SEALED); a cooperative sees only its own bids',
  })
  listBids(@CurrentActor() actor: Actor, @Param('id', tenderId) id: string): Promise<Page<BidDto>> {
    return this.bids.list(actor, id);
  }

  @ApiOperation({ summary: 'Open a tender: its bids become visible' })
  @Post('tenders/:id/open')
  @ApiRefusals('TENDER_ALREADY_OPENED', 'TENDER_NOT_DUE')
  @Roles('district_agri')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: OpenedTenderDto })
  async open(
    @CurrentActor() actor: Actor,
    @Param('id', tenderId) id: string,
    @Body(NoFields) _body: unknown,
  ): Promise<OpenedTenderDto> {
    return {
      state: 'opened',
      bids: (await this.bids.list(actor, (await this.tenders.open(actor, id)).id)).items,
    };
  }

  @ApiOperation({ summary: 'Score a bid (open tender)' })
  @Post('tenders/:id/scores')
  @ApiRefusals('TENDER_NOT_OPENED', 'SCORE_EXISTS')
  @Roles('district_agri')
  @ApiCreatedResponse({ type: CreatedScoreDto })
  score(
    @CurrentActor() actor: Actor,
    @Param('id', tenderId) id: string,
    @Body() dto: ScoreBidDto,
  ): Promise<CreatedScoreDto> {
    return this.bids.score(actor, id, dto);
  }

  @ApiOperation({ summary: 'Award a lot to a bid: creates its contract' })
  @Post('tenders/:id/awards')
  @ApiRefusals('TENDER_NOT_OPENED', 'LOT_ALREADY_AWARDED', 'PROVIDER_NOT_ELIGIBLE')
  @Roles('district_agri')
  @ApiCreatedResponse({ type: AwardResultDto })
  @ApiBadRequestResponse({
    description:
      'awardedOn before the opening or after the work deadline (AWARD_DATE_INVALID); workDeadline outside the service window',
  })
  award(
    @CurrentActor() actor: Actor,
    @Param('id', tenderId) id: string,
    @Body() dto: AwardLotDto,
  ): Promise<AwardResultDto> {
    return this.awards.award(actor, id, dto);
  }
}

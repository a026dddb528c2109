import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { IfMatch } from '../../common/http/if-match';
import { PageQueryDto } from '../../common/http/page.dto';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, Public, Roles, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import {
  CreateObjectionDto,
  CreatedIdDto,
  ListObjectionsQuery,
  NoticeOpenedDto,
  ObjectionDto,
  ObjectionResolvedDto,
  PublicNoticeDetailDto,
  PublicNoticeDto,
  ResolveObjectionDto,
  VerifyVillageDto,
} from './dto/notice.dto';
import { NoticesService } from './notices.service';
import { ObjectionsService } from './objections.service';
import { ObjectionThrottlerGuard } from './objection-throttler.guard';
import { VerificationService } from './verification.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('verification, notices and objections')
@Controller()
export class NoticesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly objections: ObjectionsService,
    private readonly verification: VerificationService,
  ) {}

  @ApiOperation({ summary: 'Verify a village part: starts its village notice (公示)' })
  @Post('contracts/:id/task-lines/:taskCode/villages/:villageCode/verification')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('village_verifier')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: NoticeOpenedDto })
  verify(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Param('taskCode') taskCode: string,
    @Param('villageCode') villageCode: string,
    @Body() dto: VerifyVillageDto,
    @IfMatch() version: number | undefined,
  ): Promise<NoticeOpenedDto> {
    return this.verification.verify(actor, id, taskCode, villageCode, dto, version);
  }

  @ApiOperation({ summary: 'Open notices (public)' })
  @Get('public/notices')
  @Public()
  @ApiPage(PublicNoticeDto)
  list(@Query() query: PageQueryDto): Promise<Page<PublicNoticeDto>> {
    return this.notices.listPublic(query);
  }

  @ApiOperation({ summary: 'One notice with its rows and how to object (public)' })
  @Get('public/notices/:id')
  @Public()
  @ApiOkResponse({ type: PublicNoticeDetailDto })
  get(@Param('id', uuidParam('Notice')) id: string): Promise<PublicNoticeDetailDto> {
    return this.notices.getPublic(id);
  }

  @ApiOperation({ summary: 'Object to a notice (public)' })
  @Post('public/notices/:id/objections')
  @Public()
  @UseGuards(ObjectionThrottlerGuard)
  @ApiCreatedResponse({ type: CreatedIdDto })
  @ApiConflictResponse({
    description: 'The notice has cleared, was withdrawn or its contract terminated (NOTICE_CLOSED)',
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many objections from this client or to this notice (TOO_MANY_REQUESTS)',
  })
  object(
    @Param('id', uuidParam('Notice')) id: string,
    @Body() dto: CreateObjectionDto,
  ): Promise<CreatedIdDto> {
    return this.objections.fileObjection(id, dto);
  }

  @ApiOperation({ summary: 'List the objections the caller may read or resolve' })
  @Get('objections')
  @Roles('village_verifier', 'district_agri', 'observer', 'admin')
  @ApiPage(ObjectionDto)
  listObjections(
    @CurrentActor() actor: Actor,
    @Query() query: ListObjectionsQuery,
  ): Promise<Page<ObjectionDto>> {
    return this.objections.listObjections(actor, query);
  }

  @ApiOperation({ summary: 'Resolve an objection: dismissed or upheld' })
  @Post('objections/:id/resolve')
  @ApiRefusals('OBJECTION_ALREADY_RESOLVED', 'INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('village_verifier', 'district_agri')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ObjectionResolvedDto })
  resolve(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Objection')) id: string,
    @Body() dto: ResolveObjectionDto,
  ): Promise<ObjectionResolvedDto> {
    return this.objections.resolveObjection(actor, id, dto);
  }
}

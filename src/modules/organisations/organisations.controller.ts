import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { PageQueryDto } from '../../common/http/page.dto';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import {
  BlacklistEntryDto,
  CreateBlacklistEntryDto,
  CreateListingDto,
  ListingDto,
} from './dto/directory.dto';
import {
  CreateOrganisationDto,
  OrganisationDetailDto,
  OrganisationDto,
} from './dto/organisation.dto';
import { DirectoryService } from './directory.service';
import { OrganisationsService } from './organisations.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('administration')
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly directory: DirectoryService,
  ) {}

  @ApiOperation({ summary: 'Register a service organisation (cooperative)' })
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: OrganisationDto })
  @ApiRefusals('CREDIT_CODE_TAKEN')
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.create(actor, dto);
  }

  @ApiOperation({ summary: 'List organisations' })
  @Get()
  @AnyRole()
  @ApiPage(OrganisationDto)
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<OrganisationDto>> {
    return this.organisations.list(actor, query);
  }

  @ApiOperation({
    summary: 'One organisation, with its listings, blacklist entries and eligibility today',
  })
  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: OrganisationDetailDto })
  @ApiNotFoundResponse({ description: 'No such organisation in your scope (NOT_FOUND)' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Organisation')) id: string,
  ): Promise<OrganisationDetailDto> {
    const organisation = await this.organisations.get(actor, id);
    return { ...organisation, ...(await this.directory.standing(undefined, id)) };
  }

  @ApiOperation({ summary: 'List an organisation in the directory (名录)' })
  @Post(':id/listings')
  @Roles('district_agri', 'admin')
  @ApiCreatedResponse({ type: ListingDto, description: 'Listed in the directory (名录库)' })
  @ApiNotFoundResponse({ description: 'No such organisation (NOT_FOUND)' })
  addListing(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Organisation')) id: string,
    @Body() dto: CreateListingDto,
  ): Promise<ListingDto> {
    return this.directory.addListing(actor, id, dto);
  }

  @ApiOperation({ summary: 'Blacklist an organisation' })
  @Post(':id/blacklist')
  @Roles('district_agri', 'admin')
  @ApiCreatedResponse({ type: BlacklistEntryDto, description: 'Blacklisted (黑名单)' })
  @ApiNotFoundResponse({ description: 'No such organisation (NOT_FOUND)' })
  addBlacklistEntry(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Organisation')) id: string,
    @Body() dto: CreateBlacklistEntryDto,
  ): Promise<BlacklistEntryDto> {
    return this.directory.addBlacklistEntry(actor, id, dto);
  }
}

import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { PageQueryDto } from '../../common/http/page.dto';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { CreateOrganisationDto, OrganisationDto } from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('administration')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

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

  @Get()
  @AnyRole()
  @ApiPage(OrganisationDto)
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<OrganisationDto>> {
    return this.organisations.list(actor, query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: OrganisationDto })
  @ApiNotFoundResponse({ description: 'No such organisation in your scope (NOT_FOUND)' })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Organisation')) id: string,
  ): Promise<OrganisationDto> {
    return this.organisations.get(actor, id);
  }
}

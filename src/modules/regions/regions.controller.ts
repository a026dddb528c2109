import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ApiPage, type Page } from '../../common/http/api-page';
import { CreateRegionDto, RegionDto } from './dto/create-region.dto';
import { ListRegionsQuery } from './dto/list-regions.query';
import { RegionsService } from './regions.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('administration')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @ApiOperation({ summary: 'Create a district, town or village' })
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: RegionDto })
  @ApiRefusals('REGION_CODE_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRegionDto): Promise<RegionDto> {
    return this.regions.create(actor, dto);
  }

  @ApiOperation({ summary: 'List regions' })
  @Get()
  @AnyRole()
  @ApiPage(RegionDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListRegionsQuery): Promise<Page<RegionDto>> {
    return this.regions.list(actor, query);
  }

  @ApiOperation({ summary: 'One region by its code' })
  @Get(':code')
  @AnyRole()
  @ApiOkResponse({ type: RegionDto })
  @ApiNotFoundResponse({ description: 'No such region in your scope (NOT_FOUND)' })
  get(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<RegionDto> {
    return this.regions.get(actor, code);
  }
}

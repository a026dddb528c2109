import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
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
import { CreateProjectDto, ProjectDto } from './dto/project.dto';
import { ProjectSummaryDto, ProjectSummaryService } from './project-summary.service';
import { ProjectsService } from './projects.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('projects and tenders')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly summaries: ProjectSummaryService,
  ) {}

  @ApiOperation({
    summary: "A project's areas, amounts and contracts per state, per task and per village",
  })
  @Get(':id/summary')
  // A district's figures: every village's areas and money, for the district's own bureaus.
  @Roles('district_agri', 'district_finance', 'observer', 'admin')
  @ApiOkResponse({
    type: ProjectSummaryDto,
    description:
      'Per task and village: areas at each stage; committed and paid amounts; contracts per state',
  })
  @ApiForbiddenResponse({ description: 'Not a district role (FORBIDDEN)' })
  @ApiNotFoundResponse({ description: 'No such project in the district (NOT_FOUND)' })
  summary(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Project')) id: string,
  ): Promise<ProjectSummaryDto> {
    return this.summaries.summary(actor, id);
  }

  @ApiOperation({ summary: 'Create a project (方案) with its villages, tasks and service window' })
  @Post()
  @Roles('district_agri')
  @ApiCreatedResponse({ type: ProjectDto })
  @ApiNotFoundResponse({ description: 'No such district in the caller’s scope (NOT_FOUND)' })
  @ApiRefusals('PROJECT_CODE_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto): Promise<ProjectDto> {
    return this.projects.create(actor, dto);
  }

  @ApiOperation({ summary: 'List projects' })
  @Get()
  @AnyRole()
  @ApiPage(ProjectDto)
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<ProjectDto>> {
    return this.projects.list(actor, query);
  }

  @ApiOperation({ summary: 'One project' })
  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: ProjectDto })
  @ApiNotFoundResponse({ description: 'No such project in your scope (NOT_FOUND)' })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Project')) id: string,
  ): Promise<ProjectDto> {
    return this.projects.get(actor, id);
  }
}

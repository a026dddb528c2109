import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiRefusals } from '../../common/http/api-refusals';
import { ApiPage, type Page } from '../../common/http/api-page';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { CreatePolicyDto, ListPoliciesQuery, PolicyDto } from './dto/policy.dto';
import { PoliciesService } from './policies.service';

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @ApiOperation({ summary: "Create a district's subsidy policy" })
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiRefusals('POLICY_OVERLAP', 'POLICY_CODE_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePolicyDto): Promise<PolicyDto> {
    return this.policies.create(actor, dto);
  }

  @ApiOperation({ summary: 'List subsidy policies' })
  @Get()
  @AnyRole()
  @ApiPage(PolicyDto)
  list(@Query() query: ListPoliciesQuery): Promise<Page<PolicyDto>> {
    return this.policies.list(query);
  }
}

import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
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

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiRefusals('POLICY_OVERLAP', 'POLICY_CODE_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePolicyDto): Promise<PolicyDto> {
    return this.policies.create(actor, dto);
  }

  @Get()
  @AnyRole()
  @ApiPage(PolicyDto)
  list(@Query() query: ListPoliciesQuery): Promise<Page<PolicyDto>> {
    return this.policies.list(query);
  }
}

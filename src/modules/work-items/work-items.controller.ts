import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentActor } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { WorkItemPageDto, WorkItemQueryDto } from './dto/work-item.dto';
import { WorkItemsService } from './work-items.service';

@ApiTags('work items')
@Controller('work-items')
export class WorkItemsController {
  constructor(private readonly workItems: WorkItemsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({
    summary: 'What waits on the caller now (待办), oldest first',
    description:
      'cooperative: register, claim; village_verifier: verify, objection; town_acceptor: acceptance.open, acceptance.sign; district_agri: contract.sign, audit.approve, mediaNotice.open, objection; district_finance: audit.approve, payout.issue, batch.result; observer and admin: none.',
  })
  @ApiOkResponse({ type: WorkItemPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: WorkItemQueryDto): Promise<WorkItemPageDto> {
    return this.workItems.list(actor, query);
  }
}

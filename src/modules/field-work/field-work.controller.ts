import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ContractDto } from '../contracts/dto/contract.dto';
import { ContractsService } from '../contracts/contracts.service';
import { ClaimService } from './claim.service';

@ApiTags('field work')
@Controller('contracts/:id')
export class FieldWorkController {
  constructor(
    private readonly claims: ClaimService,
    private readonly contracts: ContractsService,
  ) {}

  @Post('task-lines/:taskCode/claim')
  @Roles('cooperative')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: ContractDto,
    description: 'Task line claimed; its village parts verifying',
  })
  @ApiConflictResponse({
    description:
      'No rows or attachments missing (CLAIM_INCOMPLETE); wrong state (INVALID_TRANSITION)',
  })
  async claim(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Param('taskCode') taskCode: string,
    @IfMatch() version: number | undefined,
  ): Promise<ContractDto> {
    await this.claims.claim(actor, id, taskCode, version);
    return this.contracts.get(actor, id);
  }
}

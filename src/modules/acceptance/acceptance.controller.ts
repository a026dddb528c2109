import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ContractDto } from '../contracts/dto/contract.dto';
import { ContractsService } from '../contracts/contracts.service';
import { AcceptanceService } from './acceptance.service';
import {
  AcceptanceRecordCreatedDto,
  OpenAcceptanceDto,
  ReviseAcceptanceDto,
  ReworkDto,
  SignAcceptanceDto,
  SignatureResultDto,
} from './dto/acceptance.dto';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('town acceptance')
@Controller()
export class AcceptanceController {
  constructor(
    private readonly acceptance: AcceptanceService,
    private readonly contracts: ContractsService,
  ) {}

  @ApiOperation({ summary: 'Open a town acceptance record (镇验收)' })
  @Post('contracts/:id/task-lines/:taskCode/acceptance')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('town_acceptor')
  @ApiCreatedResponse({
    type: AcceptanceRecordCreatedDto,
    description: 'Opening a record does not sign it',
  })
  open(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Param('taskCode') taskCode: string,
    @Body() dto: OpenAcceptanceDto,
  ): Promise<AcceptanceRecordCreatedDto> {
    return this.acceptance.open(actor, id, taskCode, dto);
  }

  @ApiOperation({ summary: 'Sign an acceptance record: pass or fail' })
  @Post('acceptance-records/:id/signatures')
  @SignOff('town_acceptor')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SignatureResultDto })
  @ApiConflictResponse({
    description:
      'Signed already (ALREADY_SIGNED); record failed, complete or superseded (ACCEPTANCE_CLOSED)',
  })
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Acceptance record')) id: string,
    @Body() dto: SignAcceptanceDto,
  ): Promise<SignatureResultDto> {
    return this.acceptance.sign(actor, id, dto);
  }

  @ApiOperation({ summary: 'Revise an acceptance record (signatures reset)' })
  @Post('acceptance-records/:id/revise')
  @ApiRefusals('ACCEPTANCE_CLOSED', 'INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('town_acceptor')
  @ApiCreatedResponse({
    type: AcceptanceRecordCreatedDto,
    description: 'A new revision; signatures start again',
  })
  revise(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Acceptance record')) id: string,
    @Body() dto: ReviseAcceptanceDto,
  ): Promise<AcceptanceRecordCreatedDto> {
    return this.acceptance.revise(actor, id, dto);
  }

  @ApiOperation({ summary: 'Send a task line back for rework (整改)' })
  @Post('contracts/:id/task-lines/:taskCode/rework')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('town_acceptor')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ContractDto, description: 'Task line back to working' })
  async rework(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Param('taskCode') taskCode: string,
    @Body() dto: ReworkDto,
  ): Promise<ContractDto> {
    await this.acceptance.rework(actor, id, taskCode, dto);
    return this.contracts.get(actor, id);
  }
}

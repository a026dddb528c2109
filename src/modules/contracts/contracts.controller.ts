import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPage, type Page } from '../../common/http/api-page';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import { IfMatch } from '../../common/http/if-match';
import { CalculationDto, CalculationService } from './calculation.service';
import { ContractCommandsService } from './contract-commands.service';
import type { Actor } from '../auth/actor';
import { ContractsService } from './contracts.service';
import {
  ContractDto,
  HistoryEntryDto,
  ListContractsQuery,
  SignContractDto,
  TerminateContractDto,
} from './dto/contract.dto';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly commands: ContractCommandsService,
    private readonly calculation: CalculationService,
  ) {}

  @ApiOperation({ summary: "How a contract's subsidy is calculated" })
  @Get(':id/calculation')
  @AnyRole()
  @ApiOkResponse({
    type: CalculationDto,
    description: 'Per task line and village: areas at each stage, price, amount, signers',
  })
  calculationSheet(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
  ): Promise<CalculationDto> {
    return this.calculation.sheet(actor, id);
  }

  @ApiOperation({ summary: "List the contracts in the caller's scope" })
  @Get()
  @AnyRole()
  @ApiPage(ContractDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListContractsQuery,
  ): Promise<Page<ContractDto>> {
    return this.contracts.list(actor, query);
  }

  @ApiOperation({ summary: 'One contract with its task lines and village parts (ETag: version)' })
  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: ContractDto, description: 'ETag: the version' })
  @ApiNotFoundResponse({ description: 'No such contract in your scope (NOT_FOUND)' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ContractDto> {
    const contract = await this.contracts.get(actor, id);
    response.setHeader('ETag', `"${contract.version}"`);
    return contract;
  }

  @ApiOperation({ summary: "A contract's history, in the order its events were applied" })
  @Get(':id/history')
  @AnyRole()
  @ApiOkResponse({ type: [HistoryEntryDto] })
  history(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
  ): Promise<HistoryEntryDto[]> {
    return this.contracts.history(actor, id);
  }

  @ApiOperation({ summary: 'Sign an awarded contract' })
  @Post(':id/sign')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @Roles('district_agri')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ContractDto, description: 'awarded → contracted' })
  @ApiBadRequestResponse({
    description:
      'signedOn before the tender opening or the given award date, or after the work deadline (VALIDATION_FAILED)',
  })
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Body() dto: SignContractDto,
    @IfMatch() version: number | undefined,
  ): Promise<ContractDto> {
    return this.commands.sign(actor, id, dto, version);
  }

  @ApiOperation({ summary: 'Terminate a contract' })
  @Post(':id/terminate')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @Roles('district_agri')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ContractDto, description: 'Any state before payable → terminated' })
  terminate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Body() dto: TerminateContractDto,
    @IfMatch() version: number | undefined,
  ): Promise<ContractDto> {
    return this.commands.terminate(actor, id, dto, version);
  }
}

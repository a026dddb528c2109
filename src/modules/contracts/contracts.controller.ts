import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPage, type Page } from '../../common/http/api-page';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ContractsService } from './contracts.service';
import { ContractDto, HistoryEntryDto, ListContractsQuery } from './dto/contract.dto';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @AnyRole()
  @ApiPage(ContractDto)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListContractsQuery,
  ): Promise<Page<ContractDto>> {
    return this.contracts.list(actor, query);
  }

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

  @Get(':id/history')
  @AnyRole()
  @ApiOkResponse({ type: [HistoryEntryDto] })
  history(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
  ): Promise<HistoryEntryDto[]> {
    return this.contracts.history(actor, id);
  }
}

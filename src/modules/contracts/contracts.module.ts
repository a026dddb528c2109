import { Module } from '@nestjs/common';
import { ContractsController } from './contracts.controller';
import { CalculationService } from './calculation.service';
import { ContractCommandsService } from './contract-commands.service';
import { ContractWorkflowService } from './contract-workflow.service';
import { ContractsService } from './contracts.service';
import { ContractLocks } from './workflow/contract-locks';

@Module({
  controllers: [ContractsController],
  providers: [
    ContractsService,
    ContractWorkflowService,
    ContractCommandsService,
    CalculationService,
    ContractLocks,
  ],
  exports: [
    ContractsService,
    ContractWorkflowService,
    ContractCommandsService,
    CalculationService,
    ContractLocks,
  ],
})
export class ContractsModule {}

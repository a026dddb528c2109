import { Injectable } from '@nestjs/common';
import { validationFailed } from '../../common/errors/domain-error';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { contractScope } from './contract-scope';
import { ContractWorkflowService } from './contract-workflow.service';
import { ContractsService } from './contracts.service';
import type { ContractDto, SignContractDto, TerminateContractDto } from './dto/contract.dto';

/** Contract-level commands of the district: signing (awarded → contracted) and termination. */
@Injectable()
export class ContractCommandsService {
  constructor(
    private readonly workflow: ContractWorkflowService,
    private readonly contracts: ContractsService,
  ) {}

  async sign(
    actor: Actor,
    id: string,
    dto: SignContractDto,
    expectedVersion: number | undefined,
  ): Promise<ContractDto> {
    await this.workflow.execute({
      contractId: id,
      actor,
      expectedVersion,
      prepare: ({ contract }) => {
        assertInScope(actor, contractScope(contract), 'Contract', id);
        if (dto.signedOn < contract.awardedOn) {
          throw validationFailed([
            { field: 'signedOn', message: `must not be before the award (${contract.awardedOn})` },
          ]);
        }
        return Promise.resolve({
          type: 'contract.signed' as const,
          contractNo: dto.contractNo.trim(),
          signedOn: dto.signedOn,
        });
      },
    });
    return this.contracts.get(actor, id);
  }

  async terminate(
    actor: Actor,
    id: string,
    dto: TerminateContractDto,
    expectedVersion: number | undefined,
  ): Promise<ContractDto> {
    await this.workflow.execute({
      contractId: id,
      actor,
      expectedVersion,
      prepare: ({ contract }) => {
        assertInScope(actor, contractScope(contract), 'Contract', id);
        return Promise.resolve({ type: 'contract.terminated' as const, reason: dto.reason.trim() });
      },
    });
    return this.contracts.get(actor, id);
  }
}

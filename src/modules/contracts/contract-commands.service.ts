import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { validationFailed } from '../../common/errors/domain-error';
import { msg, type Message } from '../../common/i18n/message';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { contractScope } from './contract-scope';
import type { Contract } from './contract.entity';
import { ContractWorkflowService } from './contract-workflow.service';
import { ContractsService } from './contracts.service';
import type { ContractDto, SignContractDto, TerminateContractDto } from './dto/contract.dto';

interface AwardDates {
  openingOn: string;
  awardedOn: string;
  awardedOnGiven: boolean;
}

async function awardDates(manager: EntityManager, contractId: string): Promise<AwardDates> {
  const [dates] = await manager.query<AwardDates[]>(
    `SELECT t.opening_on::text AS "openingOn", a.awarded_on::text AS "awardedOn",
            a.awarded_on_given AS "awardedOnGiven"
       FROM award a JOIN tender t ON t.id = a.tender_id WHERE a.contract_id = $1`,
    [contractId],
  );
  return dates;
}

/**
 * api.md: the signing date is checked against the season's other client dates only — not before
 * the tender's opening (nor the award notice's date when the district gave one), not after the
 * work deadline. Never against today: a past season signs with its own date.
 */
export function signingDateProblem(
  signedOn: string,
  award: AwardDates,
  contract: Pick<Contract, 'workDeadline'>,
): Message | undefined {
  if (signedOn < award.openingOn)
    return msg('contract.signedBeforeOpening', { openingOn: award.openingOn });
  if (award.awardedOnGiven && signedOn < award.awardedOn)
    return msg('contract.signedBeforeAward', { awardedOn: award.awardedOn });
  if (signedOn > contract.workDeadline)
    return msg('contract.signedAfterDeadline', { workDeadline: contract.workDeadline });
  return undefined;
}

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
      prepare: async ({ contract, manager }) => {
        assertInScope(actor, contractScope(contract), 'Contract', id);
        const problem = signingDateProblem(dto.signedOn, await awardDates(manager, id), contract);
        if (problem) throw validationFailed([{ field: 'signedOn', message: problem }]);
        return {
          type: 'contract.signed' as const,
          contractNo: dto.contractNo.trim(),
          signedOn: dto.signedOn,
        };
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

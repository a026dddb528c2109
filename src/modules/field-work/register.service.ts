import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { commonError } from '../../common/errors/domain-error';
import type { Actor } from '../auth/actor';
import { Contract } from '../contracts/contract.entity';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { RegisterRow } from './register-row.entity';

/** A checked register row, areas in hundredths of a mu. */
export type RegisterRowInput = Pick<
  RegisterRow,
  | 'rowNo'
  | 'villageCode'
  | 'householdName'
  | 'householdIdNo'
  | 'plotCode'
  | 'taskCode'
  | 'area'
  | 'workDate'
  | 'machineNo'
  | 'operatorName'
  | 'townCadreSigned'
  | 'villageCadreSigned'
  | 'operatorSigned'
  | 'farmerSigned'
>;

/**
 * Stores register rows of a contract. The first rows of a contracted contract start the work
 * (work.started: contracted → inService) in the same transaction.
 */
@Injectable()
export class RegisterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
  ) {}

  addRows(actor: Actor, contractId: string, rows: RegisterRowInput[]): Promise<RegisterRow[]> {
    return this.dataSource.transaction(async (manager) => {
      const contract = await manager.findOne(Contract, {
        where: { id: contractId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contract) throw commonError('NOT_FOUND', `Contract ${contractId} was not found`);
      if (contract.state !== 'contracted' && contract.state !== 'inService') {
        throw commonError(
          'INVALID_TRANSITION',
          `Register rows are taken while the contract is in service; it is ${contract.state}`,
          {
            state: contract.state,
            event: 'register.rows',
          },
        );
      }
      const stored = await this.insert(manager, contract, rows);
      if (contract.state === 'contracted' && stored.length > 0) {
        await this.workflow.execute(
          { contractId, actor, prepare: () => Promise.resolve({ type: 'work.started' as const }) },
          manager,
        );
      }
      return stored;
    });
  }

  private async insert(
    manager: EntityManager,
    contract: Contract,
    rows: RegisterRowInput[],
  ): Promise<RegisterRow[]> {
    const entities = rows.map((row) =>
      manager.create(RegisterRow, {
        ...row,
        contractId: contract.id,
        projectId: contract.projectId,
        state: 'working',
        verifiedArea: null,
      }),
    );
    return manager.save(entities, { chunk: 1000 });
  }
}

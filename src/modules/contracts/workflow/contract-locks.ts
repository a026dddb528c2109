import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runPrepared, type Statement } from '../../../database/statement';
import type { Contract } from '../contract.entity';
import type { CommandTarget } from './command';
import { readContract } from './contract-read';

/**
 * How a contract is held against a racing command: its row read `FOR UPDATE`, and a save that
 * keeps nothing unless the row was still at the version read. The workflow loop and the
 * acceptance signatures take them through this one provider, so that they are stated once (and a
 * race test can show, with a copy of the app built without them, that its assertions fail).
 */
@Injectable()
export class ContractLocks {
  /** The contract a command advances, under its row lock (`locked`) or without (`optimistic`). */
  read(
    manager: EntityManager,
    target: CommandTarget,
    mode: 'locked' | 'optimistic',
  ): Promise<Contract> {
    return readContract(manager, target, mode);
  }

  /** Locks the contract's row to the end of the transaction (a count that must not race). */
  async lockRow(manager: EntityManager, contractId: string): Promise<void> {
    await runPrepared(manager, {
      sql: 'SELECT id FROM contract WHERE id = $1 FOR UPDATE',
      params: [contractId],
    });
  }

  /** The save's condition on the contract's row; `versionParam` holds the version read. */
  versionCondition(versionParam: string): string {
    return `version = ${versionParam}`;
  }

  /**
   * Appended last to the save (whose first part, w0, updates the contract's row): nothing of the
   * statement stays unless that row was saved, i.e. the contract was still at the version read.
   */
  saveCheck(): Statement[] {
    return [{ sql: `SELECT expect_one_row((SELECT count(*) FROM w0), 'contract')`, params: [] }];
  }
}

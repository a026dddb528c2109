import type { EntityManager } from 'typeorm';
import type { Statement } from '../../../database/statement';
import type { Actor } from '../../auth/actor';
import type { Contract } from '../contract.entity';
import type { PersistedContract } from '../machine/contract-lifecycle';
import type { ContractEvent } from '../machine/contract.types';

/**
 * What a command gives the workflow loop (ContractWorkflowService.execute) and what it gets back;
 * in a file of their own so that the loop's helpers (workflow/) can name them without importing
 * the service that imports them.
 */
export type EventBody = ContractEvent extends infer E
  ? E extends ContractEvent
    ? Omit<E, 'at'>
    : never
  : never;

export interface CommandContext {
  manager: EntityManager;
  contract: Contract;
  current: PersistedContract;
  now: Date;
  /**
   * Adds a write to the statement that saves the transition (one round trip for all of them);
   * it runs only if the machine accepts the event. Rows it inserts are not visible to the
   * command's own later reads.
   */
  write: (statement: Statement) => void;
}

/** The contract a command advances: named, or found through one of its notices (no extra read). */
export type CommandTarget = { contractId: string } | { noticeId: string };

export type Command = CommandTarget & {
  /** null: the system (the scheduler) or the public (an objection); then `actorLabel` names it. */
  actor: Actor | null;
  actorLabel?: 'scheduler' | 'public';
  /** From If-Match: the version the client saw. */
  expectedVersion?: number;
  /**
   * Runs after the contract's row lock: checks scope and input, reads the facts the event needs
   * and returns the event. It writes nothing: its own new rows (a notice, an objection) go to
   * `write`, and what the transition changes besides is the machine's effects, which the loop
   * writes. Anything it throws leaves nothing written.
   */
  prepare: (context: CommandContext) => Promise<EventBody>;
  /** When the event happened, if not now (a timer fires with its due time). */
  at?: Date;
  /**
   * Try without the row lock first: read, step, and save in one autocommitted statement that
   * applies only if the contract is still at the version read (compare-and-set on `version`).
   * On a conflict the command runs again the usual way, under the lock, on the current state.
   * Only for a command whose `prepare` reads and writes nothing but through `write` (filing an
   * objection): there is no transaction around it until the save.
   */
  optimistic?: boolean;
};

export interface CommandResult {
  contract: Contract;
  previous: PersistedContract;
  next: PersistedContract;
  event: ContractEvent;
}

import type { Refusal } from './refusals';

/**
 * (States are the machine's ContractState / TaskLineState; the query tables hand them as text.)
 *
 * Questions about a contract's state that a command asks before it has an event to send (rows
 * for the register, a record to open, a payout to prepare): the answers are the machine's, in
 * one place with its guards, so no service compares states itself.
 */

/** The household register takes rows while the contract is contracted or in service. */
export function registerRefusal(state: string): Refusal | undefined {
  if (state === 'contracted' || state === 'inService') return undefined;
  return {
    code: 'INVALID_TRANSITION',
    message: `The register takes rows while the contract is contracted or in service; it is ${state}`,
  };
}

/** The first rows of a contracted contract start its work (`work.started`). */
export function rowsStartWork(state: string): boolean {
  return state === 'contracted';
}

/** Rows of a task line can be added or corrected until it is claimed. */
export function taskLineTakesRows(state: string): boolean {
  return state === 'pending' || state === 'working';
}

/** A task line is claimed from `working` (rows registered, papers uploaded). */
export function taskLineClaimable(state: string | undefined): boolean {
  return state === 'working';
}

/** A town acceptance record is opened once every village notice of the line has cleared. */
export function acceptanceOpenRefusal(taskCode: string, state: string): Refusal | undefined {
  if (state === 'townAcceptance') return undefined;
  return {
    code: 'INVALID_TRANSITION',
    message: `Task line ${taskCode} is ${state}; acceptance follows the village notices`,
  };
}

/** The task lines whose register rows the district audit's sample draws from: the accepted ones. */
export function sampledTaskLines(context: {
  taskLines: Record<string, { taskCode: string; state: string }>;
}): string[] {
  return Object.values(context.taskLines)
    .filter((line) => line.state === 'accepted')
    .map((line) => line.taskCode);
}

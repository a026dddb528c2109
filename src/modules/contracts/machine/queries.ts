import { msg } from '../../../common/i18n/message';
import {
  CONTRACT_STATES,
  type AuditBureau,
  type ContractContext,
  type ContractState,
  type TaskLineState,
  type VillagePartState,
} from './contract.types';
import type { Refusal } from './refusals';

/**
 * (States are the machine's ContractState / TaskLineState; the query tables hand them as text.)
 *
 * Questions about a contract's state that a command asks before it has an event to send (rows
 * for the register, a record to open, a payout to prepare): the answers are the machine's, in
 * one place with its guards, so no service compares states itself.
 */

/**
 * Lists of states for SQL over the `contract` table (passed as parameters, `state = ANY($n)`),
 * built from the machine's own list so that a new state cannot be forgotten in a query.
 */
/** Every contract but a terminated one: what a project's figures and an organisation's cap count. */
export const LIVE_CONTRACT_STATES: readonly ContractState[] = CONTRACT_STATES.filter(
  (state) => state !== 'terminated',
);
/** From the confirming audit on (audited … paid): the subsidy is final. */
export const STATES_FROM_AUDITED: readonly ContractState[] = CONTRACT_STATES.slice(
  CONTRACT_STATES.indexOf('audited'),
  CONTRACT_STATES.indexOf('paid') + 1,
);

/** The household register takes rows while the contract is contracted or in service. */
export function registerRefusal(state: string): Refusal | undefined {
  if (state === 'contracted' || state === 'inService') return undefined;
  return {
    code: 'INVALID_TRANSITION',
    message: msg('refusal.registerClosed', { state }),
  };
}

/**
 * What waits on someone, by the state it waits in (the to-do list, `GET /work-items`): the
 * states are named here once, and the list's queries take them as parameters.
 */
export const WAITS_IN = {
  /** district_agri signs an awarded contract. */
  contractSign: ['awarded'] as readonly ContractState[],
  /** A signed contract waits for its register (its first rows start the work). */
  register: ['contracted'] as readonly ContractState[],
  /** A task line with rows (or sent back for rework) waits for its claim. */
  claim: ['working'] as readonly TaskLineState[],
  /** A claimed village part waits for its village's verification. */
  verify: ['verifying'] as readonly VillagePartState[],
  /** A task line whose village notices have all cleared waits for its acceptance record. */
  acceptanceOpen: ['townAcceptance'] as readonly TaskLineState[],
  /** A contract in the district audit waits for each bureau's approval. */
  auditApprove: ['districtAudit'] as readonly ContractState[],
  /** An audited contract waits for its media notice. */
  mediaNoticeOpen: ['audited'] as readonly ContractState[],
  /** A payable contract waits for its payout. */
  payoutIssue: ['payable'] as readonly ContractState[],
} as const;

/** In the district audit (`WAITS_IN.auditApprove`), whether this bureau has yet to approve. */
export function auditAwaitsBureau(context: ContractContext, bureau: AuditBureau): boolean {
  return !context.audit.approvals.some((approval) => approval.bureau === bureau);
}

/** The first rows of a contracted contract start its work (`work.started`). */
export function rowsStartWork(state: string): boolean {
  return (WAITS_IN.register as readonly string[]).includes(state);
}

/** Rows of a task line can be added or corrected until it is claimed. */
export function taskLineTakesRows(state: string): boolean {
  return state === 'pending' || state === 'working';
}

/** A task line is claimed from `working` (rows registered, papers uploaded). */
export function taskLineClaimable(state: string | undefined): boolean {
  return state !== undefined && (WAITS_IN.claim as readonly string[]).includes(state);
}

/** A town acceptance record is opened once every village notice of the line has cleared. */
export function acceptanceOpenRefusal(taskCode: string, state: string): Refusal | undefined {
  if ((WAITS_IN.acceptanceOpen as readonly string[]).includes(state)) return undefined;
  return {
    code: 'INVALID_TRANSITION',
    message: msg('refusal.acceptanceNotOpen', { taskCode, state }),
  };
}

/** The task lines whose register rows the district audit's sample draws from: the accepted ones. */
export const SAMPLED_TASK_LINE_STATES: readonly TaskLineState[] = ['accepted'];

export function sampledTaskLines(context: {
  taskLines: Record<string, { taskCode: string; state: string }>;
}): string[] {
  return Object.values(context.taskLines)
    .filter((line) => (SAMPLED_TASK_LINE_STATES as readonly string[]).includes(line.state))
    .map((line) => line.taskCode);
}

import { render } from '../../../common/i18n/message';
import type { Refusal } from './refusals';
import { contractMachine } from './contract.machine';
import type { ContractState, TaskLineState } from './contract.types';
import {
  LIVE_CONTRACT_STATES,
  SAMPLED_TASK_LINE_STATES,
  STATES_FROM_AUDITED,
  WAITS_IN,
  acceptanceOpenRefusal,
  auditAwaitsBureau,
  registerRefusal,
  rowsStartWork,
  taskLineClaimable,
  taskLineTakesRows,
} from './queries';

/** Every state of the machine itself: a state added later is asked too. */
const CONTRACT_STATES = Object.keys(contractMachine.config.states ?? {}) as ContractState[];

const TASK_LINE_STATES: readonly TaskLineState[] = [
  'pending',
  'working',
  'claimed',
  'villageVerification',
  'townAcceptance',
  'accepted',
  'withdrawn',
];

/** The states for which `answer` says yes, asked of every state: a state wrongly in or out fails. */
function only<S extends string>(states: readonly S[], answer: (state: S) => boolean): S[] {
  return states.filter((state) => answer(state));
}

/**
 * The refusal as an English client reads it: the machine keeps a catalogue key and its
 * parameters (the words are rendered at the edge); these tests read the words.
 */
function inEnglish(refusal: Refusal): Omit<Refusal, 'message'> & { message: string };
function inEnglish(
  refusal: Refusal | undefined,
): (Omit<Refusal, 'message'> & { message: string }) | undefined;
function inEnglish(refusal: Refusal | undefined) {
  return refusal && { ...refusal, message: render(refusal.message, 'en') };
}

describe('the machine’s answers to state questions asked before an event', () => {
  it('the register takes rows in contracted and inService only, and says why not otherwise', () => {
    expect(only(CONTRACT_STATES, (state) => registerRefusal(state) === undefined)).toEqual([
      'contracted',
      'inService',
    ]);
    for (const state of CONTRACT_STATES.filter((s) => s !== 'contracted' && s !== 'inService')) {
      expect(inEnglish(registerRefusal(state))).toEqual({
        code: 'INVALID_TRANSITION',
        message: `The register takes rows while the contract is contracted or in service; it is ${state}`,
      });
    }
  });

  it('only the first rows of a contracted contract start its work', () => {
    expect(only(CONTRACT_STATES, rowsStartWork)).toEqual(['contracted']);
  });

  it('a task line takes rows while pending or working, and is claimed from working only', () => {
    expect(only(TASK_LINE_STATES, taskLineTakesRows)).toEqual(['pending', 'working']);
    expect(only(TASK_LINE_STATES, taskLineClaimable)).toEqual(['working']);
    expect(taskLineClaimable(undefined)).toBe(false);
  });

  it('a town acceptance record opens once the line is in town acceptance, and names the line otherwise', () => {
    expect(
      only(TASK_LINE_STATES, (state) => acceptanceOpenRefusal('WHEAT', state) === undefined),
    ).toEqual(['townAcceptance']);
    expect(inEnglish(acceptanceOpenRefusal('WHEAT', 'villageVerification'))).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'Task line WHEAT is villageVerification; acceptance follows the village notices',
    });
  });

  it('the to-do list waits in states of the machine, the same states its commands accept', () => {
    for (const states of [
      WAITS_IN.contractSign,
      WAITS_IN.register,
      WAITS_IN.auditApprove,
      WAITS_IN.mediaNoticeOpen,
      WAITS_IN.payoutIssue,
    ]) {
      for (const state of states) expect(CONTRACT_STATES).toContain(state);
    }
    expect(WAITS_IN.register).toEqual(only(CONTRACT_STATES, rowsStartWork));
    expect(WAITS_IN.claim).toEqual(only(TASK_LINE_STATES, taskLineClaimable));
    expect(WAITS_IN.acceptanceOpen).toEqual(
      only(TASK_LINE_STATES, (state) => acceptanceOpenRefusal('WHEAT', state) === undefined),
    );
    expect(WAITS_IN.verify).toEqual(['verifying']);
  });

  it('an audit waits on each bureau until that bureau has approved', () => {
    const context = (bureaus: ('agriculture' | 'finance')[]) =>
      ({
        audit: {
          approvals: bureaus.map((bureau, i) => ({ bureau, approverId: `u${i}`, at: '' })),
        },
      }) as unknown as Parameters<typeof auditAwaitsBureau>[0];
    expect(auditAwaitsBureau(context([]), 'agriculture')).toBe(true);
    expect(auditAwaitsBureau(context(['agriculture']), 'agriculture')).toBe(false);
    expect(auditAwaitsBureau(context(['agriculture']), 'finance')).toBe(true);
    expect(auditAwaitsBureau(context(['agriculture', 'finance']), 'finance')).toBe(false);
  });
});

describe('state lists for SQL', () => {
  it('live contracts: every state of the machine but terminated', () => {
    expect([...LIVE_CONTRACT_STATES].sort()).toEqual(
      CONTRACT_STATES.filter((state) => state !== 'terminated').sort(),
    );
  });

  it('from the confirming audit on: audited up to paid, in the machine’s order', () => {
    expect(STATES_FROM_AUDITED).toEqual([
      'audited',
      'mediaNotice',
      'payable',
      'payoutIssued',
      'paid',
    ]);
  });

  it('the audit sample draws from accepted task lines only', () => {
    expect(SAMPLED_TASK_LINE_STATES).toEqual(['accepted']);
  });
});

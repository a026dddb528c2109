import { msg } from '../../../common/i18n/message';
import { initialTransition, transition } from 'xstate';
import { MACHINE_VERSION, contractMachine } from './contract.machine';
import { effectsOf, type Effect } from './effects';
import { EXPLAINED, EXPLAINED_IN_ANY_STATE, type Refusal } from './refusals';
import type {
  ContractContext,
  ContractEvent,
  ContractInput,
  ContractState,
} from './contract.types';

/** What the database keeps of a contract's machine: the state, the context and the machine version. */
export interface PersistedContract {
  machineVersion: number;
  value: ContractState;
  context: ContractContext;
}

export function initialContract(input: ContractInput): PersistedContract {
  const [snapshot] = initialTransition(contractMachine, input);
  return {
    machineVersion: MACHINE_VERSION,
    value: snapshot.value,
    context: snapshot.context,
  };
}

export type StepResult =
  { accepted: true; next: PersistedContract; effects: Effect[] } | { accepted: false };

/**
 * Applies one event to a persisted contract, without side effects: restores the snapshot
 * (resolveState throws on one that does not fit the machine), refuses an event that the state
 * or a guard does not allow, and returns the next persisted contract with the effects the
 * machine's actions name (what the loop writes besides the snapshot).
 */
export function step(current: PersistedContract, event: ContractEvent): StepResult {
  if (current.machineVersion !== MACHINE_VERSION) {
    throw new Error(
      `Snapshot of machine version ${current.machineVersion}; migrate it to ${MACHINE_VERSION} first`,
    );
  }
  const snapshot = contractMachine.resolveState({ value: current.value, context: current.context });
  if (snapshot.status !== 'active' || !snapshot.can(event)) return { accepted: false };
  const [next, actions] = transition(contractMachine, snapshot, event);
  return {
    accepted: true,
    next: {
      machineVersion: MACHINE_VERSION,
      value: next.value,
      context: next.context,
    },
    effects: effectsOf(actions),
  };
}

export type Decision =
  | { applies: true; next: PersistedContract; effects: Effect[] }
  | { applies: false; refusal: Refusal };

/**
 * The machine's answer to an event, as data: it applies (with the next contract), or it is
 * refused with the reason of the rule that refused it — the specific one where the event's type
 * has a rule that explains it (refusals.ts), else INVALID_TRANSITION naming the state. The
 * workflow loop maps a refusal to its error; nothing else decides on a contract's state.
 */
export function decide(current: PersistedContract, event: ContractEvent): Decision {
  const result = step(current, event);
  if (result.accepted) return { applies: true, next: result.next, effects: result.effects };
  const takesType = acceptedEventTypes(current).includes(event.type);
  const explain = EXPLAINED[event.type] as
    | ((context: PersistedContract['context'], event: ContractEvent) => Refusal | undefined)
    | undefined;
  const explainAlways = EXPLAINED_IN_ANY_STATE[event.type] as
    ((current: PersistedContract, event: ContractEvent) => Refusal | undefined) | undefined;
  const specific =
    explainAlways?.(current, event) ??
    (takesType && explain ? explain(current.context, event) : undefined);
  return {
    applies: false,
    refusal: specific ?? {
      code: 'INVALID_TRANSITION',
      message: msg('transition.notAllowedWhile', {
        event: event.type,
        state: String(current.value),
      }),
    },
  };
}

/** The events the current state accepts (some may still be refused by a guard). */
export function acceptedEventTypes(current: PersistedContract): string[] {
  const snapshot = contractMachine.resolveState({ value: current.value, context: current.context });
  return [...new Set(snapshot._nodes.flatMap((node) => [...node.ownEvents]))].sort();
}

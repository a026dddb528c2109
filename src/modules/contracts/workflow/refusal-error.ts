import { type PersistedContract } from '../machine/contract-lifecycle';
import type { Refusal } from '../machine/refusals';
import { DomainError } from '../../../common/errors/domain-error';
import type { ContractEvent } from '../machine/contract.types';

/**
 * The machine's refusal as the error a client gets. INVALID_TRANSITION keeps its body (`state`,
 * `event`) and names what the state does take; a refusal about a field names it.
 */
/** A refusal of a machine query (machine/queries.ts), for the event a command would send. */
export function queryRefusalError(refusal: Refusal, state: string, event: string): DomainError {
  return new DomainError(refusal.code, refusal.message, { state, event });
}

export function refusalError(
  refusal: Refusal,
  current: PersistedContract,
  event: ContractEvent,
): DomainError {
  if (refusal.code === 'INVALID_TRANSITION') {
    return new DomainError(
      'INVALID_TRANSITION',
      `${event.type} is not allowed now: ${describe(current, event)}`,
      { state: current.value, event: event.type },
    );
  }
  return new DomainError(refusal.code, refusal.message, {
    ...(refusal.field ? { errors: [{ field: refusal.field, message: refusal.message }] } : {}),
    state: current.value,
    event: event.type,
  });
}

/** Where the contract stands, for the INVALID_TRANSITION message. */
function describe(contract: PersistedContract, event: ContractEvent): string {
  const parts = [`the contract is ${contract.value}`];
  if ('taskCode' in event) {
    const line = contract.context.taskLines[event.taskCode];
    parts.push(
      line
        ? `task line ${event.taskCode} is ${line.state}`
        : `there is no task line ${event.taskCode}`,
    );
    if ('villageCode' in event && line) {
      const part = line.villageParts[event.villageCode];
      parts.push(
        part
          ? `village ${event.villageCode} is ${part.state}`
          : `village ${event.villageCode} has no part in it`,
      );
    }
  }
  return parts.join(', ');
}

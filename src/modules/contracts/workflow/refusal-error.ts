import { type PersistedContract } from '../machine/contract-lifecycle';
import type { Refusal } from '../machine/refusals';
import { DomainError } from '../../../common/errors/domain-error';
import { msg, type Message } from '../../../common/i18n/message';
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
    return new DomainError('INVALID_TRANSITION', describe(current, event), {
      state: current.value,
      event: event.type,
    });
  }
  return new DomainError(refusal.code, refusal.message, {
    ...(refusal.field ? { errors: [{ field: refusal.field, message: refusal.message }] } : {}),
    state: current.value,
    event: event.type,
  });
}

/** Where the contract stands, for the INVALID_TRANSITION message. */
function describe(contract: PersistedContract, event: ContractEvent): Message {
  const where: {
    taskCode?: string;
    taskLineState?: string;
    villageCode?: string;
    villagePartState?: string;
  } = {};
  if ('taskCode' in event) {
    const line = Object.hasOwn(contract.context.taskLines, event.taskCode)
      ? contract.context.taskLines[event.taskCode]
      : undefined;
    where.taskCode = event.taskCode;
    where.taskLineState = line?.state;
    if ('villageCode' in event && line) {
      where.villageCode = event.villageCode;
      where.villagePartState = Object.hasOwn(line.villageParts, event.villageCode)
        ? line.villageParts[event.villageCode].state
        : undefined;
    }
  }
  return msg('transition.notAllowed', {
    event: event.type,
    contractState: String(contract.value),
    ...where,
  });
}

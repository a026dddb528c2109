import {
  decide,
  initialContract,
  type PersistedContract,
} from '../../src/modules/contracts/machine/contract-lifecycle';
import type { ContractEvent } from '../../src/modules/contracts/machine/contract.types';

/** Pure contracts for the machine's tests: one task line WHEAT, one village V1, driven by decide(). */
export const T0 = '2015-06-01T00:00:00.000Z';
export const ENDS = '2015-06-08T00:00:00.000Z';

export function apply(current: PersistedContract, event: ContractEvent): PersistedContract {
  const decision = decide(current, event);
  if (!decision.applies) throw new Error(`${event.type}: ${decision.refusal.message}`);
  return decision.next;
}

/** Claimed: 100.00 mu in V1 of WHEAT, waiting for the village's verification. */
export function claimed(): PersistedContract {
  let contract = initialContract({
    contractId: 'C1',
    taskLines: [{ taskCode: 'WHEAT', unitPriceFen: 6367, assignedArea: 50_000 }],
  });
  contract = apply(contract, {
    type: 'contract.signed',
    at: T0,
    contractNo: 'N',
    signedOn: '2015-06-01',
  });
  contract = apply(contract, { type: 'work.started', at: T0 });
  return apply(contract, {
    type: 'taskLine.claimed',
    at: T0,
    taskCode: 'WHEAT',
    villages: [{ villageCode: 'V1', claimedArea: 10_000 }],
  });
}

export function verified(verifiedArea: number): ContractEvent {
  return {
    type: 'village.verified',
    at: T0,
    taskCode: 'WHEAT',
    villageCode: 'V1',
    verifiedArea,
    noticeId: 'N-1',
    noticeEndsAt: ENDS,
  };
}

/** V1's notice N-1 running, after `verifiedArea` was verified. */
export function withRunningNotice(verifiedArea = 10_000): PersistedContract {
  return apply(claimed(), verified(verifiedArea));
}

import { render } from '../../src/common/i18n/message';
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
  if (!decision.applies)
    throw new Error(`${event.type}: ${render(decision.refusal.message, 'en')}`);
  return decision.next;
}

/** Signed and in service: each task line at 63.67 yuan/mu on 500.00 mu, none claimed yet. */
export function inService(taskCodes: string[] = ['WHEAT'], contractId = 'C1'): PersistedContract {
  let contract = initialContract({
    contractId,
    taskLines: taskCodes.map((taskCode) => ({
      taskCode,
      unitPriceFen: 6367,
      assignedArea: 50_000,
    })),
  });
  contract = apply(contract, {
    type: 'contract.signed',
    at: T0,
    contractNo: 'N',
    signedOn: '2015-06-01',
  });
  return apply(contract, { type: 'work.started', at: T0 });
}

/** Claimed: by default 100.00 mu in V1 of WHEAT, waiting for the villages' verification. */
export function claimed(
  villages: { villageCode: string; claimedArea: number }[] = [
    { villageCode: 'V1', claimedArea: 10_000 },
  ],
): PersistedContract {
  return apply(inService(), { type: 'taskLine.claimed', at: T0, taskCode: 'WHEAT', villages });
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

/** Five pass signatures covering the four roles: a town acceptance's quorum. */
export const QUORUM_SIGNERS = (
  [
    'technical_guidance',
    'township_leader',
    'station_head',
    'farmer_supervisor',
    'station_head',
  ] as const
).map((acceptanceRole, index) => ({
  signerId: `S${index + 1}`,
  acceptanceRole,
  decision: 'pass' as const,
}));

/** One line (WHEAT, one village V1) driven from the award through both audit approvals. */
export function auditedContract(spec: {
  unitPriceFen: number;
  subsidyPerMuFen?: number;
  claimedArea: number;
  verifiedArea: number;
  acceptedArea: number;
  auditedArea: number;
  capRemainingFen?: number | null;
}): PersistedContract {
  let contract = initialContract({
    contractId: 'C1',
    taskLines: [
      {
        taskCode: 'WHEAT',
        unitPriceFen: spec.unitPriceFen,
        assignedArea: spec.claimedArea,
        ...(spec.subsidyPerMuFen === undefined ? {} : { subsidyPerMuFen: spec.subsidyPerMuFen }),
      },
    ],
  });
  const events: ContractEvent[] = [
    { type: 'contract.signed', at: T0, contractNo: 'N', signedOn: '2015-06-01' },
    { type: 'work.started', at: T0 },
    {
      type: 'taskLine.claimed',
      at: T0,
      taskCode: 'WHEAT',
      villages: [{ villageCode: 'V1', claimedArea: spec.claimedArea }],
    },
    verified(spec.verifiedArea),
    { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' },
    {
      type: 'acceptance.completed',
      at: ENDS,
      taskCode: 'WHEAT',
      villages: [{ villageCode: 'V1', acceptedArea: spec.acceptedArea }],
      signers: QUORUM_SIGNERS,
    },
    {
      type: 'audit.approved',
      at: ENDS,
      bureau: 'agriculture',
      approverId: 'A1',
      taskLines: [{ taskCode: 'WHEAT', auditedArea: spec.auditedArea }],
    },
    {
      type: 'audit.approved',
      at: ENDS,
      bureau: 'finance',
      approverId: 'F1',
      ...(spec.capRemainingFen === undefined ? {} : { capRemainingFen: spec.capRemainingFen }),
    },
  ];
  for (const event of events) contract = apply(contract, event);
  return contract;
}

import { decide, initialContract, type PersistedContract } from './contract-lifecycle';
import type { ContractEvent } from './contract.types';
import { effectsOf } from './effects';

/** The transition's effects as data, computed from the machine's snapshots alone. */
const T0 = '2015-06-01T00:00:00.000Z';
const ENDS = '2015-06-08T00:00:00.000Z';

function apply(current: PersistedContract, event: ContractEvent): PersistedContract {
  const decision = decide(current, event);
  if (!decision.applies) throw new Error(`${event.type}: ${decision.refusal.message}`);
  return decision.next;
}

function withRunningNotice(): PersistedContract {
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
  contract = apply(contract, {
    type: 'taskLine.claimed',
    at: T0,
    taskCode: 'WHEAT',
    villages: [{ villageCode: 'V1', claimedArea: 10_000 }],
  });
  return apply(contract, {
    type: 'village.verified',
    at: T0,
    taskCode: 'WHEAT',
    villageCode: 'V1',
    verifiedArea: 10_000,
    noticeId: 'N-1',
    noticeEndsAt: ENDS,
  });
}

function effects(current: PersistedContract, event: ContractEvent) {
  return effectsOf(current.context, apply(current, event).context, event);
}

describe('effects of a transition', () => {
  it('a notice whose 7 days are over with no objection clears', () => {
    expect(
      effects(withRunningNotice(), { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' }),
    ).toEqual([{ type: 'notice.clear', noticeId: 'N-1' }]);
  });

  it('an open objection keeps it running; an upheld one supersedes it', () => {
    const running = withRunningNotice();
    const objected = apply(running, {
      type: 'objection.filed',
      at: T0,
      noticeId: 'N-1',
      objectionId: 'O1',
    });
    expect(effects(objected, { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' })).toEqual([]);
    expect(
      effects(objected, {
        type: 'objection.resolved',
        at: T0,
        noticeId: 'N-1',
        objectionId: 'O1',
        outcome: 'upheld',
      }),
    ).toEqual([{ type: 'notice.supersede', noticeId: 'N-1' }]);
  });

  it('termination closes the running notices (and the loop cancels their timers)', () => {
    expect(
      effects(withRunningNotice(), { type: 'contract.terminated', at: T0, reason: '放弃' }),
    ).toEqual([{ type: 'notices.terminate' }]);
  });
});

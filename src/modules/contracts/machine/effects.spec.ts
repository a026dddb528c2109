import type { PersistedContract } from './contract-lifecycle';
import type { ContractEvent } from './contract.types';
import { effectsOf } from './effects';
import {
  apply,
  ENDS,
  QUORUM_SIGNERS,
  T0,
  withRunningNotice,
} from '../../../../test/factories/contracts';

/** The transition's effects as data, computed from the machine's snapshots alone. */
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
  it('a notice that had cleared already is not cleared again by a later transition', () => {
    const cleared = apply(withRunningNotice(), {
      type: 'notice.elapsed',
      at: ENDS,
      noticeId: 'N-1',
    });
    expect(
      effects(cleared, {
        type: 'acceptance.completed',
        at: ENDS,
        taskCode: 'WHEAT',
        villages: [{ villageCode: 'V1', acceptedArea: 10_000 }],
        signers: QUORUM_SIGNERS,
      }),
    ).toEqual([]);
  });
});

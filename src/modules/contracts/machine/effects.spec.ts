import { decide, step, type PersistedContract } from './contract-lifecycle';
import type { ContractEvent } from './contract.types';
import { EFFECT_TYPES, effectsOf, type Effect } from './effects';
import {
  apply,
  auditedContract,
  claimed,
  ENDS,
  QUORUM_SIGNERS,
  T0,
  verified,
  withRunningNotice,
} from '../../../../test/factories/contracts';

const seen = new Set<string>();

/** The transition's effects as the machine returns them (its actions with params). */
function effects(current: PersistedContract, event: ContractEvent): Effect[] {
  const decision = decide(current, event);
  if (!decision.applies) throw new Error(`${event.type} was refused`);
  for (const effect of decision.effects) seen.add(effect.type);
  return decision.effects;
}

const objection = (noticeId = 'N-1', objectionId = 'O1'): ContractEvent => ({
  type: 'objection.filed',
  at: T0,
  noticeId,
  objectionId,
});
const resolved = (
  outcome: 'dismissed' | 'upheld',
  noticeId = 'N-1',
  objectionId = 'O1',
): ContractEvent => ({ type: 'objection.resolved', at: T0, noticeId, objectionId, outcome });
const elapsed = (noticeId = 'N-1'): ContractEvent => ({
  type: 'notice.elapsed',
  at: ENDS,
  noticeId,
});
const accepted: ContractEvent = {
  type: 'acceptance.completed',
  at: ENDS,
  taskCode: 'WHEAT',
  villages: [{ villageCode: 'V1', acceptedArea: 10_000 }],
  signers: QUORUM_SIGNERS,
};

function inTownAcceptance(): PersistedContract {
  return apply(withRunningNotice(), elapsed());
}

/** Audited (subsidy 100.00 mu × 63.67 yuan), its media notice M-1 running. */
function withMediaNotice(): PersistedContract {
  const audited = auditedContract({
    unitPriceFen: 6367,
    claimedArea: 10_000,
    verifiedArea: 10_000,
    acceptedArea: 10_000,
    auditedArea: 10_000,
  });
  return apply(audited, {
    type: 'mediaNotice.opened',
    at: ENDS,
    noticeId: 'M-1',
    noticeEndsAt: ENDS,
  });
}

function payoutIssued(): PersistedContract {
  const payable = apply(withMediaNotice(), elapsed('M-1'));
  return apply(payable, {
    type: 'payout.issued',
    at: ENDS,
    payoutId: 'P1',
    amountFen: payable.context.subsidyFen as number,
    issuerId: 'F2',
    providerEligible: true,
  });
}

describe('effects of a transition (the machine’s actions with their params)', () => {
  it('a claim freezes the line’s register rows (again after a rework)', () => {
    const claim: ContractEvent = {
      type: 'taskLine.claimed',
      at: ENDS,
      taskCode: 'WHEAT',
      villages: [{ villageCode: 'V1', claimedArea: 9_000 }],
    };
    const reworked = apply(inTownAcceptance(), {
      type: 'taskLine.reworked',
      at: ENDS,
      taskCode: 'WHEAT',
    });
    expect(effects(reworked, claim)).toEqual([{ type: 'registerRows.claim', taskCode: 'WHEAT' }]);
  });

  it('a verification, a filed objection, an acceptance and the audit write nothing besides', () => {
    expect(effects(claimed(), verified(10_000))).toEqual([]);
    expect(effects(withRunningNotice(), objection())).toEqual([]);
    expect(effects(inTownAcceptance(), accepted)).toEqual([]);
    const inAudit = apply(inTownAcceptance(), accepted);
    expect(
      effects(inAudit, {
        type: 'audit.approved',
        at: ENDS,
        bureau: 'agriculture',
        approverId: 'A1',
      }),
    ).toEqual([]);
    expect(effects(inAudit, { type: 'audit.rejected', at: ENDS })).toEqual([]);
  });

  it('a notice whose 7 days are over with no objection clears', () => {
    expect(effects(withRunningNotice(), elapsed())).toEqual([
      { type: 'notice.clear', noticeId: 'N-1' },
    ]);
  });

  it('an open objection keeps it running; dismissing the last one clears it', () => {
    const objected = apply(withRunningNotice(), objection());
    expect(effects(objected, elapsed())).toEqual([]);
    const twice = apply(apply(objected, objection('N-1', 'O2')), elapsed());
    expect(effects(twice, resolved('dismissed'))).toEqual([]);
    const once = apply(twice, resolved('dismissed'));
    expect(effects(once, resolved('dismissed', 'N-1', 'O2'))).toEqual([
      { type: 'notice.clear', noticeId: 'N-1' },
    ]);
    // Dismissed within the 7 days: the notice runs on.
    expect(effects(objected, resolved('dismissed'))).toEqual([]);
  });

  it('an upheld objection supersedes the village’s notice and unverifies its rows', () => {
    const objected = apply(withRunningNotice(), objection());
    const upheld = [
      { type: 'notice.supersede', noticeId: 'N-1' },
      { type: 'registerRows.unverify', taskCode: 'WHEAT', villageCode: 'V1' },
    ];
    expect(effects(objected, resolved('upheld'))).toEqual(upheld);
    // After the 7 days too, and never a clear with it.
    expect(effects(apply(objected, elapsed()), resolved('upheld'))).toEqual(upheld);
  });

  it('a rework supersedes the line’s acceptance records and sends its rows back to work', () => {
    expect(
      effects(inTownAcceptance(), { type: 'taskLine.reworked', at: ENDS, taskCode: 'WHEAT' }),
    ).toEqual([
      { type: 'acceptanceRecords.supersede', taskCode: 'WHEAT' },
      { type: 'registerRows.rework', taskCode: 'WHEAT' },
    ]);
  });

  it('the media notice clears, or an upheld objection supersedes it (and reopens the audit)', () => {
    expect(effects(withMediaNotice(), elapsed('M-1'))).toEqual([
      { type: 'notice.clear', noticeId: 'M-1' },
    ]);
    const objected = apply(withMediaNotice(), objection('M-1'));
    expect(effects(objected, elapsed('M-1'))).toEqual([]);
    expect(effects(objected, resolved('upheld', 'M-1'))).toEqual([
      { type: 'notice.supersede', noticeId: 'M-1' },
    ]);
    expect(effects(apply(objected, elapsed('M-1')), resolved('dismissed', 'M-1'))).toEqual([
      { type: 'notice.clear', noticeId: 'M-1' },
    ]);
    expect(effects(objected, resolved('dismissed', 'M-1'))).toEqual([]);
  });

  it('the bank’s answer writes the payout, with its reference or reason', () => {
    expect(
      effects(payoutIssued(), {
        type: 'payout.confirmed',
        at: ENDS,
        payoutId: 'P1',
        bankReference: 'REF-1',
      }),
    ).toEqual([{ type: 'payout.confirm', payoutId: 'P1', bankReference: 'REF-1' }]);
    expect(effects(payoutIssued(), { type: 'payout.confirmed', at: ENDS, payoutId: 'P1' })).toEqual(
      [{ type: 'payout.confirm', payoutId: 'P1', bankReference: null }],
    );
    expect(
      effects(payoutIssued(), {
        type: 'payout.failed',
        at: ENDS,
        payoutId: 'P1',
        failureReason: '账户冻结',
      }),
    ).toEqual([{ type: 'payout.fail', payoutId: 'P1', failureReason: '账户冻结' }]);
    expect(effects(payoutIssued(), { type: 'payout.failed', at: ENDS, payoutId: 'P1' })).toEqual([
      { type: 'payout.fail', payoutId: 'P1', failureReason: null },
    ]);
    // Issuing it is the command's own row, not an effect.
    expect(seen.has('payout.issued')).toBe(false);
  });

  it('termination closes the running notices (and the loop cancels their timers)', () => {
    expect(
      effects(withRunningNotice(), { type: 'contract.terminated', at: T0, reason: '放弃' }),
    ).toEqual([{ type: 'notices.terminate' }]);
    expect(effects(claimed(), { type: 'contract.terminated', at: T0, reason: '放弃' })).toEqual([
      { type: 'notices.terminate' },
    ]);
  });

  it('a notice that had cleared already is not cleared again by a later transition', () => {
    expect(effects(inTownAcceptance(), accepted)).toEqual([]);
  });

  it('a refused event has no effects, and step gives the same as decide', () => {
    expect(step(withRunningNotice(), elapsed('N-9'))).toEqual({ accepted: false });
    const result = step(withRunningNotice(), elapsed());
    expect(result).toEqual({
      accepted: true,
      next: apply(withRunningNotice(), elapsed()),
      effects: [{ type: 'notice.clear', noticeId: 'N-1' }],
    });
  });

  it('every effect type is produced by some transition above', () => {
    expect([...seen].sort()).toEqual([...EFFECT_TYPES].sort());
  });
});

describe('effectsOf', () => {
  it('keeps the effect actions, in order, with their params, and drops the others', () => {
    expect(
      effectsOf([
        { type: 'recordClaim' },
        { type: 'notice.supersede', params: { noticeId: 'N-1' } },
        { type: 'xstate.raise', params: { noticeId: 'N-2' } },
        { type: 'notices.terminate' },
        { type: 'registerRows.claim', params: { taskCode: 'WHEAT', type: 'other' } },
      ]),
    ).toEqual([
      { type: 'notice.supersede', noticeId: 'N-1' },
      { type: 'notices.terminate' },
      { type: 'registerRows.claim', taskCode: 'WHEAT' },
    ]);
    expect(effectsOf([])).toEqual([]);
  });
});

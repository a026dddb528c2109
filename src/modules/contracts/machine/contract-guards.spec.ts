import { claimed, T0, withRunningNotice } from '../../../../test/factories/contracts';
import { guards } from './contract-guards';
import type { ContractEvent } from './contract.types';

/**
 * The guards as functions. The machine only asks a guard about the events of its own transition,
 * so through decide() a guard never sees another event; called directly, each one must still
 * answer no to an event it is not about (it narrows the event's type before reading it).
 */
const EVENT_GUARDS: Partial<Record<keyof typeof guards, ContractEvent['type']>> = {
  hasContractNo: 'contract.signed',
  claimFits: 'taskLine.claimed',
  verificationFits: 'village.verified',
  noticeTakesObjection: 'objection.filed',
  objectionIsOpen: 'objection.resolved',
  mediaObjectionUpheld: 'objection.resolved',
  noticeRunning: 'notice.elapsed',
  acceptanceFits: 'acceptance.completed',
  inTownAcceptance: 'taskLine.reworked',
  notYetClaimed: 'taskLine.withdrawn',
  approvalFits: 'audit.approved',
  payoutFits: 'payout.issued',
  isCurrentPayout: 'payout.confirmed',
  hasReason: 'contract.terminated',
};

describe('contract guards', () => {
  it.each(Object.entries(EVENT_GUARDS))('%s answers no to an event it is not about', (name) => {
    const guard = guards[name as keyof typeof guards];
    for (const context of [claimed().context, withRunningNotice().context]) {
      expect(guard({ context, event: { type: 'work.started', at: T0 } })).toBe(false);
    }
  });

  it('allTaskLinesDone wants at least one accepted line: withdrawn ones alone are not done', () => {
    const context = structuredClone(claimed().context);
    context.taskLines.WHEAT.state = 'withdrawn';
    const event: ContractEvent = { type: 'work.started', at: T0 };
    expect(guards.allTaskLinesDone({ context, event })).toBe(false);
    context.taskLines.WHEAT.state = 'accepted';
    expect(guards.allTaskLinesDone({ context, event })).toBe(true);
  });
});

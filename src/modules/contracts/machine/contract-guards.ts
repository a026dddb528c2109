import type { AuditBureau, ContractContext, ContractEvent } from './contract.types';
import { line, noticeOf, noticeTakesObjections, sum } from './contract-context';
import {
  acceptanceRefusal,
  approvalRefusal,
  payoutRefusal,
  sampleRefusal,
  verificationRefusal,
  visitRefusal,
} from './refusals';

/** What a guard sees: the contract's context and the event (XState's guard arguments). */
interface GuardArgs {
  context: ContractContext;
  event: ContractEvent;
}

/**
 * The machine's guards, by name (contract.machine.ts wires them to its transitions). Each is a
 * rule about the contract's state; where a client needs the reason for a refusal, the guard is
 * the rule of refusals.ts, so that a rule is written once.
 */
export const guards = {
  hasContractNo: ({ event }) => event.type === 'contract.signed' && event.contractNo.trim() !== '',

  claimFits: ({ context, event }) => {
    if (event.type !== 'taskLine.claimed') return false;
    const taskLine = line(context, event.taskCode);
    const villages = event.villages.map((village) => village.villageCode);
    return (
      taskLine !== undefined &&
      taskLine.state === 'working' &&
      event.villages.length > 0 &&
      new Set(villages).size === villages.length &&
      event.villages.every((village) => village.claimedArea > 0) &&
      sum(event.villages.map((village) => village.claimedArea)) <= taskLine.assignedArea
    );
  },

  verificationFits: ({ context, event }) =>
    event.type === 'village.verified' && verificationRefusal(context, event) === undefined,

  noticeTakesObjection: ({ context, event }) =>
    event.type === 'objection.filed' && noticeTakesObjections(noticeOf(context, event.noticeId)),

  objectionIsOpen: ({ context, event }) =>
    event.type === 'objection.resolved' &&
    (noticeOf(context, event.noticeId)?.openObjections ?? 0) > 0,

  mediaObjectionUpheld: ({ context, event }) =>
    event.type === 'objection.resolved' &&
    event.outcome === 'upheld' &&
    context.mediaNotice?.noticeId === event.noticeId &&
    context.mediaNotice.openObjections > 0,

  noticeRunning: ({ context, event }) => {
    if (event.type !== 'notice.elapsed') return false;
    const notice = noticeOf(context, event.noticeId);
    return notice !== undefined && !notice.elapsed && event.at >= notice.endsAt;
  },

  acceptanceFits: ({ context, event }) =>
    event.type === 'acceptance.completed' && acceptanceRefusal(context, event) === undefined,

  inTownAcceptance: ({ context, event }) =>
    event.type === 'taskLine.reworked' && line(context, event.taskCode)?.state === 'townAcceptance',

  notYetClaimed: ({ context, event }) =>
    event.type === 'taskLine.withdrawn' &&
    ['pending', 'working'].includes(line(context, event.taskCode)?.state ?? '') &&
    Object.values(context.taskLines).some(
      (taskLine) => taskLine.taskCode !== event.taskCode && taskLine.state !== 'withdrawn',
    ),

  allTaskLinesDone: ({ context }) => {
    const lines = Object.values(context.taskLines);
    return (
      lines.every((taskLine) => taskLine.state === 'accepted' || taskLine.state === 'withdrawn') &&
      lines.some((taskLine) => taskLine.state === 'accepted')
    );
  },

  approvalFits: ({ context, event }) =>
    event.type === 'audit.approved' && approvalRefusal(context, event) === undefined,

  sampleFits: ({ context, event }) =>
    event.type === 'audit.sampleDrawn' && sampleRefusal(context, event) === undefined,

  visitFits: ({ context, event }) =>
    event.type === 'audit.visitRecorded' && visitRefusal(context, event) === undefined,

  bothBureausApproved: ({ context }) => {
    const bureaus = new Set<AuditBureau>(
      context.audit.approvals.map((approval) => approval.bureau),
    );
    return bureaus.has('agriculture') && bureaus.has('finance');
  },

  mediaNoticeCleared: ({ context }) =>
    context.mediaNotice !== null &&
    context.mediaNotice.elapsed &&
    context.mediaNotice.openObjections === 0,

  payoutFits: ({ context, event }) =>
    event.type === 'payout.issued' && payoutRefusal(context, event) === undefined,

  isCurrentPayout: ({ context, event }) =>
    (event.type === 'payout.confirmed' || event.type === 'payout.failed') &&
    context.payout?.payoutId === event.payoutId,

  hasReason: ({ event }) => event.type === 'contract.terminated' && event.reason.trim() !== '',
} satisfies Record<string, (args: GuardArgs) => boolean>;

import type { ContractContext, ContractEvent, NoticeState } from './contract.types';

/**
 * What a transition does outside the snapshot, as data: the workflow loop turns each effect into
 * its statement, in the same save as the transition (workflow/query-table-writes.ts). Pure: the
 * same transition always gives the same effects.
 */
export type Effect =
  /** A notice's 7 days are over with no open objection. */
  | { type: 'notice.clear'; noticeId: string }
  /** An upheld objection sent its part (or the contract) back: a new notice must run. */
  | { type: 'notice.supersede'; noticeId: string }
  /** The contract was terminated: every running notice closes and its timer is cancelled. */
  | { type: 'notices.terminate' };

/** The effects of the transition from `before` to `after` by `event` (contexts of one contract). */
export function effectsOf(
  before: ContractContext,
  after: ContractContext,
  event: ContractEvent,
): Effect[] {
  const effects: Effect[] = [];
  const beforeNotices = noticesOf(before);
  const afterNotices = noticesOf(after);
  for (const [noticeId, notice] of afterNotices) {
    const earlier = beforeNotices.get(noticeId);
    if (isCleared(notice) && !(earlier && isCleared(earlier)))
      effects.push({ type: 'notice.clear', noticeId });
  }
  for (const [noticeId, notice] of beforeNotices) {
    if (!afterNotices.has(noticeId) && !isCleared(notice))
      effects.push({ type: 'notice.supersede', noticeId });
  }
  if (event.type === 'contract.terminated') effects.push({ type: 'notices.terminate' });
  return effects;
}

function isCleared(notice: NoticeState): boolean {
  return notice.elapsed && notice.openObjections === 0;
}

function noticesOf(context: ContractContext): Map<string, NoticeState> {
  const notices = new Map<string, NoticeState>();
  for (const line of Object.values(context.taskLines)) {
    for (const part of Object.values(line.villageParts)) {
      if (part.notice) notices.set(part.notice.noticeId, part.notice);
    }
  }
  if (context.mediaNotice) notices.set(context.mediaNotice.noticeId, context.mediaNotice);
  return notices;
}

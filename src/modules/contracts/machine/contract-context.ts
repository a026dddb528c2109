import type {
  ContractContext,
  ContractEvent,
  NoticeState,
  TaskLine,
  VillagePart,
} from './contract.types';

import { maxAuditedArea } from './audit-sample';

type Of<T extends ContractEvent['type']> = Extract<ContractEvent, { type: T }>;

// The context helpers of the contract machine: pure functions over its context data.

/** A deep copy to change: assign() returns a new context, the old one stays untouched. */
export function edit(
  context: ContractContext,
  change: (draft: ContractContext) => void,
): ContractContext {
  const draft = structuredClone(context);
  change(draft);
  return draft;
}

export function line(context: ContractContext, taskCode: string): TaskLine | undefined {
  return Object.hasOwn(context.taskLines, taskCode) ? context.taskLines[taskCode] : undefined;
}

/** The village part whose running notice has this id. */
export function partWithNotice(
  context: ContractContext,
  noticeId: string,
): VillagePart | undefined {
  for (const taskLine of Object.values(context.taskLines)) {
    for (const villagePart of Object.values(taskLine.villageParts)) {
      if (villagePart.notice?.noticeId === noticeId) return villagePart;
    }
  }
  return undefined;
}

/** The task line and village of the part whose running notice has this id. */
export function partOf(
  context: ContractContext,
  noticeId: string,
): { taskCode: string; villageCode: string } | undefined {
  for (const taskLine of Object.values(context.taskLines)) {
    for (const villagePart of Object.values(taskLine.villageParts)) {
      if (villagePart.notice?.noticeId === noticeId)
        return { taskCode: taskLine.taskCode, villageCode: villagePart.villageCode };
    }
  }
  return undefined;
}

/** A notice of the contract by id: a village part's current notice, or the media notice. */
export function noticeOf(context: ContractContext, noticeId: string): NoticeState | undefined {
  if (context.mediaNotice?.noticeId === noticeId) return context.mediaNotice;
  return partWithNotice(context, noticeId)?.notice ?? undefined;
}

/** A notice takes objections until it has cleared: during its 7 days and after, while any is open. */
export function noticeTakesObjections(notice: NoticeState | undefined): boolean {
  return notice !== undefined && !(notice.elapsed && notice.openObjections === 0);
}

/** Whether the contract, in this state, takes an objection to this notice: not once terminated. */
export function contractTakesObjection(
  snapshot: { value: string; context: ContractContext },
  noticeId: string,
): boolean {
  return (
    snapshot.value !== 'terminated' && noticeTakesObjections(noticeOf(snapshot.context, noticeId))
  );
}

export const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** When the last village part of a line has cleared its notice, the line goes to town acceptance. */
export function settleTaskLine(taskLine: TaskLine): void {
  const parts = Object.values(taskLine.villageParts);
  if (
    parts.some((villagePart) => villagePart.state !== 'verifying') &&
    taskLine.state === 'claimed'
  ) {
    taskLine.state = 'villageVerification';
  }
  if (parts.length > 0 && parts.every((villagePart) => villagePart.state === 'noticeCleared')) {
    taskLine.state = 'townAcceptance';
    taskLine.verifiedArea = sum(parts.map((villagePart) => villagePart.verifiedArea ?? 0));
  }
}

/** A village notice whose 7 days are over and that has no open objection clears. */
export function settleVillagePart(villagePart: VillagePart): void {
  if (
    villagePart.state === 'noticeRunning' &&
    villagePart.notice &&
    !noticeTakesObjections(villagePart.notice)
  ) {
    villagePart.state = 'noticeCleared';
  }
}

export function applyObjectionOutcome(
  draft: ContractContext,
  event: Of<'objection.resolved'>,
): void {
  const notice = noticeOf(draft, event.noticeId) as NoticeState;
  notice.openObjections -= 1;
  if (draft.mediaNotice?.noticeId === event.noticeId) return; // media outcomes are transitions
  for (const taskLine of Object.values(draft.taskLines)) {
    for (const villagePart of Object.values(taskLine.villageParts)) {
      if (villagePart.notice?.noticeId !== event.noticeId) continue;
      if (event.outcome === 'upheld') {
        // The village verifies again and a new 7-day notice must run.
        villagePart.state = 'verifying';
        villagePart.verifiedArea = null;
        villagePart.notice = null;
      } else {
        settleVillagePart(villagePart);
      }
      settleTaskLine(taskLine);
    }
  }
}

/** Termination, by the district with a reason, from any state before payable (domain.md). */

/** What a task line's sampled rows add up to, once every sampled row is visited. */
export interface TaskLineSampleOutcome {
  taskCode: string;
  sampledArea: number;
  observedArea: number;
  acceptedArea: number;
  maxAuditedArea: number;
}

/** Whether the contract has a sample and every row of it is visited. */
export function sampleComplete(context: ContractContext): boolean {
  const sample = context.auditSample ?? null;
  return sample !== null && Object.values(sample.rows).every((row) => row.observedArea !== null);
}

/**
 * Per accepted task line, S, O, A and the most the audit may name (audit-sample.ts), once the
 * sample is fully visited; null before (or without a sample).
 */
export function sampleOutcomes(
  context: ContractContext,
): Record<string, TaskLineSampleOutcome> | null {
  const sample = context.auditSample ?? null;
  if (sample === null || !sampleComplete(context)) return null;
  const outcomes: Record<string, TaskLineSampleOutcome> = {};
  for (const taskLine of Object.values(context.taskLines)) {
    if (taskLine.state !== 'accepted') continue;
    const rows = Object.values(sample.rows).filter((row) => row.taskCode === taskLine.taskCode);
    const sampledArea = sum(rows.map((row) => row.verifiedArea));
    const observedArea = sum(rows.map((row) => row.observedArea ?? 0));
    const acceptedArea = taskLine.acceptedArea ?? 0;
    outcomes[taskLine.taskCode] = {
      taskCode: taskLine.taskCode,
      sampledArea,
      observedArea,
      acceptedArea,
      maxAuditedArea: maxAuditedArea({
        sampledArea,
        observedArea,
        acceptedArea,
        toleranceBasisPoints: sample.toleranceBasisPoints,
      }),
    };
  }
  return outcomes;
}

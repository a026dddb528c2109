import { assign, enqueueActions, setup } from 'xstate';
import { amountFen, cappedSubsidy } from '../../../common/values/money';
import { guards } from './contract-guards';
import type {
  AuditSampleState,
  ContractContext,
  ContractEvent,
  ContractInput,
  NoticeState,
  TaskLine,
  VillagePart,
} from './contract.types';
import {
  applyObjectionOutcome,
  edit,
  noticeOf,
  noticeTakesObjections,
  partOf,
  sampleOutcomes,
  settleTaskLine,
  settleVillagePart,
  sum,
} from './contract-context';

export { contractTakesObjection, noticeOf, noticeTakesObjections } from './contract-context';

/**
 * The life of one service contract, from award to payout (domain.md, "The contract lifecycle").
 *
 * Pure: no database, no clock, no I/O. Time arrives on events (`at`); notice deadlines are
 * database timers that send `notice.elapsed` (XState does not restore delayed transitions from a
 * persisted snapshot). Task lines and their village parts are context data, not spawned actors,
 * so that the whole contract is restored and advanced as one snapshot.
 *
 * Raise MACHINE_VERSION when a change makes old snapshots unfit, and add a step to
 * `snapshot-migrations.ts`.
 */
export const MACHINE_VERSION = 4;

/** The input of the throw-away actor that XState's `transition()` creates (see `context`). */
const NO_INPUT: ContractInput = { contractId: '', taskLines: [] };

type Of<T extends ContractEvent['type']> = Extract<ContractEvent, { type: T }>;

/**
 * An effect: what a transition does outside the snapshot (effects.ts). Nothing runs inside the
 * machine; `transition()` returns it with its params among its actions, and the loop applies it.
 */
const effect =
  <P extends object | undefined>() =>
  (_args: unknown, _params: P): void =>
    undefined;

const terminate = {
  'contract.terminated': {
    target: '#contract.terminated',
    guard: 'hasReason',
    actions: ['recordTermination', 'notices.terminate'],
  },
} as const;

export const contractMachine = setup({
  types: {
    context: {} as ContractContext,
    events: {} as ContractEvent,
    input: {} as ContractInput,
  },
  guards,
  actions: {
    // The effects (effects.ts), each with the params the loop needs to write it.
    'notice.clear': effect<{ noticeId: string }>(),
    'notice.supersede': effect<{ noticeId: string }>(),
    'notices.terminate': effect<undefined>(),
    'registerRows.claim': effect<{ taskCode: string }>(),
    'registerRows.rework': effect<{ taskCode: string }>(),
    'registerRows.unverify': effect<{ taskCode: string; villageCode: string }>(),
    'acceptanceRecords.supersede': effect<{ taskCode: string }>(),
    'payout.confirm': effect<{ payoutId: string; bankReference: string | null }>(),
    'payout.fail': effect<{ payoutId: string; failureReason: string | null }>(),

    /** After the event: the notice it names has cleared (its 7 days over, no objection open). */
    clearSettledNotice: enqueueActions(({ context, event, enqueue }) => {
      const { noticeId } = event as Of<'notice.elapsed'> | Of<'objection.resolved'>;
      const notice = noticeOf(context, noticeId);
      if (notice && !noticeTakesObjections(notice))
        enqueue({ type: 'notice.clear', params: { noticeId } });
    }),

    /**
     * Before the event: an upheld objection to a village notice withdraws that notice, and the
     * village verifies its rows again (applyObjectionOutcome).
     */
    supersedeUpheldNotice: enqueueActions(({ context, event, enqueue }) => {
      const { noticeId, outcome } = event as Of<'objection.resolved'>;
      const part = partOf(context, noticeId);
      if (outcome !== 'upheld' || !part) return;
      enqueue({ type: 'notice.supersede', params: { noticeId } });
      enqueue({
        type: 'registerRows.unverify',
        params: { taskCode: part.taskCode, villageCode: part.villageCode },
      });
    }),

    recordSigning: assign(({ context, event }) => {
      const { contractNo, signedOn } = event as Of<'contract.signed'>;
      return edit(context, (draft) => {
        draft.contractNo = contractNo;
        draft.signedOn = signedOn;
      });
    }),

    startWork: assign(({ context }) =>
      edit(context, (draft) => {
        for (const taskLine of Object.values(draft.taskLines)) {
          if (taskLine.state === 'pending') taskLine.state = 'working';
        }
      }),
    ),

    recordClaim: assign(({ context, event }) => {
      const claim = event as Of<'taskLine.claimed'>;
      return edit(context, (draft) => {
        const taskLine = draft.taskLines[claim.taskCode];
        taskLine.state = 'claimed';
        taskLine.claimedArea = sum(claim.villages.map((village) => village.claimedArea));
        taskLine.verifiedArea = null;
        taskLine.acceptedArea = null;
        taskLine.villageParts = Object.fromEntries(
          claim.villages.map((village) => [
            village.villageCode,
            {
              villageCode: village.villageCode,
              state: 'verifying',
              claimedArea: village.claimedArea,
              verifiedArea: null,
              acceptedArea: null,
              notice: null,
            } satisfies VillagePart,
          ]),
        );
      });
    }),

    recordVerification: assign(({ context, event }) => {
      const verified = event as Of<'village.verified'>;
      return edit(context, (draft) => {
        const villagePart = draft.taskLines[verified.taskCode].villageParts[verified.villageCode];
        villagePart.state = 'noticeRunning';
        villagePart.verifiedArea = verified.verifiedArea;
        villagePart.notice = {
          noticeId: verified.noticeId,
          endsAt: verified.noticeEndsAt,
          elapsed: false,
          openObjections: 0,
        };
        settleTaskLine(draft.taskLines[verified.taskCode]);
      });
    }),

    recordObjection: assign(({ context, event }) => {
      const filed = event as Of<'objection.filed'>;
      return edit(context, (draft) => {
        (noticeOf(draft, filed.noticeId) as NoticeState).openObjections += 1;
      });
    }),

    resolveObjection: assign(({ context, event }) =>
      edit(context, (draft) => applyObjectionOutcome(draft, event as Of<'objection.resolved'>)),
    ),

    reopenAudit: assign(({ context }) =>
      edit(context, (draft) => {
        draft.mediaNotice = null;
        draft.subsidyFen = null;
        draft.capCutFen = null;
        for (const taskLine of Object.values(draft.taskLines)) taskLine.amountFen = null;
      }),
    ),

    recordNoticeElapsed: assign(({ context, event }) => {
      const elapsed = event as Of<'notice.elapsed'>;
      return edit(context, (draft) => {
        (noticeOf(draft, elapsed.noticeId) as NoticeState).elapsed = true;
        for (const taskLine of Object.values(draft.taskLines)) {
          for (const villagePart of Object.values(taskLine.villageParts)) {
            if (villagePart.notice?.noticeId === elapsed.noticeId) {
              settleVillagePart(villagePart);
              settleTaskLine(taskLine);
            }
          }
        }
      });
    }),

    recordAcceptance: assign(({ context, event }) => {
      const accepted = event as Of<'acceptance.completed'>;
      return edit(context, (draft) => {
        const taskLine = draft.taskLines[accepted.taskCode];
        for (const village of accepted.villages) {
          taskLine.villageParts[village.villageCode].acceptedArea = village.acceptedArea;
        }
        taskLine.acceptedArea = sum(accepted.villages.map((village) => village.acceptedArea));
        taskLine.state = 'accepted';
      });
    }),

    reworkTaskLine: assign(({ context, event }) => {
      const { taskCode } = event as Of<'taskLine.reworked'>;
      return edit(context, (draft) => {
        const taskLine = draft.taskLines[taskCode];
        taskLine.state = 'working';
        taskLine.claimedArea = null;
        taskLine.verifiedArea = null;
        taskLine.acceptedArea = null;
        taskLine.villageParts = {};
      });
    }),

    withdrawTaskLine: assign(({ context, event }) => {
      const { taskCode } = event as Of<'taskLine.withdrawn'>;
      return edit(context, (draft) => {
        draft.taskLines[taskCode].state = 'withdrawn';
      });
    }),

    recordApproval: assign(({ context, event }) => {
      const approval = event as Of<'audit.approved'>;
      return edit(context, (draft) => {
        if (draft.audit.approvals.length === 0) {
          // The first approval fixes the audited areas: the accepted ones unless it lowers them,
          // or, with a fully visited audit sample, the most its visits support.
          const outcomes = sampleOutcomes(draft);
          for (const taskLine of Object.values(draft.taskLines)) {
            if (taskLine.state !== 'accepted') continue;
            const audited = approval.taskLines?.find(
              (candidate) => candidate.taskCode === taskLine.taskCode,
            );
            taskLine.auditedArea =
              audited?.auditedArea ??
              outcomes?.[taskLine.taskCode]?.maxAuditedArea ??
              taskLine.acceptedArea;
          }
        }
        draft.audit.approvals.push({
          bureau: approval.bureau,
          approverId: approval.approverId,
          at: approval.at,
          ...(approval.note ? { note: approval.note } : {}),
        });
        if (approval.capRemainingFen !== undefined) {
          draft.audit.capRemainingFen = approval.capRemainingFen;
        }
      });
    }),

    resetApprovals: assign(({ context }) =>
      edit(context, (draft) => {
        draft.audit = { approvals: [] };
        for (const taskLine of Object.values(draft.taskLines)) taskLine.auditedArea = null;
      }),
    ),

    computeSubsidy: assign(({ context }) =>
      edit(context, (draft) => {
        // Computed once, on each line's total (domain.md, "Money and area"), at the subsidy per
        // mu fixed at the award; then cut to what is left of the organisation's cap, if any.
        for (const taskLine of Object.values(draft.taskLines)) {
          taskLine.amountFen =
            taskLine.state === 'accepted'
              ? amountFen(taskLine.auditedArea ?? 0, taskLine.subsidyPerMuFen)
              : null;
        }
        const { subsidyFen, capCutFen } = cappedSubsidy(
          sum(Object.values(draft.taskLines).map((taskLine) => taskLine.amountFen ?? 0)),
          draft.audit.capRemainingFen ?? null,
        );
        draft.subsidyFen = subsidyFen;
        draft.capCutFen = capCutFen;
      }),
    ),

    recordSample: assign(({ context, event }) => {
      const drawn = event as Of<'audit.sampleDrawn'>;
      return edit(context, (draft) => {
        draft.auditSample = {
          sampleId: drawn.sampleId,
          toleranceBasisPoints: drawn.toleranceBasisPoints,
          rows: Object.fromEntries(
            drawn.rows.map((row) => [
              row.rowId,
              { taskCode: row.taskCode, verifiedArea: row.verifiedArea, observedArea: null },
            ]),
          ),
        };
      });
    }),

    recordVisit: assign(({ context, event }) => {
      const visit = event as Of<'audit.visitRecorded'>;
      return edit(context, (draft) => {
        (draft.auditSample as AuditSampleState).rows[visit.rowId].observedArea = visit.observedArea;
      });
    }),

    openMediaNotice: assign(({ context, event }) => {
      const opened = event as Of<'mediaNotice.opened'>;
      return edit(context, (draft) => {
        draft.mediaNotice = {
          noticeId: opened.noticeId,
          endsAt: opened.noticeEndsAt,
          elapsed: false,
          openObjections: 0,
        };
      });
    }),

    recordPayout: assign(({ context, event }) => {
      const issued = event as Of<'payout.issued'>;
      return edit(context, (draft) => {
        draft.payout = { payoutId: issued.payoutId, amountFen: issued.amountFen };
      });
    }),

    clearPayout: assign(({ context }) =>
      edit(context, (draft) => {
        draft.payout = null;
      }),
    ),

    recordTermination: assign(({ context, event }) => {
      const { reason } = event as Of<'contract.terminated'>;
      return edit(context, (draft) => {
        draft.terminationReason = reason;
      });
    }),
  },
}).createMachine({
  id: 'contract',
  initial: 'awarded',
  // XState's pure transition() builds a throw-away actor, without input, on every call; the default
  // keeps that from throwing a TypeError (and capturing its stack) once per transition.
  context: ({ input = NO_INPUT }) => ({
    contractId: input.contractId,
    contractNo: null,
    signedOn: null,
    taskLines: Object.fromEntries(
      input.taskLines.map((taskLine) => [
        taskLine.taskCode,
        {
          taskCode: taskLine.taskCode,
          unitPriceFen: taskLine.unitPriceFen,
          subsidyPerMuFen: taskLine.subsidyPerMuFen ?? taskLine.unitPriceFen,
          assignedArea: taskLine.assignedArea,
          state: 'pending',
          claimedArea: null,
          verifiedArea: null,
          acceptedArea: null,
          auditedArea: null,
          amountFen: null,
          villageParts: {},
        } satisfies TaskLine,
      ]),
    ),
    audit: { approvals: [] },
    auditSample: null,
    mediaNotice: null,
    subsidyFen: null,
    capCutFen: null,
    payout: null,
    terminationReason: null,
  }),
  states: {
    awarded: {
      on: {
        'contract.signed': {
          target: 'contracted',
          guard: 'hasContractNo',
          actions: 'recordSigning',
        },
        ...terminate,
      },
    },
    contracted: {
      on: { 'work.started': { target: 'inService', actions: 'startWork' }, ...terminate },
    },
    inService: {
      always: { target: 'districtAudit', guard: 'allTaskLinesDone' },
      on: {
        ...terminate,
        'taskLine.claimed': {
          guard: 'claimFits',
          actions: [
            'recordClaim',
            {
              type: 'registerRows.claim',
              params: ({ event }) => ({ taskCode: event.taskCode }),
            },
          ],
        },
        'village.verified': { guard: 'verificationFits', actions: 'recordVerification' },
        'objection.filed': { guard: 'noticeTakesObjection', actions: 'recordObjection' },
        'objection.resolved': {
          guard: 'objectionIsOpen',
          actions: ['supersedeUpheldNotice', 'resolveObjection', 'clearSettledNotice'],
        },
        'notice.elapsed': {
          guard: 'noticeRunning',
          actions: ['recordNoticeElapsed', 'clearSettledNotice'],
        },
        'acceptance.completed': { guard: 'acceptanceFits', actions: 'recordAcceptance' },
        'taskLine.reworked': {
          guard: 'inTownAcceptance',
          actions: [
            'reworkTaskLine',
            {
              type: 'acceptanceRecords.supersede',
              params: ({ event }) => ({ taskCode: event.taskCode }),
            },
            {
              type: 'registerRows.rework',
              params: ({ event }) => ({ taskCode: event.taskCode }),
            },
          ],
        },
        'taskLine.withdrawn': { guard: 'notYetClaimed', actions: 'withdrawTaskLine' },
      },
    },
    districtAudit: {
      always: { target: 'audited', guard: 'bothBureausApproved', actions: 'computeSubsidy' },
      on: {
        ...terminate,
        'audit.approved': { guard: 'approvalFits', actions: 'recordApproval' },
        'audit.rejected': { actions: 'resetApprovals' },
        'audit.sampleDrawn': { guard: 'sampleFits', actions: 'recordSample' },
        'audit.visitRecorded': { guard: 'visitFits', actions: 'recordVisit' },
      },
    },
    audited: {
      on: {
        'mediaNotice.opened': { target: 'mediaNotice', actions: 'openMediaNotice' },
        ...terminate,
      },
    },
    mediaNotice: {
      always: { target: 'payable', guard: 'mediaNoticeCleared' },
      on: {
        ...terminate,
        'objection.filed': { guard: 'noticeTakesObjection', actions: 'recordObjection' },
        'objection.resolved': [
          {
            target: 'districtAudit',
            guard: 'mediaObjectionUpheld',
            actions: [
              'resolveObjection',
              'reopenAudit',
              'resetApprovals',
              {
                type: 'notice.supersede',
                params: ({ event }) => ({ noticeId: event.noticeId }),
              },
            ],
          },
          { guard: 'objectionIsOpen', actions: ['resolveObjection', 'clearSettledNotice'] },
        ],
        'notice.elapsed': {
          guard: 'noticeRunning',
          actions: ['recordNoticeElapsed', 'clearSettledNotice'],
        },
      },
    },
    payable: {
      on: {
        'payout.issued': {
          target: 'payoutIssued',
          guard: 'payoutFits',
          actions: 'recordPayout',
        },
      },
    },
    payoutIssued: {
      on: {
        'payout.confirmed': {
          target: 'paid',
          guard: 'isCurrentPayout',
          actions: {
            type: 'payout.confirm',
            params: ({ event }) => {
              const { payoutId, bankReference } = event;
              return { payoutId, bankReference: bankReference ?? null };
            },
          },
        },
        'payout.failed': {
          target: 'payable',
          guard: 'isCurrentPayout',
          actions: [
            'clearPayout',
            {
              type: 'payout.fail',
              params: ({ event }) => {
                const { payoutId, failureReason } = event;
                return { payoutId, failureReason: failureReason ?? null };
              },
            },
          ],
        },
      },
    },
    paid: { type: 'final' },
    terminated: { type: 'final' },
  },
});

export type ContractMachine = typeof contractMachine;

import type { Message } from '../../../common/i18n/message';
import type { AcceptanceRole } from '../../auth/roles';

/** A signature on a town acceptance record, as the quorum rule (refusals.ts) reads it. */
export interface AcceptanceSigner {
  signerId: string;
  acceptanceRole: AcceptanceRole;
  decision: 'pass' | 'fail';
}
/** Types of the contract machine: its context, events and input. Plain data, JSON-serialisable. */

export type TaskLineState =
  | 'pending'
  | 'working'
  | 'claimed'
  | 'villageVerification'
  | 'townAcceptance'
  | 'accepted'
  | 'withdrawn';

export type VillagePartState = 'verifying' | 'noticeRunning' | 'noticeCleared';

export type ContractState =
  | 'awarded'
  | 'contracted'
  | 'inService'
  | 'districtAudit'
  | 'audited'
  | 'mediaNotice'
  | 'payable'
  | 'payoutIssued'
  | 'paid'
  | 'terminated';

export type AuditBureau = 'agriculture' | 'finance';

/** A 7-day notice (公示) as the machine sees it. Instants are ISO 8601 UTC strings. */
export interface NoticeState {
  noticeId: string;
  endsAt: string;
  /** Its 7 days are over (the timer has fired). */
  elapsed: boolean;
  /**
   * How many objections are filed and not yet resolved. Which ones is the objection table's to
   * say (the service checks the row under the contract's lock): a count keeps the snapshot the
   * same size however many objections a notice gets (machine version 2).
   */
  openObjections: number;
}

/** Areas are hundredths of a mu; money is fen. */
export interface VillagePart {
  villageCode: string;
  state: VillagePartState;
  claimedArea: number;
  verifiedArea: number | null;
  acceptedArea: number | null;
  notice: NoticeState | null;
}

export interface TaskLine {
  taskCode: string;
  unitPriceFen: number;
  /**
   * What the subsidy pays per mu (fen): the unit price under the 2014 rule, or the policy's share
   * of it up to its cap per mu, fixed at the award (machine version 3).
   */
  subsidyPerMuFen: number;
  assignedArea: number;
  state: TaskLineState;
  claimedArea: number | null;
  verifiedArea: number | null;
  acceptedArea: number | null;
  auditedArea: number | null;
  amountFen: number | null;
  villageParts: Record<string, VillagePart>;
}

/** A register row of the audit sample, as the machine sees it (hundredths of a mu). */
export interface SampledRow {
  taskCode: string;
  verifiedArea: number;
  /** What the visit found; null until the row is visited. */
  observedArea: number | null;
}

/**
 * The district audit's sample (machine version 4): drawn once per contract, kept through an
 * audit rejection. The rows' households, visits and photos are the sample tables' to keep.
 */
export interface AuditSampleState {
  sampleId: string;
  /** Hundredths of a percent. */
  toleranceBasisPoints: number;
  rows: Record<string, SampledRow>;
}

export interface ContractContext {
  contractId: string;
  contractNo: string | null;
  signedOn: string | null;
  taskLines: Record<string, TaskLine>;
  audit: {
    /** `note`: what the approver wrote (审核意见); printed on the audit sheet. */
    approvals: { bureau: AuditBureau; approverId: string; at: string; note?: string }[];
    /**
     * What is left of the organisation's cap under the contract's policy, as the service found it
     * (under the cap's lock) for the latest approval; null: no cap applies.
     */
    capRemainingFen?: number | null;
  };
  /** The district audit's sample; null until one is drawn (machine version 4). */
  auditSample: AuditSampleState | null;
  mediaNotice: NoticeState | null;
  subsidyFen: number | null;
  /** What the organisation's cap cut from the subsidy (fen); null until the audit confirms it. */
  capCutFen: number | null;
  payout: { payoutId: string; amountFen: number } | null;
  terminationReason: string | null;
}

export interface ContractInput {
  contractId: string;
  taskLines: {
    taskCode: string;
    unitPriceFen: number;
    assignedArea: number;
    /** Without it, the unit price (the 2014 rule: no policy). */
    subsidyPerMuFen?: number;
  }[];
}

/** Every event carries the instant it happened (`at`, ISO 8601 UTC): the machine reads no clock. */
export type ContractEvent =
  | { type: 'contract.signed'; at: string; contractNo: string; signedOn: string }
  | { type: 'work.started'; at: string }
  | {
      type: 'taskLine.claimed';
      at: string;
      taskCode: string;
      villages: { villageCode: string; claimedArea: number }[];
    }
  | {
      type: 'village.verified';
      at: string;
      taskCode: string;
      villageCode: string;
      verifiedArea: number;
      noticeId: string;
      noticeEndsAt: string;
    }
  | { type: 'objection.filed'; at: string; noticeId: string; objectionId: string }
  | {
      type: 'objection.resolved';
      at: string;
      noticeId: string;
      objectionId: string;
      outcome: 'dismissed' | 'upheld';
    }
  | { type: 'notice.elapsed'; at: string; noticeId: string }
  | {
      type: 'acceptance.completed';
      at: string;
      taskCode: string;
      villages: { villageCode: string; acceptedArea: number }[];
      /** The record's signatures: the machine checks the quorum itself. */
      signers: AcceptanceSigner[];
    }
  | { type: 'taskLine.reworked'; at: string; taskCode: string }
  | { type: 'taskLine.withdrawn'; at: string; taskCode: string }
  | {
      type: 'audit.approved';
      at: string;
      bureau: AuditBureau;
      approverId: string;
      /** Only with the first approval: audited areas that are lower than the accepted ones. */
      taskLines?: { taskCode: string; auditedArea: number }[];
      note?: string;
      /** The organisation's cap left under the contract's policy (a fact the service finds). */
      capRemainingFen?: number | null;
      /** The pinned policy has `auditSample`: no approval before the sample is fully visited. */
      sampleRequired?: boolean;
    }
  | {
      type: 'audit.sampleDrawn';
      at: string;
      sampleId: string;
      seed: string;
      /** The head of the district's audit chain the seed was made from. */
      chainSeq: number | null;
      chainHash: string;
      toleranceBasisPoints: number;
      rows: { rowId: string; taskCode: string; verifiedArea: number }[];
    }
  | {
      type: 'audit.visitRecorded';
      at: string;
      sampleId: string;
      visitId: string;
      rowId: string;
      visitedOn: string;
      observedArea: number;
    }
  | { type: 'audit.rejected'; at: string; note?: string }
  | { type: 'mediaNotice.opened'; at: string; noticeId: string; noticeEndsAt: string }
  | {
      type: 'payout.issued';
      at: string;
      payoutId: string;
      amountFen: number;
      /** Facts the service finds: who issues it, and whether the provider is eligible today. */
      issuerId: string;
      providerEligible: boolean;
      /** Why not, for the refusal's message (a catalogue message, plain data). */
      providerReason?: Message | string;
    }
  /** The bank's answer: its reference (流水号) for a payment made, its reason for one refused. */
  | { type: 'payout.confirmed'; at: string; payoutId: string; bankReference?: string }
  | { type: 'payout.failed'; at: string; payoutId: string; failureReason?: string }
  | { type: 'contract.terminated'; at: string; reason: string };

export type ContractEventType = ContractEvent['type'];

/** The states as values, for the OpenAPI document's enums; `satisfies` keeps them complete. */
export const CONTRACT_STATES = [
  'awarded',
  'contracted',
  'inService',
  'districtAudit',
  'audited',
  'mediaNotice',
  'payable',
  'payoutIssued',
  'paid',
  'terminated',
] as const satisfies readonly ContractState[];
export const TASK_LINE_STATES = [
  'pending',
  'working',
  'claimed',
  'villageVerification',
  'townAcceptance',
  'accepted',
  'withdrawn',
] as const satisfies readonly TaskLineState[];
export const VILLAGE_PART_STATES = [
  'verifying',
  'noticeRunning',
  'noticeCleared',
] as const satisfies readonly VillagePartState[];
// Fails to compile when a state type gains a member the list above lacks.
type Missing<T, L extends readonly unknown[]> = Exclude<T, L[number]>;
export const STATE_LISTS_COMPLETE: [
  Missing<ContractState, typeof CONTRACT_STATES>,
  Missing<TaskLineState, typeof TASK_LINE_STATES>,
  Missing<VillagePartState, typeof VILLAGE_PART_STATES>,
] extends [never, never, never]
  ? true
  : never = true;

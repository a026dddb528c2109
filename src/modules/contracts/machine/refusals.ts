import { msg, type Message } from '../../../common/i18n/message';
import { formatMu } from '../../../common/values/decimal-units';
import { ACCEPTANCE_ROLES, type AcceptanceRole } from '../../auth/roles';
import { contractTakesObjection, sampleComplete, sampleOutcomes } from './contract-context';
import type { AcceptanceSigner, ContractContext, ContractEvent } from './contract.types';

export type { AcceptanceSigner } from './contract.types';

/**
 * Why the machine refuses an event: a code of the error registry, a message for people (a
 * catalogue key and its parameters: the words are rendered at the edge, in the request's
 * language, so the machine stays pure), and the field of the request it concerns. The machine's guards are these rules (a guard passes when
 * its rule finds nothing to refuse), so a rule is written once and the refusal a client gets is
 * the machine's own.
 */
export interface Refusal {
  code:
    | 'INVALID_TRANSITION'
    | 'SEPARATION_OF_DUTIES'
    | 'APPROVAL_EXISTS'
    | 'AREA_ABOVE_PREVIOUS_STAGE'
    | 'VALIDATION_FAILED'
    | 'QUORUM_NOT_MET'
    | 'NOTICE_CLOSED'
    | 'PAYOUT_EXISTS'
    | 'PROVIDER_NOT_ELIGIBLE'
    | 'AUDIT_SAMPLE_EXISTS'
    | 'NOT_IN_SAMPLE'
    | 'ALREADY_VISITED'
    | 'AUDIT_SAMPLE_INCOMPLETE'
    | 'AUDIT_SAMPLE_SHORTFALL';
  message: Message;
  field?: string;
}

type Of<T extends ContractEvent['type']> = Extract<ContractEvent, { type: T }>;

/** A record's own entry only: a task code like `constructor` must not reach the prototype. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Town acceptance (domain.md): at least five distinct signers who passed, covering four roles. */
export const QUORUM = 5;

export function acceptanceQuorum(signers: readonly AcceptanceSigner[]): {
  passCount: number;
  rolesCovered: AcceptanceRole[];
  met: boolean;
} {
  const passes = new Map<string, AcceptanceRole>();
  for (const signer of signers)
    if (signer.decision === 'pass') passes.set(signer.signerId, signer.acceptanceRole);
  const roles = new Set(passes.values());
  const rolesCovered = ACCEPTANCE_ROLES.filter((role) => roles.has(role));
  const failed = signers.some((signer) => signer.decision === 'fail');
  return {
    passCount: passes.size,
    rolesCovered,
    met: !failed && passes.size >= QUORUM && rolesCovered.length === ACCEPTANCE_ROLES.length,
  };
}

/** A village verification: its part is verifying, and the verified area is not above the claim. */
export function verificationRefusal(
  context: ContractContext,
  event: Of<'village.verified'>,
): Refusal | undefined {
  const taskLine = own(context.taskLines, event.taskCode);
  const villagePart = taskLine ? own(taskLine.villageParts, event.villageCode) : undefined;
  if (!villagePart || villagePart.state !== 'verifying') {
    return {
      code: 'INVALID_TRANSITION',
      message: msg('refusal.villagePartState', {
        taskCode: event.taskCode,
        villageCode: event.villageCode,
        state: villagePart?.state,
      }),
    };
  }
  if (event.verifiedArea < 0 || event.verifiedArea > villagePart.claimedArea) {
    return {
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
      message: msg('refusal.verifiedAboveClaimed', {
        villageCode: event.villageCode,
        verified: formatMu(event.verifiedArea),
        claimed: formatMu(villagePart.claimedArea),
      }),
      field: 'rows',
    };
  }
  return undefined;
}

/** The accepted areas of a town acceptance: every village part once, none above its verified area. */
export function acceptedAreasRefusal(
  context: ContractContext,
  taskCode: string,
  villages: readonly { villageCode: string; acceptedArea: number }[],
): Refusal | undefined {
  const taskLine = own(context.taskLines, taskCode);
  if (!taskLine) {
    return { code: 'INVALID_TRANSITION', message: msg('refusal.noTaskLine', { taskCode }) };
  }
  const parts = Object.keys(taskLine.villageParts);
  const named = new Set(villages.map((village) => village.villageCode));
  if (
    villages.length !== parts.length ||
    named.size !== parts.length ||
    !villages.every((village) => own(taskLine.villageParts, village.villageCode) !== undefined)
  ) {
    return {
      code: 'VALIDATION_FAILED',
      message: msg('refusal.nameEveryVillagePart', { taskCode, parts: parts.join(', ') }),
      field: 'villages',
    };
  }
  for (const [index, village] of villages.entries()) {
    const verified = own(taskLine.villageParts, village.villageCode)?.verifiedArea ?? 0;
    if (village.acceptedArea < 0 || village.acceptedArea > verified) {
      return {
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: msg('refusal.acceptedAboveVerified', {
          villageCode: village.villageCode,
          accepted: formatMu(village.acceptedArea),
          verified: formatMu(verified),
        }),
        field: `villages[${index}].acceptedAreaMu`,
      };
    }
  }
  return undefined;
}

/** Town acceptance completes: the line is in town acceptance, the areas fit, the quorum is met. */
export function acceptanceRefusal(
  context: ContractContext,
  event: Of<'acceptance.completed'>,
): Refusal | undefined {
  const taskLine = own(context.taskLines, event.taskCode);
  if (!taskLine || taskLine.state !== 'townAcceptance') {
    return {
      code: 'INVALID_TRANSITION',
      message: msg('refusal.taskLineState', { taskCode: event.taskCode, state: taskLine?.state }),
    };
  }
  const areas = acceptedAreasRefusal(context, event.taskCode, event.villages);
  if (areas) return areas;
  const quorum = acceptanceQuorum(event.signers);
  if (!quorum.met) {
    return {
      code: 'QUORUM_NOT_MET',
      message: msg('refusal.quorum', {
        quorum: QUORUM,
        roles: ACCEPTANCE_ROLES.join(', '),
        passCount: quorum.passCount,
        covered: quorum.rolesCovered.join(', '),
      }),
    };
  }
  return undefined;
}

/**
 * A district audit approval: one per bureau, by two different people; the first fixes the
 * audited areas (only down, only on accepted lines), the second confirms them unchanged.
 */
export function approvalRefusal(
  context: ContractContext,
  event: Of<'audit.approved'>,
): Refusal | undefined {
  const approvals = context.audit.approvals;
  if (approvals.some((approval) => approval.approverId === event.approverId)) {
    return {
      code: 'SEPARATION_OF_DUTIES',
      message: msg('refusal.sameApprover'),
    };
  }
  if (approvals.some((approval) => approval.bureau === event.bureau)) {
    return {
      code: 'APPROVAL_EXISTS',
      message: msg('refusal.bureauApproved', { bureau: event.bureau }),
    };
  }
  if (approvals.length > 0 && event.taskLines !== undefined) {
    return {
      code: 'VALIDATION_FAILED',
      message: msg('refusal.secondApprovalChanges'),
      field: 'taskLines',
    };
  }
  if (approvals.length === 0 && event.sampleRequired === true && !sampleComplete(context)) {
    const sample = context.auditSample ?? null;
    const open = sample
      ? Object.values(sample.rows).filter((row) => row.observedArea === null).length
      : null;
    return {
      code: 'AUDIT_SAMPLE_INCOMPLETE',
      message:
        open === null ? msg('refusal.sampleNotDrawn') : msg('refusal.sampleNotVisited', { open }),
    };
  }
  const outcomes = approvals.length === 0 ? sampleOutcomes(context) : null;
  for (const [index, audited] of (event.taskLines ?? []).entries()) {
    const taskLine = own(context.taskLines, audited.taskCode);
    if (!taskLine || taskLine.state !== 'accepted') {
      return {
        code: 'VALIDATION_FAILED',
        message: msg('refusal.noAcceptedTaskLine', { taskCode: audited.taskCode }),
        field: `taskLines[${index}].taskCode`,
      };
    }
    const accepted = taskLine.acceptedArea ?? 0;
    if (audited.auditedArea < 0 || audited.auditedArea > accepted) {
      return {
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: msg('refusal.auditedAboveAccepted', {
          taskCode: audited.taskCode,
          audited: formatMu(audited.auditedArea),
          accepted: formatMu(accepted),
        }),
        field: `taskLines[${index}].auditedAreaMu`,
      };
    }
    const outcome = outcomes ? own(outcomes, audited.taskCode) : undefined;
    if (outcome && audited.auditedArea > outcome.maxAuditedArea) {
      return {
        code: 'AUDIT_SAMPLE_SHORTFALL',
        message: msg('refusal.sampleShortfall', {
          taskCode: audited.taskCode,
          audited: formatMu(audited.auditedArea),
          max: formatMu(outcome.maxAuditedArea),
        }),
        field: `taskLines[${index}].auditedAreaMu`,
      };
    }
  }
  return undefined;
}

/** The district audit's sample: drawn once per contract, ever (also after a rejection). */
export function sampleRefusal(
  context: ContractContext,
  _event: Of<'audit.sampleDrawn'>,
): Refusal | undefined {
  if ((context.auditSample ?? null) !== null) {
    return {
      code: 'AUDIT_SAMPLE_EXISTS',
      message: msg('refusal.sampleExists'),
    };
  }
  return undefined;
}

/**
 * A visit of a sampled row: only of a row of this contract's sample, once, observing no more than
 * the row's verified area, not before the contract was signed.
 */
export function visitRefusal(
  context: ContractContext,
  event: Of<'audit.visitRecorded'>,
): Refusal | undefined {
  const sample = context.auditSample ?? null;
  const row =
    sample && sample.sampleId === event.sampleId ? own(sample.rows, event.rowId) : undefined;
  if (!row) {
    return {
      code: 'NOT_IN_SAMPLE',
      message: msg('refusal.notInSample', { rowId: event.rowId }),
      field: 'rowId',
    };
  }
  if (row.observedArea !== null) {
    return {
      code: 'ALREADY_VISITED',
      message: msg('refusal.alreadyVisited', { rowId: event.rowId }),
      field: 'rowId',
    };
  }
  if (event.observedArea < 0 || event.observedArea > row.verifiedArea) {
    return {
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
      message: msg('refusal.observedAboveVerified', {
        rowId: event.rowId,
        observed: formatMu(event.observedArea),
        verified: formatMu(row.verifiedArea),
      }),
      field: 'observedAreaMu',
    };
  }
  if (context.signedOn !== null && event.visitedOn < context.signedOn) {
    return {
      code: 'VALIDATION_FAILED',
      message: msg('refusal.visitBeforeSigning', { signedOn: context.signedOn }),
      field: 'visitedOn',
    };
  }
  return undefined;
}

/**
 * A payout: not by the approver of the audit's finance side (separation of duties), only to a
 * provider eligible today (the service finds the directory and blacklist entries), and exactly
 * the final subsidy.
 */
export function payoutRefusal(
  context: ContractContext,
  event: Of<'payout.issued'>,
): Refusal | undefined {
  const financeApproval = context.audit.approvals.find((approval) => approval.bureau === 'finance');
  if (financeApproval?.approverId === event.issuerId) {
    return {
      code: 'SEPARATION_OF_DUTIES',
      message: msg('refusal.payoutByApprover'),
    };
  }
  if (!event.providerEligible) {
    return {
      code: 'PROVIDER_NOT_ELIGIBLE',
      message: msg('refusal.providerNotEligible', { reason: event.providerReason }),
    };
  }
  if (
    context.subsidyFen === null ||
    context.subsidyFen <= 0 ||
    event.amountFen !== context.subsidyFen
  ) {
    return {
      code: 'INVALID_TRANSITION',
      message: msg('refusal.payoutAmount', { subsidyFen: context.subsidyFen ?? undefined }),
    };
  }
  return undefined;
}

/** An objection: only to a running notice of a contract that is not terminated, in any state. */
export function objectionRefusal(
  current: { value: string; context: ContractContext },
  event: Of<'objection.filed'>,
): Refusal | undefined {
  if (contractTakesObjection(current, event.noticeId)) return undefined;
  return { code: 'NOTICE_CLOSED', message: msg('refusal.noticeClosed') };
}

/** The rules that explain a refused event of each type, where one says more than the state. */
export const EXPLAINED: {
  [T in ContractEvent['type']]?: (context: ContractContext, event: Of<T>) => Refusal | undefined;
} = {
  'village.verified': verificationRefusal,
  'acceptance.completed': acceptanceRefusal,
  'audit.approved': approvalRefusal,
  'audit.sampleDrawn': sampleRefusal,
  'audit.visitRecorded': visitRefusal,
  'payout.issued': payoutRefusal,
};

/** A contract is paid once: not while its payout is issued or after it is confirmed (api.md). */
export function payoutExistsRefusal(current: {
  value: string;
  context: ContractContext;
}): Refusal | undefined {
  const payout = current.context.payout;
  if (payout === null) return undefined;
  return {
    code: 'PAYOUT_EXISTS',
    message: msg('refusal.payoutExists', { payoutId: payout.payoutId }),
  };
}

/** Rules that explain a refusal whatever the state (a closed notice is closed in every state). */
export const EXPLAINED_IN_ANY_STATE: {
  [T in ContractEvent['type']]?: (
    current: { value: string; context: ContractContext },
    event: Of<T>,
  ) => Refusal | undefined;
} = {
  'objection.filed': objectionRefusal,
  'payout.issued': payoutExistsRefusal,
};

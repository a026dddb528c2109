import fc from 'fast-check';
import { amountFen } from '../../../common/values/money';
import { MACHINE_VERSION } from './contract.machine';
import {
  acceptedEventTypes,
  initialContract,
  step,
  type PersistedContract,
} from './contract-lifecycle';
import type {
  AuditBureau,
  ContractEvent,
  ContractEventType,
  ContractInput,
  ContractState,
  NoticeState,
} from './contract.types';
import type { AcceptanceSigner } from './refusals';

/** Five members who passed, covering the four roles: a quorum. */
const QUORUM_SIGNERS: AcceptanceSigner[] = [
  { signerId: 'u1', acceptanceRole: 'technical_guidance', decision: 'pass' },
  { signerId: 'u2', acceptanceRole: 'township_leader', decision: 'pass' },
  { signerId: 'u3', acceptanceRole: 'station_head', decision: 'pass' },
  { signerId: 'u4', acceptanceRole: 'farmer_supervisor', decision: 'pass' },
  { signerId: 'u5', acceptanceRole: 'technical_guidance', decision: 'pass' },
];

/*
 * The pure contract machine, through initialContract/step only. Areas are hundredths of a mu,
 * money is fen, instants are ISO strings carried by the events (domain.md, "The contract
 * lifecycle", "Money and area", "Time").
 */

// ---------------------------------------------------------------------------------------------
// Time line of the default scenario
// ---------------------------------------------------------------------------------------------

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const BASE = Date.parse('2025-06-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const plus7Days = (at: string): string => iso(Date.parse(at) + 7 * DAY);

const SIGNED_AT = iso(BASE - 2 * DAY);
const WORK_AT = iso(BASE);
const CLAIM_AT = iso(BASE + 5 * DAY);
const VERIFY_AT = iso(BASE + 8 * DAY);
/** VERIFY_AT + 7 × 24 h. */
const NOTICE_END = plus7Days(VERIFY_AT);
const DURING_NOTICE = iso(BASE + 10 * DAY);
const AFTER_NOTICE = iso(Date.parse(NOTICE_END) + 2 * HOUR);
const ACCEPT_AT = iso(BASE + 17 * DAY);
const AUDIT_AT = iso(BASE + 20 * DAY);
const MEDIA_AT = iso(BASE + 22 * DAY);
const MEDIA_END = plus7Days(MEDIA_AT);
const PAY_AT = iso(BASE + 30 * DAY);

// ---------------------------------------------------------------------------------------------
// The default contract: wheat harvest 63.67 yuan/mu and straw crushing 19.33 yuan/mu
// ---------------------------------------------------------------------------------------------

const INPUT: ContractInput = {
  contractId: 'contract-1',
  taskLines: [
    { taskCode: 'WHEAT', unitPriceFen: 6367, assignedArea: 200_000 },
    { taskCode: 'STRAW', unitPriceFen: 1933, assignedArea: 100_000 },
  ],
};

type Villages = { villageCode: string; claimedArea: number }[];

/** Wheat: 1,000.00 + 234.56 = 1,234.56 mu (the domain example); straw: 10.50 mu. */
const CLAIMS: Record<string, Villages> = {
  WHEAT: [
    { villageCode: 'V1', claimedArea: 100_000 },
    { villageCode: 'V2', claimedArea: 23_456 },
  ],
  STRAW: [{ villageCode: 'V1', claimedArea: 1_050 }],
};

/** 1,234.56 mu × 63.67 yuan/mu = 78,604.4352 → 78,604.44 yuan. */
const WHEAT_FEN = 7_860_444;
/** 10.50 mu × 19.33 yuan/mu = 202.965 → 202.97 yuan (half up). */
const STRAW_FEN = 20_297;
const SUBSIDY_FEN = WHEAT_FEN + STRAW_FEN;

const noticeIdOf = (taskCode: string, villageCode: string): string =>
  `N-${taskCode}-${villageCode}`;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const ev = {
  signed: (contractNo = 'QC-2015-001'): ContractEvent => ({
    type: 'contract.signed',
    at: SIGNED_AT,
    contractNo,
    signedOn: '2025-05-30',
  }),
  workStarted: (): ContractEvent => ({ type: 'work.started', at: WORK_AT }),
  claimed: (taskCode: string, villages: Villages): ContractEvent => ({
    type: 'taskLine.claimed',
    at: CLAIM_AT,
    taskCode,
    villages,
  }),
  verified: (
    taskCode: string,
    villageCode: string,
    verifiedArea: number,
    noticeId = noticeIdOf(taskCode, villageCode),
    at = VERIFY_AT,
  ): ContractEvent => ({
    type: 'village.verified',
    at,
    taskCode,
    villageCode,
    verifiedArea,
    noticeId,
    noticeEndsAt: plus7Days(at),
  }),
  filed: (noticeId: string, objectionId: string, at = DURING_NOTICE): ContractEvent => ({
    type: 'objection.filed',
    at,
    noticeId,
    objectionId,
  }),
  resolved: (
    noticeId: string,
    objectionId: string,
    outcome: 'dismissed' | 'upheld',
    at = AFTER_NOTICE,
  ): ContractEvent => ({ type: 'objection.resolved', at, noticeId, objectionId, outcome }),
  elapsed: (noticeId: string, at = NOTICE_END): ContractEvent => ({
    type: 'notice.elapsed',
    at,
    noticeId,
  }),
  acceptance: (
    taskCode: string,
    villages: { villageCode: string; acceptedArea: number }[],
  ): ContractEvent => ({
    type: 'acceptance.completed',
    at: ACCEPT_AT,
    taskCode,
    villages,
    signers: QUORUM_SIGNERS,
  }),
  reworked: (taskCode: string): ContractEvent => ({
    type: 'taskLine.reworked',
    at: ACCEPT_AT,
    taskCode,
  }),
  withdrawn: (taskCode: string): ContractEvent => ({
    type: 'taskLine.withdrawn',
    at: CLAIM_AT,
    taskCode,
  }),
  approved: (
    bureau: AuditBureau,
    approverId: string,
    taskLines?: { taskCode: string; auditedArea: number }[],
  ): ContractEvent => ({
    type: 'audit.approved',
    at: AUDIT_AT,
    bureau,
    approverId,
    ...(taskLines ? { taskLines } : {}),
  }),
  rejected: (): ContractEvent => ({ type: 'audit.rejected', at: AUDIT_AT }),
  sampleDrawn: (
    rows: { rowId: string; taskCode: string; verifiedArea: number }[] = [
      { rowId: 'R-1', taskCode: 'WHEAT', verifiedArea: 100 },
    ],
    sampleId = 'S-1',
  ): ContractEvent => ({
    type: 'audit.sampleDrawn',
    at: AUDIT_AT,
    sampleId,
    seed: 'a'.repeat(64),
    chainSeq: 1,
    chainHash: 'b'.repeat(64),
    toleranceBasisPoints: 200,
    rows,
  }),
  visited: (rowId = 'R-1', observedArea = 100, sampleId = 'S-1'): ContractEvent => ({
    type: 'audit.visitRecorded',
    at: AUDIT_AT,
    sampleId,
    visitId: `visit-${rowId}`,
    rowId,
    visitedOn: '2025-10-01',
    observedArea,
  }),
  mediaOpened: (noticeId = 'M-1', at = MEDIA_AT): ContractEvent => ({
    type: 'mediaNotice.opened',
    at,
    noticeId,
    noticeEndsAt: plus7Days(at),
  }),
  payoutIssued: (payoutId = 'P-1', amount = SUBSIDY_FEN): ContractEvent => ({
    type: 'payout.issued',
    at: PAY_AT,
    payoutId,
    amountFen: amount,
    issuerId: 'finance-clerk',
    providerEligible: true,
  }),
  payoutConfirmed: (payoutId = 'P-1'): ContractEvent => ({
    type: 'payout.confirmed',
    at: PAY_AT,
    payoutId,
  }),
  payoutFailed: (payoutId = 'P-1'): ContractEvent => ({
    type: 'payout.failed',
    at: PAY_AT,
    payoutId,
  }),
  terminated: (reason = 'The cooperative gave up the lot'): ContractEvent => ({
    type: 'contract.terminated',
    at: PAY_AT,
    reason,
  }),
};

// ---------------------------------------------------------------------------------------------
// Stepping and builders
// ---------------------------------------------------------------------------------------------

/** Applies an event that must be accepted. */
function send(contract: PersistedContract, event: ContractEvent): PersistedContract {
  const result = step(contract, event);
  if (!result.accepted) {
    throw new Error(`${event.type} refused in ${contract.value}: ${JSON.stringify(event)}`);
  }
  return result.next;
}

/** The event is refused, and the contract it was offered to is left exactly as it was. */
function expectRefused(contract: PersistedContract, event: ContractEvent): void {
  const before = structuredClone(contract);
  expect(step(contract, event)).toEqual({ accepted: false });
  expect(contract).toEqual(before);
}

const awarded = (input: ContractInput = INPUT): PersistedContract => initialContract(input);
const contracted = (input?: ContractInput): PersistedContract => send(awarded(input), ev.signed());
const working = (input?: ContractInput): PersistedContract =>
  send(contracted(input), ev.workStarted());

const claim = (contract: PersistedContract, taskCode: string): PersistedContract =>
  send(contract, ev.claimed(taskCode, CLAIMS[taskCode]));

/** Every village part of the line verified at its claimed area; its notices start. */
function verifyAll(contract: PersistedContract, taskCode: string): PersistedContract {
  return Object.values(contract.context.taskLines[taskCode].villageParts).reduce(
    (current, villagePart) =>
      send(current, ev.verified(taskCode, villagePart.villageCode, villagePart.claimedArea)),
    contract,
  );
}

/** Every running notice of the line reaches its end. */
function elapseAll(contract: PersistedContract, taskCode: string): PersistedContract {
  return Object.values(contract.context.taskLines[taskCode].villageParts).reduce(
    (current, villagePart) =>
      villagePart.notice
        ? send(current, ev.elapsed(villagePart.notice.noticeId, villagePart.notice.endsAt))
        : current,
    contract,
  );
}

const toTownAcceptance = (contract: PersistedContract, taskCode: string): PersistedContract =>
  elapseAll(verifyAll(claim(contract, taskCode), taskCode), taskCode);

/** Town acceptance of every village part at its verified area. */
function acceptAll(contract: PersistedContract, taskCode: string): PersistedContract {
  const parts = Object.values(contract.context.taskLines[taskCode].villageParts);
  return send(
    contract,
    ev.acceptance(
      taskCode,
      parts.map((villagePart) => ({
        villageCode: villagePart.villageCode,
        acceptedArea: villagePart.verifiedArea ?? 0,
      })),
    ),
  );
}

const lineAccepted = (contract: PersistedContract, taskCode: string): PersistedContract =>
  acceptAll(toTownAcceptance(contract, taskCode), taskCode);

const districtAudit = (): PersistedContract =>
  lineAccepted(lineAccepted(working(), 'WHEAT'), 'STRAW');
const audited = (): PersistedContract =>
  send(
    send(districtAudit(), ev.approved('agriculture', 'agri-1')),
    ev.approved('finance', 'fin-1'),
  );
const inMediaNotice = (): PersistedContract => send(audited(), ev.mediaOpened());
const payable = (): PersistedContract => send(inMediaNotice(), ev.elapsed('M-1', MEDIA_END));
const payoutIssued = (): PersistedContract => send(payable(), ev.payoutIssued());
const paid = (): PersistedContract => send(payoutIssued(), ev.payoutConfirmed());
const terminated = (): PersistedContract => send(working(), ev.terminated());

const lineOf = (contract: PersistedContract, taskCode: string) =>
  contract.context.taskLines[taskCode];
const partOf = (contract: PersistedContract, taskCode: string, villageCode: string) =>
  contract.context.taskLines[taskCode].villageParts[villageCode];

/** One plausible event of each type (fitting the default scenario's ids). */
const SAMPLE_EVENTS: Record<ContractEventType, ContractEvent> = {
  'contract.signed': ev.signed(),
  'work.started': ev.workStarted(),
  'taskLine.claimed': ev.claimed('WHEAT', [{ villageCode: 'V1', claimedArea: 1_000 }]),
  'village.verified': ev.verified('WHEAT', 'V1', 100),
  'objection.filed': ev.filed('M-1', 'O-sample', AFTER_NOTICE),
  'objection.resolved': ev.resolved('M-1', 'O-sample', 'dismissed'),
  'notice.elapsed': ev.elapsed('M-1', PAY_AT),
  'acceptance.completed': ev.acceptance('WHEAT', [{ villageCode: 'V1', acceptedArea: 1 }]),
  'taskLine.reworked': ev.reworked('WHEAT'),
  'taskLine.withdrawn': ev.withdrawn('STRAW'),
  'audit.approved': ev.approved('agriculture', 'agri-9'),
  'audit.rejected': ev.rejected(),
  'audit.sampleDrawn': ev.sampleDrawn(),
  'audit.visitRecorded': ev.visited(),
  'mediaNotice.opened': ev.mediaOpened('M-9'),
  'payout.issued': ev.payoutIssued('P-9'),
  'payout.confirmed': ev.payoutConfirmed(),
  'payout.failed': ev.payoutFailed(),
  'contract.terminated': ev.terminated(),
};

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

describe('initialContract', () => {
  it('starts awarded, with pending task lines and nothing claimed', () => {
    const contract = awarded();
    expect(contract.value).toBe('awarded');
    expect(contract.machineVersion).toBe(MACHINE_VERSION);
    expect(contract.context).toEqual({
      contractId: 'contract-1',
      contractNo: null,
      signedOn: null,
      taskLines: {
        WHEAT: {
          taskCode: 'WHEAT',
          unitPriceFen: 6367,
          subsidyPerMuFen: 6367,
          assignedArea: 200_000,
          state: 'pending',
          claimedArea: null,
          verifiedArea: null,
          acceptedArea: null,
          auditedArea: null,
          amountFen: null,
          villageParts: {},
        },
        STRAW: expect.objectContaining({ taskCode: 'STRAW', state: 'pending' }),
      },
      audit: { approvals: [] },
      auditSample: null,
      mediaNotice: null,
      subsidyFen: null,
      capCutFen: null,
      payout: null,
      terminationReason: null,
    });
  });

  it('step refuses to run a snapshot of another machine version', () => {
    expect(() => step({ ...awarded(), machineVersion: MACHINE_VERSION + 1 }, ev.signed())).toThrow(
      /migrate/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// awarded → contracted → inService
// ---------------------------------------------------------------------------------------------

describe('contract.signed [hasContractNo]', () => {
  it('awarded → contracted, recording the contract number and the signing date', () => {
    const contract = send(awarded(), ev.signed('QC-2015-007'));
    expect(contract.value).toBe('contracted');
    expect(contract.context.contractNo).toBe('QC-2015-007');
    expect(contract.context.signedOn).toBe('2025-05-30');
  });

  it.each(['', '   '])('is refused with a blank contract number (%j)', (contractNo) => {
    expectRefused(awarded(), ev.signed(contractNo));
  });

  it('is refused once signed', () => {
    expectRefused(contracted(), ev.signed());
    expectRefused(working(), ev.signed());
  });
});

describe('work.started', () => {
  it('contracted → inService, every pending task line starts working', () => {
    const contract = working();
    expect(contract.value).toBe('inService');
    expect(Object.values(contract.context.taskLines).map((line) => line.state)).toEqual([
      'working',
      'working',
    ]);
  });

  it('is refused before signing and once work has started', () => {
    expectRefused(awarded(), ev.workStarted());
    expectRefused(working(), ev.workStarted());
    expectRefused(districtAudit(), ev.workStarted());
  });
});

// ---------------------------------------------------------------------------------------------
// Task lines
// ---------------------------------------------------------------------------------------------

describe('taskLine.claimed [claimFits]', () => {
  it('a working line → claimed, one verifying village part per village', () => {
    const contract = claim(working(), 'WHEAT');
    expect(contract.value).toBe('inService');
    const line = lineOf(contract, 'WHEAT');
    expect(line.state).toBe('claimed');
    expect(line.claimedArea).toBe(123_456);
    expect(line.villageParts).toEqual({
      V1: {
        villageCode: 'V1',
        state: 'verifying',
        claimedArea: 100_000,
        verifiedArea: null,
        acceptedArea: null,
        notice: null,
      },
      V2: {
        villageCode: 'V2',
        state: 'verifying',
        claimedArea: 23_456,
        verifiedArea: null,
        acceptedArea: null,
        notice: null,
      },
    });
    expect(lineOf(contract, 'STRAW').state).toBe('working');
  });

  it('accepts a claim of exactly the assigned area', () => {
    const contract = send(
      working(),
      ev.claimed('WHEAT', [
        { villageCode: 'V1', claimedArea: 150_000 },
        { villageCode: 'V2', claimedArea: 50_000 },
      ]),
    );
    expect(lineOf(contract, 'WHEAT').claimedArea).toBe(200_000);
  });

  it('refuses a total above the assigned area', () => {
    expectRefused(
      working(),
      ev.claimed('WHEAT', [
        { villageCode: 'V1', claimedArea: 150_000 },
        { villageCode: 'V2', claimedArea: 50_001 },
      ]),
    );
  });

  it('refuses a claim with no villages', () => {
    expectRefused(working(), ev.claimed('WHEAT', []));
  });

  it('refuses a village named twice', () => {
    expectRefused(
      working(),
      ev.claimed('WHEAT', [
        { villageCode: 'V1', claimedArea: 100 },
        { villageCode: 'V1', claimedArea: 200 },
      ]),
    );
  });

  it.each([0, -100])('refuses a village with area %d', (claimedArea) => {
    expectRefused(
      working(),
      ev.claimed('WHEAT', [
        { villageCode: 'V1', claimedArea: 100 },
        { villageCode: 'V2', claimedArea },
      ]),
    );
  });

  it('refuses an unknown task line', () => {
    expectRefused(working(), ev.claimed('CORN', CLAIMS.WHEAT));
  });

  it('refuses a line that is not working (already claimed, withdrawn)', () => {
    expectRefused(claim(working(), 'WHEAT'), ev.claimed('WHEAT', CLAIMS.WHEAT));
    expectRefused(send(working(), ev.withdrawn('STRAW')), ev.claimed('STRAW', CLAIMS.STRAW));
  });

  it('is refused before work has started (the line is still pending)', () => {
    expectRefused(contracted(), ev.claimed('WHEAT', CLAIMS.WHEAT));
  });
});

describe('village.verified [verificationFits]', () => {
  it('the first verification starts the village notice and moves the line to villageVerification', () => {
    const contract = send(claim(working(), 'WHEAT'), ev.verified('WHEAT', 'V1', 99_000));
    expect(partOf(contract, 'WHEAT', 'V1')).toEqual({
      villageCode: 'V1',
      state: 'noticeRunning',
      claimedArea: 100_000,
      verifiedArea: 99_000,
      acceptedArea: null,
      notice: {
        noticeId: 'N-WHEAT-V1',
        endsAt: NOTICE_END,
        elapsed: false,
        openObjections: 0,
      },
    });
    expect(partOf(contract, 'WHEAT', 'V2').state).toBe('verifying');
    expect(lineOf(contract, 'WHEAT').state).toBe('villageVerification');
    expect(lineOf(contract, 'WHEAT').verifiedArea).toBeNull();
  });

  it('accepts a verified area of 0 and one equal to the claimed area', () => {
    const contract = send(
      send(claim(working(), 'WHEAT'), ev.verified('WHEAT', 'V1', 0)),
      ev.verified('WHEAT', 'V2', 23_456),
    );
    expect(partOf(contract, 'WHEAT', 'V1').verifiedArea).toBe(0);
    expect(partOf(contract, 'WHEAT', 'V2').verifiedArea).toBe(23_456);
  });

  it('refuses a verified area above the claimed area, or below 0', () => {
    const claimed = claim(working(), 'WHEAT');
    expectRefused(claimed, ev.verified('WHEAT', 'V2', 23_457));
    expectRefused(claimed, ev.verified('WHEAT', 'V2', -1));
  });

  it('refuses an unknown task line or village', () => {
    const claimed = claim(working(), 'WHEAT');
    expectRefused(claimed, ev.verified('CORN', 'V1', 100));
    expectRefused(claimed, ev.verified('WHEAT', 'V3', 100));
  });

  it('refuses a line that has not been claimed', () => {
    expectRefused(working(), ev.verified('WHEAT', 'V1', 100));
  });

  it('refuses a part that is not verifying (its notice is running or cleared)', () => {
    const running = send(claim(working(), 'WHEAT'), ev.verified('WHEAT', 'V1', 100));
    expectRefused(running, ev.verified('WHEAT', 'V1', 100, 'N-other'));
    const cleared = send(running, ev.elapsed('N-WHEAT-V1'));
    expectRefused(cleared, ev.verified('WHEAT', 'V1', 100, 'N-other'));
  });

  it('the line goes to townAcceptance only when all its village parts have cleared, with verifiedArea = their sum', () => {
    let contract = send(claim(working(), 'WHEAT'), ev.verified('WHEAT', 'V1', 90_000));
    contract = send(contract, ev.verified('WHEAT', 'V2', 20_000));
    contract = send(contract, ev.elapsed('N-WHEAT-V1'));
    expect(partOf(contract, 'WHEAT', 'V1').state).toBe('noticeCleared');
    expect(lineOf(contract, 'WHEAT').state).toBe('villageVerification');
    expect(lineOf(contract, 'WHEAT').verifiedArea).toBeNull();
    contract = send(contract, ev.elapsed('N-WHEAT-V2'));
    expect(lineOf(contract, 'WHEAT').state).toBe('townAcceptance');
    expect(lineOf(contract, 'WHEAT').verifiedArea).toBe(110_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Village notices and objections
// ---------------------------------------------------------------------------------------------

describe('notice.elapsed [noticeRunning] on a village notice', () => {
  const running = () => send(claim(working(), 'STRAW'), ev.verified('STRAW', 'V1', 1_000));

  it('is refused one second before the notice ends', () => {
    expectRefused(running(), ev.elapsed('N-STRAW-V1', iso(Date.parse(NOTICE_END) - SECOND)));
  });

  it('is accepted at exactly the end (opened + 7 × 24 h); with no objection the part clears', () => {
    expect(NOTICE_END).toBe('2025-06-16T00:00:00.000Z');
    const contract = send(running(), ev.elapsed('N-STRAW-V1', NOTICE_END));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
    expect(partOf(contract, 'STRAW', 'V1').notice?.elapsed).toBe(true);
    expect(lineOf(contract, 'STRAW').state).toBe('townAcceptance');
    expect(lineOf(contract, 'STRAW').verifiedArea).toBe(1_000);
  });

  it('is accepted later than the end too', () => {
    const contract = send(running(), ev.elapsed('N-STRAW-V1', AFTER_NOTICE));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
  });

  it('is refused a second time', () => {
    const contract = send(running(), ev.elapsed('N-STRAW-V1'));
    expectRefused(contract, ev.elapsed('N-STRAW-V1', AFTER_NOTICE));
  });

  it('is refused for an unknown notice', () => {
    expectRefused(running(), ev.elapsed('N-nowhere', AFTER_NOTICE));
  });
});

describe('objections on a village notice', () => {
  const running = () => send(claim(working(), 'STRAW'), ev.verified('STRAW', 'V1', 1_000));
  const withObjection = () => send(running(), ev.filed('N-STRAW-V1', 'O-1'));

  it('objection.filed [noticeTakesObjection] during the notice records it as open', () => {
    const contract = withObjection();
    expect(partOf(contract, 'STRAW', 'V1').notice?.openObjections).toBe(1);
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeRunning');
  });

  it('objection.resolved [objectionIsOpen] is refused before any objection is filed', () => {
    expectRefused(running(), ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'));
    const resolved = send(withObjection(), ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'));
    expectRefused(resolved, ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'));
  });

  it('refuses an objection on an unknown notice', () => {
    expectRefused(running(), ev.filed('N-nowhere', 'O-1'));
  });

  it('an open objection keeps the notice running past day 7', () => {
    const contract = send(withObjection(), ev.elapsed('N-STRAW-V1'));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeRunning');
    expect(partOf(contract, 'STRAW', 'V1').notice).toEqual({
      noticeId: 'N-STRAW-V1',
      endsAt: NOTICE_END,
      elapsed: true,
      openObjections: 1,
    });
    expect(lineOf(contract, 'STRAW').state).toBe('villageVerification');
  });

  it('a notice kept open by an objection still takes further objections after day 7', () => {
    const contract = send(
      send(withObjection(), ev.elapsed('N-STRAW-V1')),
      ev.filed('N-STRAW-V1', 'O-2', AFTER_NOTICE),
    );
    expect(partOf(contract, 'STRAW', 'V1').notice?.openObjections).toBe(2);
  });

  it('dismissed after day 7 → the notice clears at once and the line goes to town acceptance', () => {
    const contract = send(
      send(withObjection(), ev.elapsed('N-STRAW-V1')),
      ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'),
    );
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
    expect(partOf(contract, 'STRAW', 'V1').notice?.openObjections).toBe(0);
    expect(lineOf(contract, 'STRAW').state).toBe('townAcceptance');
  });

  it('dismissed after day 7 while another objection is open → still running', () => {
    let contract = send(withObjection(), ev.filed('N-STRAW-V1', 'O-2'));
    contract = send(contract, ev.elapsed('N-STRAW-V1'));
    contract = send(contract, ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeRunning');
    contract = send(contract, ev.resolved('N-STRAW-V1', 'O-2', 'dismissed'));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
  });

  it('dismissed before day 7 → the notice still runs until it elapses', () => {
    let contract = send(
      withObjection(),
      ev.resolved('N-STRAW-V1', 'O-1', 'dismissed', DURING_NOTICE),
    );
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeRunning');
    expect(partOf(contract, 'STRAW', 'V1').notice?.openObjections).toBe(0);
    expect(lineOf(contract, 'STRAW').state).toBe('villageVerification');
    contract = send(contract, ev.elapsed('N-STRAW-V1'));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
    expect(lineOf(contract, 'STRAW').state).toBe('townAcceptance');
  });

  it('upheld → the part goes back to verifying with no notice; a new verification runs a new 7-day notice', () => {
    let contract = send(withObjection(), ev.resolved('N-STRAW-V1', 'O-1', 'upheld', DURING_NOTICE));
    expect(partOf(contract, 'STRAW', 'V1')).toEqual({
      villageCode: 'V1',
      state: 'verifying',
      claimedArea: 1_050,
      verifiedArea: null,
      acceptedArea: null,
      notice: null,
    });
    // The old notice is gone: its timer and objections no longer count.
    expectRefused(contract, ev.elapsed('N-STRAW-V1'));
    expectRefused(contract, ev.filed('N-STRAW-V1', 'O-2'));

    const again = iso(BASE + 12 * DAY);
    contract = send(contract, ev.verified('STRAW', 'V1', 900, 'N-STRAW-V1-b', again));
    expect(partOf(contract, 'STRAW', 'V1').notice).toEqual({
      noticeId: 'N-STRAW-V1-b',
      endsAt: plus7Days(again),
      elapsed: false,
      openObjections: 0,
    });
    // The first notice's end is not the new one's.
    expectRefused(contract, ev.elapsed('N-STRAW-V1-b', NOTICE_END));
    contract = send(contract, ev.elapsed('N-STRAW-V1-b', plus7Days(again)));
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('noticeCleared');
    expect(lineOf(contract, 'STRAW').state).toBe('townAcceptance');
    expect(lineOf(contract, 'STRAW').verifiedArea).toBe(900);
  });

  it('upheld after day 7 also sends the part back to verifying', () => {
    const contract = send(
      send(withObjection(), ev.elapsed('N-STRAW-V1')),
      ev.resolved('N-STRAW-V1', 'O-1', 'upheld'),
    );
    expect(partOf(contract, 'STRAW', 'V1').state).toBe('verifying');
    expect(partOf(contract, 'STRAW', 'V1').notice).toBeNull();
  });

  it('refuses an objection on a notice that has cleared', () => {
    const cleared = send(running(), ev.elapsed('N-STRAW-V1'));
    expectRefused(cleared, ev.filed('N-STRAW-V1', 'O-9', AFTER_NOTICE));
  });

  it('objection.resolved [objectionIsOpen] refuses an unknown notice, and a resolution when none is left open', () => {
    const contract = withObjection();
    expectRefused(contract, ev.resolved('N-nowhere', 'O-1', 'dismissed'));
    const resolved = send(contract, ev.resolved('N-STRAW-V1', 'O-1', 'dismissed', DURING_NOTICE));
    expectRefused(resolved, ev.resolved('N-STRAW-V1', 'O-1', 'dismissed'));
    expectRefused(resolved, ev.resolved('N-STRAW-V1', 'O-1', 'upheld'));
  });
});

// ---------------------------------------------------------------------------------------------
// Town acceptance, rework, withdrawal, district audit
// ---------------------------------------------------------------------------------------------

describe('acceptance.completed [acceptanceFits]', () => {
  const wheatInTown = () => toTownAcceptance(working(), 'WHEAT');

  it('townAcceptance → accepted, with the accepted area per village part and their sum', () => {
    const contract = send(
      wheatInTown(),
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: 95_000 },
        { villageCode: 'V2', acceptedArea: 23_456 },
      ]),
    );
    const line = lineOf(contract, 'WHEAT');
    expect(line.state).toBe('accepted');
    expect(line.acceptedArea).toBe(118_456);
    expect(line.villageParts.V1.acceptedArea).toBe(95_000);
    expect(line.villageParts.V2.acceptedArea).toBe(23_456);
    expect(contract.value).toBe('inService'); // straw is still working
  });

  it('refuses a line that is not in town acceptance', () => {
    const verifying = send(claim(working(), 'WHEAT'), ev.verified('WHEAT', 'V1', 100_000));
    expectRefused(
      verifying,
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: 100_000 },
        { villageCode: 'V2', acceptedArea: 0 },
      ]),
    );
    expectRefused(working(), ev.acceptance('WHEAT', []));
    expectRefused(lineAccepted(working(), 'WHEAT'), ev.acceptance('WHEAT', []));
  });

  it('refuses a record that does not cover every village part', () => {
    expectRefused(wheatInTown(), ev.acceptance('WHEAT', [{ villageCode: 'V1', acceptedArea: 1 }]));
  });

  it('refuses an unknown village', () => {
    expectRefused(
      wheatInTown(),
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: 1 },
        { villageCode: 'V3', acceptedArea: 1 },
      ]),
    );
  });

  it('refuses a village named twice that leaves another village part uncovered', () => {
    // V1 verified 1,000.00 mu, V2 verified 234.56 mu. Naming V1 twice "covers" two parts by count
    // only: V2 is never accepted, and the line's accepted area would be 2,000.00 mu > 1,234.56.
    expectRefused(
      wheatInTown(),
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: 100_000 },
        { villageCode: 'V1', acceptedArea: 100_000 },
      ]),
    );
  });

  it('refuses an accepted area above the verified area, or below 0', () => {
    expectRefused(
      wheatInTown(),
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: 100_000 },
        { villageCode: 'V2', acceptedArea: 23_457 },
      ]),
    );
    expectRefused(
      wheatInTown(),
      ev.acceptance('WHEAT', [
        { villageCode: 'V1', acceptedArea: -1 },
        { villageCode: 'V2', acceptedArea: 0 },
      ]),
    );
  });

  it('refuses an unknown task line', () => {
    expectRefused(wheatInTown(), ev.acceptance('CORN', []));
  });

  it('when every line is accepted the contract moves to districtAudit by itself (eventless)', () => {
    const oneAccepted = lineAccepted(working(), 'WHEAT');
    expect(oneAccepted.value).toBe('inService');
    const contract = lineAccepted(oneAccepted, 'STRAW');
    expect(contract.value).toBe('districtAudit');
    expect(contract.context.audit.approvals).toEqual([]);
  });
});

describe('taskLine.withdrawn [notYetClaimed]', () => {
  it('withdraws a working line; a withdrawn line counts as done', () => {
    const withdrawn = send(working(), ev.withdrawn('STRAW'));
    expect(lineOf(withdrawn, 'STRAW').state).toBe('withdrawn');
    expect(withdrawn.value).toBe('inService'); // wheat is not accepted yet
    expect(lineAccepted(withdrawn, 'WHEAT').value).toBe('districtAudit');
  });

  it('withdrawing the last open line after another was accepted → districtAudit', () => {
    const contract = send(lineAccepted(working(), 'WHEAT'), ev.withdrawn('STRAW'));
    expect(contract.value).toBe('districtAudit');
  });

  it('is refused once the line has been claimed', () => {
    const claimed = claim(working(), 'WHEAT');
    expectRefused(claimed, ev.withdrawn('WHEAT'));
    expectRefused(send(claimed, ev.verified('WHEAT', 'V1', 1)), ev.withdrawn('WHEAT'));
    expectRefused(toTownAcceptance(working(), 'WHEAT'), ev.withdrawn('WHEAT'));
    expectRefused(lineAccepted(working(), 'WHEAT'), ev.withdrawn('WHEAT'));
  });

  it('is refused for the last line that is not withdrawn (at least one line must be accepted)', () => {
    const oneLeft = send(working(), ev.withdrawn('STRAW'));
    expectRefused(oneLeft, ev.withdrawn('WHEAT'));
    expectRefused(oneLeft, ev.withdrawn('STRAW')); // already withdrawn
    const single = working({ contractId: 'c-2', taskLines: [INPUT.taskLines[0]] });
    expectRefused(single, ev.withdrawn('WHEAT'));
  });

  it('is refused for an unknown line and before work starts', () => {
    expectRefused(working(), ev.withdrawn('CORN'));
    expectRefused(contracted(), ev.withdrawn('STRAW'));
  });
});

describe('taskLine.reworked [inTownAcceptance]', () => {
  it('townAcceptance → working, village parts cleared and areas reset; the line can be claimed again', () => {
    let contract = send(toTownAcceptance(working(), 'WHEAT'), ev.reworked('WHEAT'));
    expect(lineOf(contract, 'WHEAT')).toEqual({
      taskCode: 'WHEAT',
      unitPriceFen: 6367,
      subsidyPerMuFen: 6367,
      assignedArea: 200_000,
      state: 'working',
      claimedArea: null,
      verifiedArea: null,
      acceptedArea: null,
      auditedArea: null,
      amountFen: null,
      villageParts: {},
    });
    expectRefused(contract, ev.elapsed('N-WHEAT-V1', AFTER_NOTICE));
    contract = claim(contract, 'WHEAT');
    expect(lineOf(contract, 'WHEAT').state).toBe('claimed');
  });

  it('is refused when the line is not in town acceptance', () => {
    const claimed = claim(working(), 'WHEAT');
    expectRefused(working(), ev.reworked('WHEAT'));
    expectRefused(claimed, ev.reworked('WHEAT'));
    expectRefused(send(claimed, ev.verified('WHEAT', 'V1', 1)), ev.reworked('WHEAT'));
    expectRefused(lineAccepted(working(), 'WHEAT'), ev.reworked('WHEAT'));
    expectRefused(working(), ev.reworked('CORN'));
  });
});

describe('audit.approved [approvalFits] and [bothBureausApproved]', () => {
  it('the first approval fixes the audited areas (default: the accepted ones) and stays in districtAudit', () => {
    const contract = send(districtAudit(), ev.approved('agriculture', 'agri-1'));
    expect(contract.value).toBe('districtAudit');
    expect(contract.context.audit.approvals).toEqual([
      { bureau: 'agriculture', approverId: 'agri-1', at: AUDIT_AT },
    ]);
    expect(lineOf(contract, 'WHEAT').auditedArea).toBe(123_456);
    expect(lineOf(contract, 'STRAW').auditedArea).toBe(1_050);
    expect(contract.context.subsidyFen).toBeNull();
  });

  it('the first approval may lower an audited area (down to 0)', () => {
    const contract = send(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [
        { taskCode: 'WHEAT', auditedArea: 120_000 },
        { taskCode: 'STRAW', auditedArea: 0 },
      ]),
    );
    expect(lineOf(contract, 'WHEAT').auditedArea).toBe(120_000);
    expect(lineOf(contract, 'STRAW').auditedArea).toBe(0);
  });

  it('refuses an audited area above the accepted area, below 0, or on an unknown line', () => {
    expectRefused(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'WHEAT', auditedArea: 123_457 }]),
    );
    expectRefused(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'WHEAT', auditedArea: -1 }]),
    );
    expectRefused(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'CORN', auditedArea: 1 }]),
    );
  });

  it('the second approval, by the other bureau and another person → audited with the subsidy', () => {
    const contract = audited();
    expect(contract.value).toBe('audited');
    expect(contract.context.audit.approvals.map((approval) => approval.bureau)).toEqual([
      'agriculture',
      'finance',
    ]);
    // 1,234.56 mu × 63.67 yuan/mu = 78,604.4352 yuan → 78,604.44 yuan = 7,860,444 fen.
    expect(lineOf(contract, 'WHEAT').amountFen).toBe(7_860_444);
    // 10.50 mu × 19.33 yuan/mu = 202.965 yuan → 202.97 yuan (round half up).
    expect(lineOf(contract, 'STRAW').amountFen).toBe(20_297);
    expect(contract.context.subsidyFen).toBe(7_880_741);
  });

  it('the finance bureau may approve first; the lowered audited areas are what is paid', () => {
    let contract = send(
      districtAudit(),
      ev.approved('finance', 'fin-1', [{ taskCode: 'WHEAT', auditedArea: 100_001 }]),
    );
    contract = send(contract, ev.approved('agriculture', 'agri-1'));
    expect(contract.value).toBe('audited');
    expect(lineOf(contract, 'WHEAT').amountFen).toBe(amountFen(100_001, 6367));
    expect(lineOf(contract, 'WHEAT').amountFen).toBe(6_367_064); // 6,367.0637 → 6,367.06 yuan
    expect(contract.context.subsidyFen).toBe(6_367_064 + STRAW_FEN);
  });

  it('refuses a second approval by the same bureau (another person)', () => {
    const first = send(districtAudit(), ev.approved('agriculture', 'agri-1'));
    expectRefused(first, ev.approved('agriculture', 'agri-2'));
  });

  it('refuses a second approval by the same person (other bureau)', () => {
    const first = send(districtAudit(), ev.approved('agriculture', 'agri-1'));
    expectRefused(first, ev.approved('finance', 'agri-1'));
  });

  it('refuses a second approval that carries audited areas (it only confirms)', () => {
    const first = send(districtAudit(), ev.approved('agriculture', 'agri-1'));
    expectRefused(first, ev.approved('finance', 'fin-1', [{ taskCode: 'WHEAT', auditedArea: 1 }]));
    expectRefused(first, ev.approved('finance', 'fin-1', []));
  });

  it('a withdrawn line has no audited area and no amount; audited areas on it are refused', () => {
    const audit = lineAccepted(send(working(), ev.withdrawn('STRAW')), 'WHEAT');
    expect(audit.value).toBe('districtAudit');
    expectRefused(
      audit,
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'STRAW', auditedArea: 0 }]),
    );
    const contract = send(
      send(audit, ev.approved('agriculture', 'agri-1')),
      ev.approved('finance', 'fin-1'),
    );
    expect(lineOf(contract, 'STRAW').auditedArea).toBeNull();
    expect(lineOf(contract, 'STRAW').amountFen).toBeNull();
    expect(contract.context.subsidyFen).toBe(WHEAT_FEN);
  });

  it('is refused outside districtAudit', () => {
    expectRefused(lineAccepted(working(), 'WHEAT'), ev.approved('agriculture', 'agri-1'));
    expectRefused(audited(), ev.approved('agriculture', 'agri-3'));
  });
});

describe('audit.rejected', () => {
  it('resets the approvals and the audited areas; the audit starts over', () => {
    let contract = send(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'WHEAT', auditedArea: 1 }]),
    );
    contract = send(contract, ev.rejected());
    expect(contract.value).toBe('districtAudit');
    expect(contract.context.audit.approvals).toEqual([]);
    expect(lineOf(contract, 'WHEAT').auditedArea).toBeNull();
    expect(lineOf(contract, 'STRAW').auditedArea).toBeNull();
    // The same people may approve again; the first approval fixes the areas anew.
    contract = send(contract, ev.approved('agriculture', 'agri-1'));
    contract = send(contract, ev.approved('finance', 'fin-1'));
    expect(contract.value).toBe('audited');
    expect(contract.context.subsidyFen).toBe(SUBSIDY_FEN);
  });

  it('is accepted with no approval yet', () => {
    expect(send(districtAudit(), ev.rejected()).value).toBe('districtAudit');
  });

  it('is refused outside districtAudit', () => {
    expectRefused(audited(), ev.rejected());
    expectRefused(working(), ev.rejected());
  });
});

// ---------------------------------------------------------------------------------------------
// Media notice, payout
// ---------------------------------------------------------------------------------------------

describe('mediaNotice.opened', () => {
  it('audited → mediaNotice with a 7-day notice', () => {
    const contract = inMediaNotice();
    expect(contract.value).toBe('mediaNotice');
    expect(contract.context.mediaNotice).toEqual({
      noticeId: 'M-1',
      endsAt: MEDIA_END,
      elapsed: false,
      openObjections: 0,
    });
  });

  it('is refused outside audited', () => {
    expectRefused(districtAudit(), ev.mediaOpened());
    expectRefused(inMediaNotice(), ev.mediaOpened('M-2'));
    expectRefused(payable(), ev.mediaOpened('M-2'));
  });
});

describe('the media notice', () => {
  const withObjection = () => send(inMediaNotice(), ev.filed('M-1', 'OM-1', iso(BASE + 23 * DAY)));

  it('is refused to elapse one second before its end', () => {
    expectRefused(inMediaNotice(), ev.elapsed('M-1', iso(Date.parse(MEDIA_END) - SECOND)));
  });

  it('elapsed with no objection → payable (eventless)', () => {
    const contract = payable();
    expect(contract.value).toBe('payable');
    expect(contract.context.mediaNotice?.elapsed).toBe(true);
  });

  it('an objection open when it elapses keeps the contract in mediaNotice', () => {
    const contract = send(withObjection(), ev.elapsed('M-1', MEDIA_END));
    expect(contract.value).toBe('mediaNotice');
    expect(contract.context.mediaNotice).toEqual({
      noticeId: 'M-1',
      endsAt: MEDIA_END,
      elapsed: true,
      openObjections: 1,
    });
    expectRefused(contract, ev.elapsed('M-1', PAY_AT));
  });

  it('dismissed after the end → payable at once', () => {
    const contract = send(
      send(withObjection(), ev.elapsed('M-1', MEDIA_END)),
      ev.resolved('M-1', 'OM-1', 'dismissed', PAY_AT),
    );
    expect(contract.value).toBe('payable');
  });

  it('dismissed before the end → still mediaNotice until it elapses', () => {
    let contract = send(
      withObjection(),
      ev.resolved('M-1', 'OM-1', 'dismissed', iso(BASE + 24 * DAY)),
    );
    expect(contract.value).toBe('mediaNotice');
    contract = send(contract, ev.elapsed('M-1', MEDIA_END));
    expect(contract.value).toBe('payable');
  });

  it('upheld [mediaObjectionUpheld] → districtAudit with approvals reset, no media notice, no subsidy', () => {
    let contract = send(
      withObjection(),
      ev.resolved('M-1', 'OM-1', 'upheld', iso(BASE + 24 * DAY)),
    );
    expect(contract.value).toBe('districtAudit');
    expect(contract.context.audit.approvals).toEqual([]);
    expect(contract.context.mediaNotice).toBeNull();
    expect(contract.context.subsidyFen).toBeNull();
    for (const line of Object.values(contract.context.taskLines)) {
      expect(line.auditedArea).toBeNull();
      expect(line.amountFen).toBeNull();
    }
    // The audit runs again and a new media notice must run its 7 days.
    expectRefused(contract, ev.elapsed('M-1', MEDIA_END));
    contract = send(
      contract,
      ev.approved('agriculture', 'agri-1', [{ taskCode: 'STRAW', auditedArea: 1_000 }]),
    );
    contract = send(contract, ev.approved('finance', 'fin-1'));
    expect(contract.value).toBe('audited');
    expect(contract.context.subsidyFen).toBe(WHEAT_FEN + amountFen(1_000, 1933));
    const reopened = iso(BASE + 26 * DAY);
    contract = send(contract, ev.mediaOpened('M-2', reopened));
    expectRefused(contract, ev.elapsed('M-2', MEDIA_END));
    contract = send(contract, ev.elapsed('M-2', plus7Days(reopened)));
    expect(contract.value).toBe('payable');
  });

  it('counts each objection, and refuses a resolution on an unknown notice or when none is open', () => {
    const contract = withObjection();
    expect(send(contract, ev.filed('M-1', 'OM-2')).context.mediaNotice?.openObjections).toBe(2);
    expectRefused(contract, ev.resolved('M-unknown', 'OM-1', 'dismissed'));
    expectRefused(contract, ev.resolved('M-unknown', 'OM-1', 'upheld'));
    const resolved = send(contract, ev.resolved('M-1', 'OM-1', 'dismissed', iso(BASE + 24 * DAY)));
    expectRefused(resolved, ev.resolved('M-1', 'OM-1', 'dismissed'));
    expectRefused(resolved, ev.resolved('M-1', 'OM-1', 'upheld'));
  });

  it('refuses objections on a cleared village notice while the media notice runs', () => {
    expectRefused(inMediaNotice(), ev.filed('N-WHEAT-V1', 'O-late', iso(BASE + 23 * DAY)));
  });

  it('refuses objections once payable', () => {
    expectRefused(payable(), ev.filed('M-1', 'OM-9', PAY_AT));
  });
});

describe('payout.issued [payoutFits]', () => {
  it('payable → payoutIssued when the amount equals the subsidy', () => {
    const contract = payoutIssued();
    expect(contract.value).toBe('payoutIssued');
    expect(contract.context.payout).toEqual({ payoutId: 'P-1', amountFen: SUBSIDY_FEN });
  });

  it('refuses an amount that is not the subsidy', () => {
    expectRefused(payable(), ev.payoutIssued('P-1', SUBSIDY_FEN - 1));
    expectRefused(payable(), ev.payoutIssued('P-1', SUBSIDY_FEN + 1));
  });

  it('refuses a subsidy of 0', () => {
    let contract = send(
      districtAudit(),
      ev.approved('agriculture', 'agri-1', [
        { taskCode: 'WHEAT', auditedArea: 0 },
        { taskCode: 'STRAW', auditedArea: 0 },
      ]),
    );
    contract = send(contract, ev.approved('finance', 'fin-1'));
    contract = send(send(contract, ev.mediaOpened()), ev.elapsed('M-1', MEDIA_END));
    expect(contract.value).toBe('payable');
    expect(contract.context.subsidyFen).toBe(0);
    expectRefused(contract, ev.payoutIssued('P-1', 0));
  });

  it('is refused outside payable', () => {
    expectRefused(audited(), ev.payoutIssued());
    expectRefused(inMediaNotice(), ev.payoutIssued());
    expectRefused(payoutIssued(), ev.payoutIssued('P-2'));
  });
});

describe('payout.confirmed / payout.failed [isCurrentPayout]', () => {
  it('confirmed → paid, a final state that accepts nothing more', () => {
    const contract = paid();
    expect(contract.value).toBe('paid');
    expect(acceptedEventTypes(contract)).toEqual([]);
    expectRefused(contract, ev.payoutConfirmed());
    expectRefused(contract, ev.payoutFailed());
    expectRefused(contract, ev.terminated());
  });

  it('failed → payable with no payout; a new payout may be issued', () => {
    let contract = send(payoutIssued(), ev.payoutFailed());
    expect(contract.value).toBe('payable');
    expect(contract.context.payout).toBeNull();
    expectRefused(contract, ev.payoutConfirmed('P-1'));
    contract = send(contract, ev.payoutIssued('P-2'));
    expectRefused(contract, ev.payoutConfirmed('P-1'));
    expect(send(contract, ev.payoutConfirmed('P-2')).value).toBe('paid');
  });

  it('refuses another payout id', () => {
    expectRefused(payoutIssued(), ev.payoutConfirmed('P-2'));
    expectRefused(payoutIssued(), ev.payoutFailed('P-2'));
  });

  it('is refused outside payoutIssued', () => {
    expectRefused(payable(), ev.payoutConfirmed());
    expectRefused(payable(), ev.payoutFailed());
  });
});

// ---------------------------------------------------------------------------------------------
// Termination
// ---------------------------------------------------------------------------------------------

describe('contract.terminated [hasReason]', () => {
  const before: [ContractState, () => PersistedContract][] = [
    ['awarded', () => awarded()],
    ['contracted', () => contracted()],
    ['inService', () => toTownAcceptance(working(), 'WHEAT')],
    ['districtAudit', districtAudit],
    ['audited', audited],
    ['mediaNotice', inMediaNotice],
  ];

  it.each(before)('is accepted in %s with a reason', (state, build) => {
    const contract = build();
    expect(contract.value).toBe(state);
    const ended = send(contract, ev.terminated('Fraudulent register rows'));
    expect(ended.value).toBe('terminated');
    expect(ended.context.terminationReason).toBe('Fraudulent register rows');
    expect(acceptedEventTypes(ended)).toEqual([]);
  });

  it.each(before)('is refused in %s with a blank reason', (_state, build) => {
    expectRefused(build(), ev.terminated(''));
    expectRefused(build(), ev.terminated('  \t'));
  });

  it.each([
    ['payable', payable],
    ['payoutIssued', payoutIssued],
    ['paid', paid],
    ['terminated', terminated],
  ] as const)('is refused in %s', (state, build) => {
    const contract = build();
    expect(contract.value).toBe(state);
    expectRefused(contract, ev.terminated());
  });

  it('terminated is final: nothing is accepted after', () => {
    const contract = terminated();
    for (const event of Object.values(SAMPLE_EVENTS)) expectRefused(contract, event);
  });
});

// ---------------------------------------------------------------------------------------------
// Every state refuses every event it does not take
// ---------------------------------------------------------------------------------------------

describe('events a state does not take are refused', () => {
  const inService: ContractEventType[] = [
    'acceptance.completed',
    'contract.terminated',
    'notice.elapsed',
    'objection.filed',
    'objection.resolved',
    'taskLine.claimed',
    'taskLine.reworked',
    'taskLine.withdrawn',
    'village.verified',
  ];
  const takes: [ContractState, () => PersistedContract, ContractEventType[]][] = [
    ['awarded', () => awarded(), ['contract.signed', 'contract.terminated']],
    ['contracted', () => contracted(), ['contract.terminated', 'work.started']],
    ['inService', () => working(), inService],
    [
      'districtAudit',
      districtAudit,
      [
        'audit.approved',
        'audit.rejected',
        'audit.sampleDrawn',
        'audit.visitRecorded',
        'contract.terminated',
      ],
    ],
    ['audited', audited, ['contract.terminated', 'mediaNotice.opened']],
    [
      'mediaNotice',
      inMediaNotice,
      ['contract.terminated', 'notice.elapsed', 'objection.filed', 'objection.resolved'],
    ],
    ['payable', payable, ['payout.issued']],
    ['payoutIssued', payoutIssued, ['payout.confirmed', 'payout.failed']],
    ['paid', paid, []],
    ['terminated', terminated, []],
  ];

  it.each(takes)('%s', (state, build, own) => {
    const contract = build();
    expect(contract.value).toBe(state);
    expect(acceptedEventTypes(contract)).toEqual(own);
    const others = (Object.keys(SAMPLE_EVENTS) as ContractEventType[]).filter(
      (type) => !own.includes(type),
    );
    expect(others.length + own.length).toBe(19);
    for (const type of others) expectRefused(contract, SAMPLE_EVENTS[type]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random event sequences never break the invariants
// ---------------------------------------------------------------------------------------------

/** Areas only shrink along the way, and money adds up (domain.md, "Money and area"). */
function invariantViolations(contract: PersistedContract): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, what: string) => {
    if (!holds) problems.push(what);
  };
  const { context } = contract;
  const atMost = (a: number | null, b: number | null) => a === null || (b !== null && a <= b);
  for (const line of Object.values(context.taskLines)) {
    const name = `line ${line.taskCode} (${line.state})`;
    const parts = Object.values(line.villageParts);
    check(atMost(line.claimedArea, line.assignedArea), `${name}: claimed > assigned`);
    check(atMost(line.verifiedArea, line.claimedArea), `${name}: verified > claimed`);
    check(atMost(line.acceptedArea, line.verifiedArea), `${name}: accepted > verified`);
    check(atMost(line.auditedArea, line.acceptedArea), `${name}: audited > accepted`);
    for (const area of [line.claimedArea, line.verifiedArea, line.acceptedArea, line.auditedArea]) {
      check(area === null || (Number.isSafeInteger(area) && area >= 0), `${name}: bad area`);
    }
    if (line.claimedArea !== null) {
      check(
        line.claimedArea === parts.reduce((total, part) => total + part.claimedArea, 0),
        `${name}: claimed ≠ sum of its village parts`,
      );
    }
    if (line.state === 'townAcceptance' || line.state === 'accepted') {
      check(
        parts.length > 0 && parts.every((part) => part.state === 'noticeCleared'),
        `${name}: a village part has not cleared`,
      );
      check(
        line.verifiedArea === parts.reduce((total, part) => total + (part.verifiedArea ?? 0), 0),
        `${name}: verified ≠ sum of its village parts`,
      );
    }
    if (line.state === 'accepted') {
      check(
        parts.every((part) => part.acceptedArea !== null) &&
          line.acceptedArea === parts.reduce((total, part) => total + (part.acceptedArea ?? 0), 0),
        `${name}: accepted ≠ sum of its village parts`,
      );
    }
    for (const part of parts) {
      const where = `${name} village ${part.villageCode} (${part.state})`;
      check(part.claimedArea > 0 && part.claimedArea <= line.assignedArea, `${where}: claimed`);
      check(atMost(part.verifiedArea, part.claimedArea), `${where}: verified > claimed`);
      check(part.verifiedArea === null || part.verifiedArea >= 0, `${where}: verified < 0`);
      check(atMost(part.acceptedArea, part.verifiedArea), `${where}: accepted > verified`);
      check(part.acceptedArea === null || part.acceptedArea >= 0, `${where}: accepted < 0`);
      check(
        (part.state === 'verifying') === (part.notice === null),
        `${where}: notice does not match the state`,
      );
    }
    if (line.amountFen !== null) {
      check(
        line.state === 'accepted' &&
          line.auditedArea !== null &&
          line.amountFen === amountFen(line.auditedArea, line.unitPriceFen),
        `${name}: amount ≠ round half up(audited × price)`,
      );
    }
  }
  const amounts = Object.values(context.taskLines).map((line) => line.amountFen ?? 0);
  if (context.subsidyFen !== null) {
    check(
      context.subsidyFen === amounts.reduce((total, amount) => total + amount, 0),
      `subsidy ${context.subsidyFen} ≠ sum of line amounts ${amounts.join('+')}`,
    );
  }
  const afterAudit: ContractState[] = ['audited', 'mediaNotice', 'payable', 'payoutIssued', 'paid'];
  if (afterAudit.includes(contract.value)) {
    check(context.subsidyFen !== null, `${contract.value} without a subsidy`);
  }
  if (contract.value === 'districtAudit' || afterAudit.includes(contract.value)) {
    check(
      Object.values(context.taskLines).every(
        (line) => line.state === 'accepted' || line.state === 'withdrawn',
      ) && Object.values(context.taskLines).some((line) => line.state === 'accepted'),
      `${contract.value} with a line that is not done`,
    );
  }
  if (context.payout !== null) {
    check(context.payout.amountFen === context.subsidyFen, 'payout amount ≠ subsidy');
  }
  return problems;
}

const PROPERTY_INPUT: ContractInput = {
  contractId: 'contract-p',
  taskLines: [
    { taskCode: 'WHEAT', unitPriceFen: 6367, assignedArea: 600 },
    { taskCode: 'STRAW', unitPriceFen: 1933, assignedArea: 400 },
    { taskCode: 'CORN', unitPriceFen: 2433, assignedArea: 300 },
  ],
};
const ALL_TYPES = Object.keys(SAMPLE_EVENTS) as ContractEventType[];
const VILLAGES = ['V1', 'V2', 'V3'];

interface Roll {
  /** Which event: a useful next step, one the state takes, or any. */
  mode: number;
  kind: number;
  a: number;
  b: number;
  area: number;
  /** Hours the clock moves before the event. */
  hours: number;
  twist: number;
}

const rollArb: fc.Arbitrary<Roll> = fc.record({
  mode: fc.nat({ max: 9 }),
  kind: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  area: fc.nat({ max: 1_000 }),
  hours: fc.nat({ max: 72 }),
  twist: fc.nat({ max: 9 }),
});

const pick = <T>(values: readonly T[], n: number): T => values[n % values.length];

function noticesOf(contract: PersistedContract): NoticeState[] {
  const parts = Object.values(contract.context.taskLines).flatMap((line) =>
    Object.values(line.villageParts),
  );
  return [
    ...parts.flatMap((part) => (part.notice ? [part.notice] : [])),
    ...(contract.context.mediaNotice ? [contract.context.mediaNotice] : []),
  ];
}

/** The event that moves the default path on, or null when none is obvious. */
function usefulEvent(
  contract: PersistedContract,
  now: number,
  fresh: () => string,
): ContractEvent | null {
  const at = iso(now);
  const { context } = contract;
  switch (contract.value) {
    case 'awarded':
      return { type: 'contract.signed', at, contractNo: 'QC-P', signedOn: '2025-05-30' };
    case 'contracted':
      return { type: 'work.started', at };
    case 'inService':
      for (const line of Object.values(context.taskLines)) {
        if (line.state === 'working') {
          const share = Math.floor(line.assignedArea / 3);
          return {
            type: 'taskLine.claimed',
            at,
            taskCode: line.taskCode,
            villages: [
              { villageCode: 'V1', claimedArea: share },
              { villageCode: 'V2', claimedArea: share },
            ],
          };
        }
        for (const part of Object.values(line.villageParts)) {
          if (part.state === 'verifying') {
            return {
              type: 'village.verified',
              at,
              taskCode: line.taskCode,
              villageCode: part.villageCode,
              verifiedArea: part.claimedArea - (now % 3),
              noticeId: fresh(),
              noticeEndsAt: plus7Days(at),
            };
          }
          if (part.notice && !part.notice.elapsed) {
            return {
              type: 'notice.elapsed',
              at: Date.parse(part.notice.endsAt) > now ? part.notice.endsAt : at,
              noticeId: part.notice.noticeId,
            };
          }
        }
        if (line.state === 'townAcceptance') {
          return {
            type: 'acceptance.completed',
            at,
            taskCode: line.taskCode,
            villages: Object.values(line.villageParts).map((part) => ({
              villageCode: part.villageCode,
              acceptedArea: Math.max(0, (part.verifiedArea ?? 0) - (now % 2)),
            })),
            signers: QUORUM_SIGNERS,
          };
        }
      }
      return null;
    case 'districtAudit': {
      const approved = context.audit.approvals.map((approval) => approval.bureau);
      const bureau: AuditBureau = approved.includes('agriculture') ? 'finance' : 'agriculture';
      return { type: 'audit.approved', at, bureau, approverId: `${bureau}-person` };
    }
    case 'audited':
      return { type: 'mediaNotice.opened', at, noticeId: fresh(), noticeEndsAt: plus7Days(at) };
    case 'mediaNotice':
      return context.mediaNotice && !context.mediaNotice.elapsed
        ? {
            type: 'notice.elapsed',
            at: Date.parse(context.mediaNotice.endsAt) > now ? context.mediaNotice.endsAt : at,
            noticeId: context.mediaNotice.noticeId,
          }
        : null;
    case 'payable':
      return {
        type: 'payout.issued',
        at,
        payoutId: fresh(),
        amountFen: context.subsidyFen ?? 0,
        issuerId: 'finance-clerk',
        providerEligible: true,
      };
    case 'payoutIssued':
      return { type: 'payout.confirmed', at, payoutId: context.payout?.payoutId ?? 'P-none' };
    case 'paid':
    case 'terminated':
      return null;
  }
}

/** An event of the given type, built from the roll: mostly near-valid, sometimes off. */
function randomEvent(
  contract: PersistedContract,
  type: ContractEventType,
  roll: Roll,
  now: number,
  fresh: () => string,
): ContractEvent {
  const at = iso(now);
  const { context } = contract;
  const taskCode = pick([...Object.keys(context.taskLines), 'NOPE'], roll.a);
  const line = Object.hasOwn(context.taskLines, taskCode) ? context.taskLines[taskCode] : null;
  const parts = line ? Object.values(line.villageParts) : [];
  const notices = noticesOf(contract);
  const noticeIds = [...notices.map((notice) => notice.noticeId), 'N-unknown'];
  // Which objection is open is the objection table's to say; the machine counts them.
  const openObjections = notices
    .filter((notice) => notice.openObjections > 0)
    .map((notice) => ({ noticeId: notice.noticeId, objectionId: `O-open-${roll.a % 3}` }));
  switch (type) {
    case 'contract.signed':
      return {
        type,
        at,
        contractNo: roll.twist === 0 ? ' ' : 'QC-P',
        signedOn: '2025-05-30',
      };
    case 'work.started':
      return { type, at };
    case 'taskLine.claimed': {
      const count = roll.twist === 0 ? 0 : 1 + (roll.b % 3);
      const assigned = line?.assignedArea ?? 500;
      const villages = Array.from({ length: count }, (_, index) => ({
        villageCode: pick(VILLAGES, roll.b + index + (roll.twist === 1 && index > 0 ? 2 : 0)),
        claimedArea:
          ((roll.area + index * 137) % Math.floor(assigned / count + 40)) -
          (roll.twist === 2 ? 1 : 0),
      }));
      return { type, at, taskCode, villages };
    }
    case 'village.verified': {
      const villageCode = pick([...parts.map((part) => part.villageCode), 'V3'], roll.b);
      const claimed = parts.find((part) => part.villageCode === villageCode)?.claimedArea ?? 100;
      return {
        type,
        at,
        taskCode,
        villageCode,
        verifiedArea: (roll.area % (claimed + 10)) - (roll.twist === 3 ? claimed + 1 : 0),
        noticeId: roll.twist === 4 ? pick(noticeIds, roll.b) : fresh(),
        noticeEndsAt: plus7Days(at),
      };
    }
    case 'objection.filed':
      return {
        type,
        at,
        noticeId: pick(noticeIds, roll.b),
        objectionId:
          roll.twist < 3 && openObjections.length > 0
            ? pick(openObjections, roll.a).objectionId
            : fresh(),
      };
    case 'objection.resolved': {
      const target =
        roll.twist < 8 && openObjections.length > 0
          ? pick(openObjections, roll.a)
          : { noticeId: pick(noticeIds, roll.b), objectionId: `O-${roll.a % 4}` };
      return { type, at, ...target, outcome: roll.b % 2 === 0 ? 'dismissed' : 'upheld' };
    }
    case 'notice.elapsed': {
      const notice = pick([...notices, null], roll.b);
      const endsAt = notice ? Date.parse(notice.endsAt) : now;
      const when = roll.twist < 6 ? Math.max(now, endsAt) : roll.twist < 8 ? endsAt - SECOND : now;
      return { type, at: iso(when), noticeId: notice?.noticeId ?? 'N-unknown' };
    }
    case 'acceptance.completed': {
      // Mostly a line that is in town acceptance, so that the record's shape is what is tested.
      const inTown = Object.values(context.taskLines).filter(
        (candidate) => candidate.state === 'townAcceptance',
      );
      const target = roll.b % 4 !== 0 && inTown.length > 0 ? pick(inTown, roll.a) : line;
      let villages = Object.values(target?.villageParts ?? {}).map((part, index) => ({
        villageCode: part.villageCode,
        acceptedArea: (roll.area + index * 31) % ((part.verifiedArea ?? 0) + 3),
      }));
      if (roll.twist < 2 && villages.length > 1) {
        villages = [...villages.slice(0, -1), villages[0]]; // one village named twice
      } else if (roll.twist === 2) {
        villages = villages.slice(0, -1);
      } else if (roll.twist === 3) {
        villages = [...villages, { villageCode: 'V3', acceptedArea: 0 }];
      }
      return {
        type,
        at,
        taskCode: target?.taskCode ?? taskCode,
        villages,
        signers: QUORUM_SIGNERS,
      };
    }
    case 'taskLine.reworked':
    case 'taskLine.withdrawn':
      return { type, at, taskCode };
    case 'audit.approved': {
      const accepted = Object.values(context.taskLines).filter(
        (candidate) => candidate.state === 'accepted',
      );
      return {
        type,
        at,
        bureau: pick(['agriculture', 'finance'] as const, roll.b),
        approverId: pick(['person-1', 'person-2', 'person-3'], roll.a),
        ...(roll.twist < 4
          ? {}
          : {
              taskLines: accepted.map((candidate) => ({
                taskCode: candidate.taskCode,
                auditedArea: roll.area % ((candidate.acceptedArea ?? 0) + 4),
              })),
            }),
      };
    }
    case 'audit.rejected':
      return { type, at };
    case 'audit.sampleDrawn':
      return {
        type,
        at,
        sampleId: roll.twist === 0 ? 'S-other' : 'S-1',
        seed: 'a'.repeat(64),
        chainSeq: 1,
        chainHash: 'b'.repeat(64),
        toleranceBasisPoints: roll.b % 300,
        rows: Object.values(context.taskLines)
          .filter((candidate) => candidate.state === 'accepted')
          .map((candidate, index) => ({
            rowId: `R-${index}`,
            taskCode: candidate.taskCode,
            verifiedArea: 1 + (roll.area % ((candidate.acceptedArea ?? 0) + 1)),
          })),
      };
    case 'audit.visitRecorded': {
      const rowIds = Object.keys(context.auditSample?.rows ?? {});
      const rowId = pick([...rowIds, 'R-none'], roll.b);
      const verified = context.auditSample?.rows[rowId]?.verifiedArea ?? 10;
      return {
        type,
        at,
        sampleId: roll.twist === 1 ? 'S-other' : (context.auditSample?.sampleId ?? 'S-1'),
        visitId: fresh(),
        rowId,
        visitedOn: roll.twist === 2 ? '2025-01-01' : '2025-10-01',
        observedArea: (roll.area % (verified + 1)) + (roll.twist === 3 ? verified : 0),
      };
    }
    case 'mediaNotice.opened':
      return { type, at, noticeId: fresh(), noticeEndsAt: plus7Days(at) };
    case 'payout.issued':
      return {
        type,
        at,
        payoutId: fresh(),
        amountFen: roll.twist < 7 ? (context.subsidyFen ?? 0) : roll.area,
        issuerId: 'finance-clerk',
        providerEligible: true,
      };
    case 'payout.confirmed':
    case 'payout.failed':
      return {
        type,
        at,
        payoutId: roll.twist < 7 ? (context.payout?.payoutId ?? 'P-none') : 'P-other',
      };
    case 'contract.terminated':
      return { type, at, reason: roll.twist < 2 ? ' ' : 'Terminated by the district' };
  }
}

describe('property: random event sequences', () => {
  it('never break the area and money invariants, and refusals change nothing', () => {
    const reached = new Set<ContractState>();
    fc.assert(
      fc.property(fc.array(rollArb, { maxLength: 100, size: 'max' }), (rolls) => {
        let contract = initialContract(PROPERTY_INPUT);
        let now = BASE;
        let counter = 0;
        const fresh = () => `id-${++counter}`;
        const trace: { accepted: boolean; event: ContractEvent }[] = [];
        for (const roll of rolls) {
          now += roll.hours * HOUR;
          let event: ContractEvent | null = null;
          if (roll.mode < 5) event = usefulEvent(contract, now, fresh);
          if (event === null) {
            const taken = acceptedEventTypes(contract) as ContractEventType[];
            // Termination ends the run; keep it rare so that runs get far.
            const types = roll.mode === 9 || taken.length === 0 ? ALL_TYPES : taken;
            let type = pick(types, roll.kind);
            if (type === 'contract.terminated' && roll.twist !== 9)
              type = pick(types, roll.kind + 1);
            event = randomEvent(contract, type, roll, now, fresh);
          }
          now = Math.max(now, Date.parse(event.at));
          const before = JSON.stringify(contract);
          const result = step(contract, event);
          trace.push({ accepted: result.accepted, event });
          const history = () =>
            trace.map((entry) => `${entry.accepted ? '+' : '-'} ${JSON.stringify(entry.event)}`);
          if (!result.accepted) {
            if (JSON.stringify(contract) !== before) {
              throw new Error(`A refused event changed the contract:\n${history().join('\n')}`);
            }
            continue;
          }
          contract = result.next;
          reached.add(contract.value);
          const problems = invariantViolations(contract);
          if (problems.length > 0) {
            throw new Error(
              `${problems.join('; ')}\nin ${contract.value} after:\n${history().join('\n')}`,
            );
          }
        }
      }),
      { seed: 20150530, numRuns: 200 },
    );
    // The sequences get all the way: the property is not vacuous.
    expect([...reached].sort()).toEqual(
      [
        'audited',
        'contracted',
        'districtAudit',
        'inService',
        'mediaNotice',
        'paid',
        'payable',
        'payoutIssued',
        'terminated',
      ].sort(),
    );
  });
});

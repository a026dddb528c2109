import { render } from '../../../common/i18n/message';
import { decide, type PersistedContract } from './contract-lifecycle';
import {
  apply,
  auditedContract,
  claimed,
  ENDS,
  verified,
  withRunningNotice,
} from '../../../../test/factories/contracts';
import type { ContractEvent } from './contract.types';
import { acceptanceQuorum, type AcceptanceSigner, type Refusal } from './refusals';
import { ACCEPTANCE_ROLES } from '../../auth/roles';

/** The machine's refusals through decide(): the code and field a client gets, from the rule itself. */
const member = (
  signerId: string,
  acceptanceRole: AcceptanceSigner['acceptanceRole'],
  decision: 'pass' | 'fail' = 'pass',
): AcceptanceSigner => ({ signerId, acceptanceRole, decision });

const QUORUM: AcceptanceSigner[] = [
  member('a', 'technical_guidance'),
  member('b', 'township_leader'),
  member('c', 'station_head'),
  member('d', 'farmer_supervisor'),
  member('e', 'technical_guidance'),
];

/** One task line (100.00 mu claimed in V1, 90.00 verified), in town acceptance. */
function inTownAcceptance(): PersistedContract {
  return apply(withRunningNotice(9_000), { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' });
}

const completed = (signers: AcceptanceSigner[], acceptedArea = 9_000): ContractEvent => ({
  type: 'acceptance.completed',
  at: ENDS,
  taskCode: 'WHEAT',
  villages: [{ villageCode: 'V1', acceptedArea }],
  signers,
});

function refusal(current: PersistedContract, event: ContractEvent) {
  const decision = decide(current, event);
  if (decision.applies) throw new Error(`${event.type} applied`);
  return inEnglish(decision.refusal);
}

/**
 * The refusal as an English client reads it: the machine keeps a catalogue key and its
 * parameters (the words are rendered at the edge); these tests read the words.
 */
function inEnglish(refusal: Refusal): Omit<Refusal, 'message'> & { message: string };
function inEnglish(
  refusal: Refusal | undefined,
): (Omit<Refusal, 'message'> & { message: string }) | undefined;
function inEnglish(refusal: Refusal | undefined) {
  return refusal && { ...refusal, message: render(refusal.message, 'en') };
}

describe('refusals: the machine says why', () => {
  it('verification above the claim → AREA_ABOVE_PREVIOUS_STAGE; twice → INVALID_TRANSITION', () => {
    const contract = claimed();
    const event = verified;
    expect(refusal(contract, event(10_001))).toMatchObject({ code: 'AREA_ABOVE_PREVIOUS_STAGE' });
    const next = apply(contract, event(10_000));
    expect(refusal(next, event(5_000))).toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('town acceptance needs five distinct pass signers covering the four roles', () => {
    const contract = inTownAcceptance();
    expect(refusal(contract, completed(QUORUM.slice(0, 4)))).toMatchObject({
      code: 'QUORUM_NOT_MET',
    });
    // Five, but one role missing (the survivor of the mutation run: now the machine's own rule).
    const noFarmer = [...QUORUM.slice(0, 3), member('d', 'technical_guidance'), QUORUM[4]];
    expect(refusal(contract, completed(noFarmer))).toMatchObject({ code: 'QUORUM_NOT_MET' });
    // One person twice counts once.
    const twice = [...QUORUM.slice(0, 4), member('a', 'technical_guidance')];
    expect(refusal(contract, completed(twice))).toMatchObject({ code: 'QUORUM_NOT_MET' });
    // A fail stops the record.
    expect(
      refusal(contract, completed([...QUORUM, member('f', 'station_head', 'fail')])),
    ).toMatchObject({
      code: 'QUORUM_NOT_MET',
    });
    expect(refusal(contract, completed(QUORUM, 9_001))).toMatchObject({
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
      field: 'villages[0].acceptedAreaMu',
    });
    expect(decide(contract, completed(QUORUM)).applies).toBe(true);
  });

  it('district audit: two bureaus, two people, areas only down, the second confirms', () => {
    const accepted = apply(inTownAcceptance(), completed(QUORUM, 8_000));
    expect(accepted.value).toBe('districtAudit');
    const approval = (
      bureau: 'agriculture' | 'finance',
      approverId: string,
      taskLines?: { taskCode: string; auditedArea: number }[],
    ): ContractEvent => ({ type: 'audit.approved', at: ENDS, bureau, approverId, taskLines });
    expect(
      refusal(accepted, approval('agriculture', 'u1', [{ taskCode: 'WHEAT', auditedArea: 8_001 }])),
    ).toMatchObject({
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
      field: 'taskLines[0].auditedAreaMu',
    });
    expect(
      refusal(accepted, approval('agriculture', 'u1', [{ taskCode: 'CORN', auditedArea: 1 }])),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'taskLines[0].taskCode',
    });
    const first = apply(
      accepted,
      approval('agriculture', 'u1', [{ taskCode: 'WHEAT', auditedArea: 7_500 }]),
    );
    expect(refusal(first, approval('finance', 'u1'))).toMatchObject({
      code: 'SEPARATION_OF_DUTIES',
    });
    expect(refusal(first, approval('agriculture', 'u2'))).toMatchObject({
      code: 'APPROVAL_EXISTS',
    });
    expect(
      refusal(first, approval('finance', 'u2', [{ taskCode: 'WHEAT', auditedArea: 7_000 }])),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'taskLines',
    });
    const audited = apply(first, approval('finance', 'u2'));
    expect(audited.value).toBe('audited');
    expect(audited.context.subsidyFen).toBe(477525); // 75.00 mu × 63.67
  });

  it('an event the state does not take → INVALID_TRANSITION naming the state', () => {
    const contract = inTownAcceptance();
    expect(refusal(contract, { type: 'payout.confirmed', at: ENDS, payoutId: 'P' })).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'payout.confirmed is not allowed while the contract is inService',
    });
  });

  it('payout: not by the finance approver, only to an eligible provider, exactly the subsidy', () => {
    // Audited, media notice cleared: payable with the subsidy of 90.00 mu × 63.67 yuan.
    let contract = auditedContract({
      unitPriceFen: 6367,
      claimedArea: 10_000,
      verifiedArea: 9_000,
      acceptedArea: 9_000,
      auditedArea: 9_000,
    });
    contract = apply(contract, {
      type: 'mediaNotice.opened',
      at: ENDS,
      noticeId: 'M-1',
      noticeEndsAt: '2015-06-15T00:00:00.000Z',
    });
    contract = apply(contract, {
      type: 'notice.elapsed',
      at: '2015-06-15T00:00:00.000Z',
      noticeId: 'M-1',
    });
    expect(contract.value).toBe('payable');
    const subsidy = contract.context.subsidyFen as number;
    expect(subsidy).toBe(573_030);
    const payout = (overrides: Partial<Extract<ContractEvent, { type: 'payout.issued' }>>) =>
      ({
        type: 'payout.issued',
        at: ENDS,
        payoutId: 'P-1',
        amountFen: subsidy,
        issuerId: 'F2',
        providerEligible: true,
        ...overrides,
      }) as ContractEvent;
    expect(refusal(contract, payout({ issuerId: 'F1' })).code).toBe('SEPARATION_OF_DUTIES');
    expect(
      refusal(contract, payout({ providerEligible: false, providerReason: 'blacklisted' })),
    ).toEqual({
      code: 'PROVIDER_NOT_ELIGIBLE',
      message: 'The organisation is not eligible today: blacklisted',
    });
    expect(refusal(contract, payout({ amountFen: subsidy - 1 })).code).toBe('INVALID_TRANSITION');
    expect(decide(contract, payout({})).applies).toBe(true);
  });

  it('a second payout while one is issued or confirmed → PAYOUT_EXISTS; after a failure it applies', () => {
    let contract = auditedContract({
      unitPriceFen: 6367,
      claimedArea: 10_000,
      verifiedArea: 10_000,
      acceptedArea: 10_000,
      auditedArea: 10_000,
    });
    // Not yet payable: no payout exists, so the state explains it.
    const payout = (payoutId: string): ContractEvent => ({
      type: 'payout.issued',
      at: ENDS,
      payoutId,
      amountFen: contract.context.subsidyFen as number,
      issuerId: 'F2',
      providerEligible: true,
    });
    expect(refusal(contract, payout('P-0')).code).toBe('INVALID_TRANSITION');
    contract = apply(contract, {
      type: 'mediaNotice.opened',
      at: ENDS,
      noticeId: 'M-1',
      noticeEndsAt: ENDS,
    });
    contract = apply(contract, { type: 'notice.elapsed', at: ENDS, noticeId: 'M-1' });
    const issued = apply(contract, payout('P-1'));
    const exists = {
      code: 'PAYOUT_EXISTS',
      message: 'The contract already has payout P-1 (issued or confirmed)',
    };
    expect(refusal(issued, payout('P-2'))).toEqual(exists);
    const paid = apply(issued, { type: 'payout.confirmed', at: ENDS, payoutId: 'P-1' });
    expect(refusal(paid, payout('P-2'))).toEqual(exists);
    const failed = apply(issued, { type: 'payout.failed', at: ENDS, payoutId: 'P-1' });
    expect(decide(failed, payout('P-2')).applies).toBe(true);
  });

  it('an objection to a closed notice → NOTICE_CLOSED, in any state, terminated included', () => {
    const running = withRunningNotice(9_000);
    const objection: ContractEvent = {
      type: 'objection.filed',
      at: ENDS,
      noticeId: 'N-1',
      objectionId: 'O-1',
    };
    expect(decide(running, objection).applies).toBe(true);
    const cleared = apply(running, { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' });
    expect(refusal(cleared, objection).code).toBe('NOTICE_CLOSED');
    expect(refusal(running, { ...objection, noticeId: 'N-unknown' }).code).toBe('NOTICE_CLOSED');
    const terminated = apply(running, { type: 'contract.terminated', at: ENDS, reason: '违约' });
    expect(refusal(terminated, objection)).toEqual({
      code: 'NOTICE_CLOSED',
      message: 'This notice takes no more objections',
    });
  });

  it("the organisation's cap: the confirming approval cuts the subsidy to what is left", () => {
    const spec = {
      unitPriceFen: 6367,
      subsidyPerMuFen: 1910,
      claimedArea: 10_000,
      verifiedArea: 10_000,
      acceptedArea: 10_000,
      auditedArea: 10_000,
    };
    // 100.00 mu × 19.10 yuan = 1,910.00 yuan; 1,000.00 yuan left of the cap.
    const cut = auditedContract({ ...spec, capRemainingFen: 100_000 });
    expect(cut.context.taskLines.WHEAT.amountFen).toBe(191_000);
    expect(cut.context.subsidyFen).toBe(100_000);
    expect(cut.context.capCutFen).toBe(91_000);
    // Nothing left (another contract took it all, or more): nothing to pay, all cut.
    expect(auditedContract({ ...spec, capRemainingFen: -5 }).context).toMatchObject({
      subsidyFen: 0,
      capCutFen: 191_000,
    });
    // Room enough: no cut; no cap: no cut recorded at all.
    expect(auditedContract({ ...spec, capRemainingFen: 500_000 }).context.capCutFen).toBe(0);
    expect(auditedContract(spec).context.capCutFen).toBeNull();
  });
});

/** The boundaries of "areas only go down": equal and zero pass, one hundredth more does not. */
describe('area boundaries', () => {
  it('accepts exactly the verified area and zero, refuses one hundredth more or a negative one', () => {
    expect(decide(inTownAcceptance(), completed(QUORUM, 9_000)).applies).toBe(true);
    expect(decide(inTownAcceptance(), completed(QUORUM, 0)).applies).toBe(true);
    expect(refusal(inTownAcceptance(), completed(QUORUM, 9_001))).toMatchObject({
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
    });
    expect(refusal(inTownAcceptance(), completed(QUORUM, -1))).toMatchObject({
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
    });
  });

  it('audits exactly the accepted area and zero, refuses one hundredth more or a negative one', () => {
    const accepted = apply(inTownAcceptance(), completed(QUORUM, 8_000));
    const approval = (auditedArea: number): ContractEvent => ({
      type: 'audit.approved',
      at: ENDS,
      bureau: 'agriculture',
      approverId: 'u1',
      taskLines: [{ taskCode: 'WHEAT', auditedArea }],
    });
    expect(decide(accepted, approval(8_000)).applies).toBe(true);
    expect(decide(accepted, approval(0)).applies).toBe(true);
    expect(refusal(accepted, approval(8_001))).toMatchObject({ code: 'AREA_ABOVE_PREVIOUS_STAGE' });
    expect(refusal(accepted, approval(-1))).toMatchObject({ code: 'AREA_ABOVE_PREVIOUS_STAGE' });
  });
});

/** Issue 16's surviving mutant: five pass signers with one of the four roles missing. */
describe('acceptanceQuorum', () => {
  it.each(ACCEPTANCE_ROLES)('is not met by five passes without a %s', (missing) => {
    const others = ACCEPTANCE_ROLES.filter((role) => role !== missing);
    const five = [...others, others[0], others[1]].map((role, i) => member(`s${i}`, role));
    expect(acceptanceQuorum(five)).toEqual({ passCount: 5, rolesCovered: others, met: false });
  });

  it('is met by five distinct passes covering the four roles, and by more', () => {
    expect(acceptanceQuorum(QUORUM)).toEqual({
      passCount: 5,
      rolesCovered: [...ACCEPTANCE_ROLES],
      met: true,
    });
    const six = [...QUORUM, member('f', 'station_head')];
    expect(acceptanceQuorum(six)).toMatchObject({ passCount: 6, met: true });
  });

  it('is not met by four, by a signer counted twice, or with any fail', () => {
    expect(acceptanceQuorum(QUORUM.slice(0, 4))).toMatchObject({ passCount: 4, met: false });
    expect(
      acceptanceQuorum([...QUORUM.slice(0, 4), member('a', 'technical_guidance')]),
    ).toMatchObject({
      passCount: 4,
      met: false,
    });
    const withFail = [...QUORUM, member('f', 'station_head', 'fail')];
    expect(acceptanceQuorum(withFail)).toEqual({
      passCount: 5,
      rolesCovered: [...ACCEPTANCE_ROLES],
      met: false,
    });
    expect(acceptanceQuorum([])).toEqual({ passCount: 0, rolesCovered: [], met: false });
  });
});

import {
  apply,
  auditedContract,
  claimed,
  ENDS,
  QUORUM_SIGNERS,
  T0,
} from '../../../../test/factories/contracts';
import { render } from '../../../common/i18n/message';
import { decide, type PersistedContract } from './contract-lifecycle';
import type { ContractEvent } from './contract.types';
import { acceptedAreasRefusal, objectionRefusal, payoutRefusal, type Refusal } from './refusals';

/**
 * What a refused client reads: api.md answers a refused command with the machine's refusal —
 * its code, its field and its message (the village, the state, the areas in mu). Each rule's
 * whole refusal is asserted here, so a rule that names the wrong village, state, field or area,
 * or formats 100.05 mu as 100.5, fails.
 */

/** WHEAT claimed in two villages: V1 100.00 mu, V2 50.00 mu. */
const claimedInTwoVillages = (): PersistedContract =>
  claimed([
    { villageCode: 'V1', claimedArea: 10_000 },
    { villageCode: 'V2', claimedArea: 5_000 },
  ]);

const verification = (
  villageCode: string,
  verifiedArea: number,
  taskCode = 'WHEAT',
): ContractEvent => ({
  type: 'village.verified',
  at: T0,
  taskCode,
  villageCode,
  verifiedArea,
  noticeId: `N-${villageCode}`,
  noticeEndsAt: ENDS,
});

/** Both villages verified in full and their notices cleared: WHEAT in town acceptance. */
function inTownAcceptance(): PersistedContract {
  let contract = claimedInTwoVillages();
  for (const [village, area] of [
    ['V1', 10_000],
    ['V2', 5_000],
  ] as const) {
    contract = apply(contract, verification(village, area));
    contract = apply(contract, { type: 'notice.elapsed', at: ENDS, noticeId: `N-${village}` });
  }
  return contract;
}

const acceptance = (
  villages: { villageCode: string; acceptedArea: number }[],
  signers = QUORUM_SIGNERS,
  taskCode = 'WHEAT',
): ContractEvent => ({ type: 'acceptance.completed', at: ENDS, taskCode, villages, signers });

const BOTH_IN_FULL = [
  { villageCode: 'V1', acceptedArea: 10_000 },
  { villageCode: 'V2', acceptedArea: 5_000 },
];

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

describe('the refusal a client reads', () => {
  describe('village verification', () => {
    it('names the part and its state, or says it is not part of the contract', () => {
      const running = apply(claimedInTwoVillages(), verification('V1', 10_000));
      expect(refusal(running, verification('V1', 9_000))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'village part WHEAT/V1 is noticeRunning',
      });
      expect(refusal(running, verification('V9', 1))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'village part WHEAT/V9 is not part of this contract',
      });
      expect(refusal(running, verification('V1', 1, 'CORN'))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'village part CORN/V1 is not part of this contract',
      });
    });

    it('gives the verified and the claimed area in mu with two decimals, on the rows', () => {
      expect(refusal(claimedInTwoVillages(), verification('V2', 5_005))).toEqual({
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: 'V2: verified 50.05 mu is above the claimed 50.00 mu',
        field: 'rows',
      });
      expect(decide(claimedInTwoVillages(), verification('V2', 5_000)).applies).toBe(true);
      expect(refusal(claimedInTwoVillages(), verification('V2', -1))).toEqual({
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: 'V2: verified -0.01 mu is above the claimed 50.00 mu',
        field: 'rows',
      });
    });
  });

  describe('town acceptance', () => {
    it('names the task line and its state', () => {
      expect(refusal(claimedInTwoVillages(), acceptance(BOTH_IN_FULL))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'task line WHEAT is claimed',
      });
      expect(refusal(inTownAcceptance(), acceptance(BOTH_IN_FULL, QUORUM_SIGNERS, 'CORN'))).toEqual(
        {
          code: 'INVALID_TRANSITION',
          message: 'task line CORN is not part of this contract',
        },
      );
    });

    it.each([
      ['one village of two', [BOTH_IN_FULL[0]]],
      ['a village twice', [BOTH_IN_FULL[0], BOTH_IN_FULL[0]]],
      ['every village, one of them twice', [...BOTH_IN_FULL, BOTH_IN_FULL[0]]],
      [
        'two villages, one not of the line',
        [BOTH_IN_FULL[0], { villageCode: 'V9', acceptedArea: 1 }],
      ],
      ['three villages', [...BOTH_IN_FULL, { villageCode: 'V9', acceptedArea: 1 }]],
    ])('wants every village part once: %s', (_case, villages) => {
      expect(refusal(inTownAcceptance(), acceptance(villages))).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'name every village part of WHEAT once (V1, V2)',
        field: 'villages',
      });
    });

    it('points at the village whose accepted area is above its verified one', () => {
      const villages = [BOTH_IN_FULL[0], { villageCode: 'V2', acceptedArea: 5_001 }];
      expect(refusal(inTownAcceptance(), acceptance(villages))).toEqual({
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: 'V2: accepted 50.01 mu is above the verified 50.00 mu',
        field: 'villages[1].acceptedAreaMu',
      });
      expect(decide(inTownAcceptance(), acceptance(BOTH_IN_FULL)).applies).toBe(true);
    });

    it('says how many pass signers and which roles it has', () => {
      expect(
        refusal(inTownAcceptance(), acceptance(BOTH_IN_FULL, QUORUM_SIGNERS.slice(0, 3))),
      ).toEqual({
        code: 'QUORUM_NOT_MET',
        message:
          'town acceptance needs 5 distinct pass signers covering technical_guidance, township_leader, station_head, farmer_supervisor; it has 3 covering technical_guidance, township_leader, station_head',
      });
      expect(refusal(inTownAcceptance(), acceptance(BOTH_IN_FULL, []))).toEqual({
        code: 'QUORUM_NOT_MET',
        message:
          'town acceptance needs 5 distinct pass signers covering technical_guidance, township_leader, station_head, farmer_supervisor; it has 0 covering none',
      });
    });

    it('a line the contract lacks, asked directly', () => {
      expect(
        inEnglish(acceptedAreasRefusal(inTownAcceptance().context, 'CORN', BOTH_IN_FULL)),
      ).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'no task line CORN',
      });
    });
  });

  describe('district audit', () => {
    const accepted = () => apply(inTownAcceptance(), acceptance(BOTH_IN_FULL));
    const approval = (
      bureau: 'agriculture' | 'finance',
      approverId: string,
      taskLines?: { taskCode: string; auditedArea: number }[],
    ): ContractEvent => ({ type: 'audit.approved', at: ENDS, bureau, approverId, taskLines });

    it('names the task line not accepted and the audited area above the accepted one, by index', () => {
      const lines = (second: { taskCode: string; auditedArea: number }) => [
        { taskCode: 'WHEAT', auditedArea: 15_000 },
        second,
      ];
      expect(
        refusal(
          accepted(),
          approval('agriculture', 'u1', lines({ taskCode: 'CORN', auditedArea: 1 })),
        ),
      ).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'no accepted task line CORN',
        field: 'taskLines[1].taskCode',
      });
      expect(
        refusal(
          accepted(),
          approval('agriculture', 'u1', lines({ taskCode: 'WHEAT', auditedArea: 15_001 })),
        ),
      ).toEqual({
        code: 'AREA_ABOVE_PREVIOUS_STAGE',
        message: 'Task line WHEAT: audited 150.01 mu is above the accepted 150.00 mu',
        field: 'taskLines[1].auditedAreaMu',
      });
    });

    it('explains separation of duties, a second approval of one side, and a confirmation that changes areas', () => {
      const first = apply(
        accepted(),
        approval('agriculture', 'u1', [{ taskCode: 'WHEAT', auditedArea: 14_000 }]),
      );
      expect(refusal(first, approval('finance', 'u1'))).toEqual({
        code: 'SEPARATION_OF_DUTIES',
        message: 'The two approvals of an audit are given by two different people',
      });
      expect(refusal(first, approval('agriculture', 'u2'))).toEqual({
        code: 'APPROVAL_EXISTS',
        message: 'The agriculture side has approved this audit already',
      });
      expect(refusal(first, approval('finance', 'u2', []))).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'the second approval confirms the audited areas; it does not change them',
        field: 'taskLines',
      });
    });
  });

  describe('payout', () => {
    const payable = (capRemainingFen?: number) => {
      let contract = auditedContract({
        unitPriceFen: 6367,
        claimedArea: 10_000,
        verifiedArea: 10_000,
        acceptedArea: 10_000,
        auditedArea: 10_000,
        ...(capRemainingFen === undefined ? {} : { capRemainingFen }),
      });
      contract = apply(contract, {
        type: 'mediaNotice.opened',
        at: ENDS,
        noticeId: 'M-1',
        noticeEndsAt: '2015-06-15T00:00:00.000Z',
      });
      return apply(contract, {
        type: 'notice.elapsed',
        at: '2015-06-15T00:00:00.000Z',
        noticeId: 'M-1',
      });
    };
    const payout = (
      amountFen: number,
      more: Partial<Extract<ContractEvent, { type: 'payout.issued' }>> = {},
    ) =>
      ({
        type: 'payout.issued',
        at: ENDS,
        payoutId: 'P-1',
        amountFen,
        issuerId: 'F2',
        providerEligible: true,
        ...more,
      }) as Extract<ContractEvent, { type: 'payout.issued' }>;

    it('refuses the finance approver, an ineligible provider without a reason, and any other amount', () => {
      expect(refusal(payable(), payout(636_700, { issuerId: 'F1' }))).toEqual({
        code: 'SEPARATION_OF_DUTIES',
        message: "The approver of the audit's finance side may not issue its payout",
      });
      expect(refusal(payable(), payout(636_700, { providerEligible: false }))).toEqual({
        code: 'PROVIDER_NOT_ELIGIBLE',
        message: 'The organisation is not eligible today',
      });
      expect(refusal(payable(), payout(636_701))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'A payout is the final subsidy (636700 fen), and more than nothing',
      });
      expect(decide(payable(), payout(636_700)).applies).toBe(true);
    });

    it('pays nothing when the cap took the whole subsidy, and nothing before there is one', () => {
      const allCut = payable(0);
      expect(allCut.context.subsidyFen).toBe(0);
      expect(refusal(allCut, payout(0))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'A payout is the final subsidy (0 fen), and more than nothing',
      });
      expect(inEnglish(payoutRefusal(claimedInTwoVillages().context, payout(0)))).toEqual({
        code: 'INVALID_TRANSITION',
        message: 'A payout is the final subsidy (none fen), and more than nothing',
      });
    });
  });

  it('an objection: nothing to refuse while the notice runs; NOTICE_CLOSED once it cannot take one', () => {
    const running = apply(claimedInTwoVillages(), verification('V1', 10_000));
    const objection = (noticeId: string) =>
      ({ type: 'objection.filed', at: T0, noticeId, objectionId: 'O-1' }) as Extract<
        ContractEvent,
        { type: 'objection.filed' }
      >;
    expect(objectionRefusal(running, objection('N-V1'))).toBeUndefined();
    expect(inEnglish(objectionRefusal(running, objection('N-V2')))).toEqual({
      code: 'NOTICE_CLOSED',
      message: 'This notice takes no more objections',
    });
  });
});

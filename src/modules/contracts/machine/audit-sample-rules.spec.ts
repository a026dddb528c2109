import { render } from '../../../common/i18n/message';
import { decide, type PersistedContract } from './contract-lifecycle';
import {
  apply,
  ENDS,
  QUORUM_SIGNERS,
  verified,
  claimed,
  inService,
  T0,
} from '../../../../test/factories/contracts';
import type { ContractEvent } from './contract.types';
import { sampleOutcomes } from './contract-context';
import { sampledTaskLines } from './queries';

/**
 * The district audit by sample through decide(): the draw and the visits are events of the
 * contract; the approval's refusals and its default audited area come from the sample.
 */

/** WHEAT in V1: 100.00 mu verified, 100.00 accepted, in district audit. */
function inDistrictAudit(acceptedArea = 10_000): PersistedContract {
  let contract = apply(claimed(), verified(10_000));
  contract = apply(contract, { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' });
  return apply(contract, {
    type: 'acceptance.completed',
    at: ENDS,
    taskCode: 'WHEAT',
    villages: [{ villageCode: 'V1', acceptedArea }],
    signers: QUORUM_SIGNERS,
  });
}

const drawn = (toleranceBasisPoints = 200): ContractEvent => ({
  type: 'audit.sampleDrawn',
  at: ENDS,
  sampleId: 'S1',
  seed: 'a'.repeat(64),
  chainSeq: 7,
  chainHash: 'b'.repeat(64),
  toleranceBasisPoints,
  rows: [
    { rowId: 'R1', taskCode: 'WHEAT', verifiedArea: 6_000 },
    { rowId: 'R2', taskCode: 'WHEAT', verifiedArea: 4_000 },
  ],
});

const visit = (rowId: string, observedArea: number, visitedOn = '2015-07-01'): ContractEvent => ({
  type: 'audit.visitRecorded',
  at: ENDS,
  sampleId: 'S1',
  visitId: `V-${rowId}`,
  rowId,
  visitedOn,
  observedArea,
});

const approve = (
  extra: Partial<Extract<ContractEvent, { type: 'audit.approved' }>> = {},
): ContractEvent => ({
  type: 'audit.approved',
  at: ENDS,
  bureau: 'agriculture',
  approverId: 'A1',
  ...extra,
});

function refusal(contract: PersistedContract, event: ContractEvent) {
  const decision = decide(contract, event);
  if (decision.applies) throw new Error(`${event.type} applied`);
  return decision.refusal;
}

/**
 * WHEAT and CORN in V1, each 100.00 mu claimed, verified and accepted: in district audit. A third
 * line, RICE, was withdrawn in service.
 */
function twoLinesInDistrictAudit(): PersistedContract {
  let contract = apply(inService(['WHEAT', 'CORN', 'RICE'], 'C2'), {
    type: 'taskLine.withdrawn',
    at: T0,
    taskCode: 'RICE',
  });
  for (const taskCode of ['WHEAT', 'CORN'])
    for (const event of [
      {
        type: 'taskLine.claimed',
        at: T0,
        taskCode,
        villages: [{ villageCode: 'V1', claimedArea: 10_000 }],
      },
      { ...verified(10_000), taskCode, noticeId: `N-${taskCode}` },
      { type: 'notice.elapsed', at: ENDS, noticeId: `N-${taskCode}` },
      {
        type: 'acceptance.completed',
        at: ENDS,
        taskCode,
        villages: [{ villageCode: 'V1', acceptedArea: 10_000 }],
        signers: QUORUM_SIGNERS,
      },
    ] as ContractEvent[])
      contract = apply(contract, event);
  return contract;
}

describe('district audit by sample (machine)', () => {
  it('the sample draws from the accepted task lines only', () => {
    expect(sampledTaskLines(claimed().context)).toEqual([]);
    expect(sampledTaskLines(inDistrictAudit().context)).toEqual(['WHEAT']);
  });

  it('a sample is drawn once, only in district audit, and kept through a rejection', () => {
    expect(refusal(claimed(), drawn()).code).toBe('INVALID_TRANSITION');
    const sampled = apply(inDistrictAudit(), drawn());
    expect(sampled.context.auditSample?.rows.R1).toEqual({
      taskCode: 'WHEAT',
      verifiedArea: 6_000,
      observedArea: null,
    });
    expect(refusal(sampled, drawn())).toMatchObject({ code: 'AUDIT_SAMPLE_EXISTS' });
    const rejected = apply(sampled, { type: 'audit.rejected', at: ENDS });
    expect(rejected.context.auditSample).toEqual(sampled.context.auditSample);
    expect(refusal(rejected, drawn()).code).toBe('AUDIT_SAMPLE_EXISTS');
  });

  it('a visit: of a sampled row, once, no more than verified, not before signing', () => {
    const sampled = apply(inDistrictAudit(), drawn());
    expect(refusal(inDistrictAudit(), visit('R1', 1))).toMatchObject({ code: 'NOT_IN_SAMPLE' });
    expect(refusal(sampled, visit('R9', 1))).toMatchObject({
      code: 'NOT_IN_SAMPLE',
      field: 'rowId',
    });
    expect(refusal(sampled, { ...visit('R1', 1), sampleId: 'S2' } as ContractEvent).code).toBe(
      'NOT_IN_SAMPLE',
    );
    expect(refusal(sampled, visit('R1', 6_001))).toMatchObject({
      code: 'AREA_ABOVE_PREVIOUS_STAGE',
      field: 'observedAreaMu',
    });
    expect(refusal(sampled, visit('R1', -1)).code).toBe('AREA_ABOVE_PREVIOUS_STAGE');
    expect(refusal(sampled, visit('R1', 6_000, '2015-05-31'))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'visitedOn',
    });
    const once = apply(sampled, visit('R1', 6_000, '2015-06-01'));
    expect(once.context.auditSample?.rows.R1.observedArea).toBe(6_000);
    expect(refusal(once, visit('R1', 5_000))).toMatchObject({
      code: 'ALREADY_VISITED',
      field: 'rowId',
    });
  });

  it('a visit that finds no work on the plot records 0.00 mu: nothing seen is an answer too', () => {
    const none = apply(apply(inDistrictAudit(), drawn()), visit('R2', 0));
    expect(none.context.auditSample?.rows.R2.observedArea).toBe(0);
  });

  it('under a policy with a sample: no first approval before the sample is drawn and fully visited', () => {
    expect(refusal(inDistrictAudit(), approve({ sampleRequired: true })).code).toBe(
      'AUDIT_SAMPLE_INCOMPLETE',
    );
    const sampled = apply(inDistrictAudit(), drawn());
    expect(refusal(sampled, approve({ sampleRequired: true })).code).toBe(
      'AUDIT_SAMPLE_INCOMPLETE',
    );
    // The message counts the rows not visited yet: both, here.
    expect(render(refusal(sampled, approve({ sampleRequired: true })).message, 'zh')).toBe(
      '还有 2 个样本行未走访；请走访全部样本行后再批准审核',
    );
    const half = apply(sampled, visit('R1', 6_000));
    expect(render(refusal(half, approve({ sampleRequired: true })).message, 'en')).toContain(
      '1 sampled row',
    );
    // Without a policy's sample, a partly visited sample does not stop the approval.
    expect(decide(half, approve()).applies).toBe(true);
    expect(decide(inDistrictAudit(), approve({ sampleRequired: false })).applies).toBe(true);
  });

  it('the sample gates the first approval only, which fixes the areas; the second confirms them', () => {
    // The first bureau approved while the policy asked for no sample; the policy asks for one by
    // the time the second bureau confirms. The second approval changes no area: it passes.
    const first = apply(inDistrictAudit(), approve({ sampleRequired: false }));
    expect(
      decide(first, approve({ bureau: 'finance', approverId: 'F1', sampleRequired: true })).applies,
    ).toBe(true);
  });

  it("two task lines: each accepted line's outcome counts its own sampled rows only; a withdrawn line has none", () => {
    const sampled = apply(twoLinesInDistrictAudit(), {
      ...(drawn() as Extract<ContractEvent, { type: 'audit.sampleDrawn' }>),
      rows: [
        { rowId: 'R1', taskCode: 'WHEAT', verifiedArea: 6_000 },
        { rowId: 'R2', taskCode: 'CORN', verifiedArea: 4_000 },
      ],
    });
    const visited = apply(apply(sampled, visit('R1', 6_000)), visit('R2', 2_000));
    expect(sampleOutcomes(visited.context)).toEqual({
      WHEAT: {
        taskCode: 'WHEAT',
        sampledArea: 6_000,
        observedArea: 6_000,
        acceptedArea: 10_000,
        maxAuditedArea: 10_000,
      },
      CORN: {
        taskCode: 'CORN',
        sampledArea: 4_000,
        observedArea: 2_000,
        acceptedArea: 10_000,
        maxAuditedArea: 5_000, // 50 % short, beyond the tolerance: floor(10000 × 2000 / 4000)
      },
    });
  });

  it('within the tolerance the visited rows pay what was seen; the default is the maximum', () => {
    // S = 100.00, O = 98.00 (2 % short, the tolerance): A − (S − O) = 98.00 of 100.00.
    const visited = apply(
      apply(apply(inDistrictAudit(), drawn()), visit('R1', 6_000)),
      visit('R2', 3_800),
    );
    expect(sampleOutcomes(visited.context)?.WHEAT).toEqual({
      taskCode: 'WHEAT',
      sampledArea: 10_000,
      observedArea: 9_800,
      acceptedArea: 10_000,
      maxAuditedArea: 9_800,
    });
    const approved = apply(visited, approve({ sampleRequired: true }));
    expect(approved.context.taskLines.WHEAT.auditedArea).toBe(9_800);
    expect(
      refusal(visited, approve({ taskLines: [{ taskCode: 'WHEAT', auditedArea: 9_801 }] })),
    ).toMatchObject({
      code: 'AUDIT_SAMPLE_SHORTFALL',
      field: 'taskLines[0].auditedAreaMu',
      message: expect.objectContaining({
        key: 'refusal.sampleShortfall',
        params: expect.objectContaining({ max: '98.00' }),
      }),
    });
    expect(
      apply(visited, approve({ taskLines: [{ taskCode: 'WHEAT', auditedArea: 9_800 }] })).context
        .taskLines.WHEAT.auditedArea,
    ).toBe(9_800);
  });

  it('one hundredth beyond the tolerance: the shortfall is assumed for the rows not visited', () => {
    // A = 90.00 accepted, S = 100.00, O = 97.99: 2.01 % short, beyond a 2 % tolerance.
    const visited = apply(
      apply(apply(inDistrictAudit(9_000), drawn()), visit('R1', 6_000)),
      visit('R2', 3_799),
    );
    expect(sampleOutcomes(visited.context)?.WHEAT.maxAuditedArea).toBe(8_819); // floor(9000 × 9799 / 10000)
    const withTolerance3 = apply(
      apply(apply(inDistrictAudit(9_000), drawn(300)), visit('R1', 6_000)),
      visit('R2', 3_799),
    );
    expect(sampleOutcomes(withTolerance3.context)?.WHEAT.maxAuditedArea).toBe(9_000 - 201);
    // The second approval confirms: no sample rule applies to it again.
    const first = apply(visited, approve());
    expect(first.context.taskLines.WHEAT.auditedArea).toBe(8_819);
    const second = apply(
      first,
      approve({ bureau: 'finance', approverId: 'F1', sampleRequired: true }),
    );
    expect(second.value).toBe('audited');
  });
});

import {
  apply,
  auditedContract,
  ENDS,
  QUORUM_SIGNERS,
  withRunningNotice,
} from '../../../../test/factories/contracts';
import type { PersistedContract } from './contract-lifecycle';

/** What an audit approval records in the snapshot (the audit sheet prints it). */
const SPEC = {
  unitPriceFen: 6367,
  claimedArea: 10_000,
  verifiedArea: 10_000,
  acceptedArea: 10_000,
  auditedArea: 10_000,
};

describe('recording an audit approval', () => {
  it("keeps the approver's note, and writes no note key for an approval without one", () => {
    const inAudit = apply(
      apply(withRunningNotice(10_000), { type: 'notice.elapsed', at: ENDS, noticeId: 'N-1' }),
      {
        type: 'acceptance.completed',
        at: ENDS,
        taskCode: 'WHEAT',
        villages: [{ villageCode: 'V1', acceptedArea: 10_000 }],
        signers: QUORUM_SIGNERS,
      },
    );
    const approved = apply(inAudit, {
      type: 'audit.approved',
      at: ENDS,
      bureau: 'agriculture',
      approverId: 'A1',
      note: '同意，面积属实',
    });
    expect(approved.context.audit.approvals).toEqual([
      { bureau: 'agriculture', approverId: 'A1', at: ENDS, note: '同意，面积属实' },
    ]);
    const audited: PersistedContract = auditedContract(SPEC);
    expect(audited.context.audit.approvals.map((approval) => Object.keys(approval).sort())).toEqual(
      [
        ['approverId', 'at', 'bureau'],
        ['approverId', 'at', 'bureau'],
      ],
    );
  });

  it('records what is left of the cap only when the approval brings it: no key before policies', () => {
    expect('capRemainingFen' in auditedContract(SPEC).context.audit).toBe(false);
    expect(auditedContract({ ...SPEC, capRemainingFen: 1_234 }).context.audit.capRemainingFen).toBe(
      1_234,
    );
  });
});

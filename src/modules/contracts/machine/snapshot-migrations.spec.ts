import { MACHINE_VERSION } from './contract.machine';
import { initialContract, step } from './contract-lifecycle';
import type { ContractInput } from './contract.types';
import { migrateSnapshot } from './snapshot-migrations';

const INPUT: ContractInput = {
  contractId: 'C-1',
  taskLines: [{ taskCode: 'STRAW', unitPriceFen: 1933, assignedArea: 100_000 }],
};

/** A snapshot as machine version 1 wrote it: open objections listed by id. */
function versionOneSnapshot(openObjections: string[], mediaObjections: string[] | null) {
  const { context } = initialContract(INPUT);
  const notice = (noticeId: string, ids: string[]) => ({
    noticeId,
    endsAt: '2015-06-22T08:00:00.000Z',
    elapsed: false,
    openObjections: ids,
  });
  return {
    value: 'inService',
    context: {
      ...context,
      contractNo: 'QC-1',
      signedOn: '2015-06-01',
      taskLines: {
        STRAW: {
          ...context.taskLines.STRAW,
          state: 'villageVerification',
          claimedArea: 1_000,
          villageParts: {
            V1: {
              villageCode: 'V1',
              state: 'noticeRunning',
              claimedArea: 1_000,
              verifiedArea: 900,
              acceptedArea: null,
              notice: notice('N-1', openObjections),
            },
          },
        },
      },
      mediaNotice: mediaObjections ? notice('M-1', mediaObjections) : null,
    },
  };
}

describe('snapshot migrations', () => {
  it('the machine is at version 4', () => {
    expect(MACHINE_VERSION).toBe(4);
  });

  it('version 2 → 3: a task line pays its unit price per mu, and no cap has cut anything', () => {
    const stored = versionOneSnapshot([], []);
    const v2 = migrateSnapshot({
      machineVersion: 1,
      state: 'inService',
      snapshot: stored,
      input: INPUT,
    });
    const asV2 = structuredClone(v2.context) as unknown as Record<string, unknown> & {
      taskLines: Record<string, Record<string, unknown>>;
    };
    delete asV2.capCutFen;
    for (const line of Object.values(asV2.taskLines)) delete line.subsidyPerMuFen;
    const migrated = migrateSnapshot({
      machineVersion: 2,
      state: 'inService',
      snapshot: { value: 'inService', context: asV2 },
      input: INPUT,
    });
    expect(migrated.machineVersion).toBe(4);
    const line = migrated.context.taskLines.STRAW;
    expect(line.subsidyPerMuFen).toBe(line.unitPriceFen);
    expect(migrated.context.capCutFen).toBeNull();
    expect(asV2.taskLines.STRAW.subsidyPerMuFen).toBeUndefined();
  });

  it('version 3 → 4: a contract stored before the audit sample has none', () => {
    const current = migrateSnapshot({
      machineVersion: 1,
      state: 'inService',
      snapshot: versionOneSnapshot([], []),
      input: INPUT,
    });
    const asV3 = structuredClone(current.context) as unknown as Record<string, unknown>;
    delete asV3.auditSample;
    const migrated = migrateSnapshot({
      machineVersion: 3,
      state: 'inService',
      snapshot: { value: 'inService', context: asV3 },
      input: INPUT,
    });
    expect(migrated.machineVersion).toBe(4);
    expect(migrated.context.auditSample).toBeNull();
    expect(asV3.auditSample).toBeUndefined();
    expect({ ...migrated.context, auditSample: undefined }).toEqual({
      ...asV3,
      auditSample: undefined,
    });
  });

  it('version 1 → 2: each notice counts its open objections instead of listing their ids', () => {
    const stored = versionOneSnapshot(['O-1', 'O-2'], ['OM-1']);
    const migrated = migrateSnapshot({
      machineVersion: 1,
      state: 'inService',
      snapshot: stored,
      input: INPUT,
    });
    expect(migrated.machineVersion).toBe(4);
    expect(migrated.value).toBe('inService');
    expect(migrated.context.taskLines.STRAW.villageParts.V1.notice).toEqual({
      noticeId: 'N-1',
      endsAt: '2015-06-22T08:00:00.000Z',
      elapsed: false,
      openObjections: 2,
    });
    expect(migrated.context.mediaNotice?.openObjections).toBe(1);
    // The stored snapshot is not changed in place.
    expect(stored.context.taskLines.STRAW.villageParts.V1.notice.openObjections).toEqual([
      'O-1',
      'O-2',
    ]);
  });

  it('a migrated contract goes on under the current machine: both objections must be resolved', () => {
    let contract = migrateSnapshot({
      machineVersion: 1,
      state: 'inService',
      snapshot: versionOneSnapshot(['O-1', 'O-2'], null),
      input: INPUT,
    });
    const resolve = (objectionId: string) =>
      step(contract, {
        type: 'objection.resolved',
        at: '2015-06-23T08:00:00.000Z',
        noticeId: 'N-1',
        objectionId,
        outcome: 'dismissed',
      });
    const elapsed = step(contract, {
      type: 'notice.elapsed',
      at: '2015-06-22T08:00:00.000Z',
      noticeId: 'N-1',
    });
    if (!elapsed.accepted) throw new Error('notice.elapsed refused');
    contract = elapsed.next;
    const first = resolve('O-1');
    if (!first.accepted) throw new Error('first resolution refused');
    contract = first.next;
    expect(contract.context.taskLines.STRAW.villageParts.V1.state).toBe('noticeRunning');
    const second = resolve('O-2');
    if (!second.accepted) throw new Error('second resolution refused');
    expect(second.next.context.taskLines.STRAW.villageParts.V1.state).toBe('noticeCleared');
    contract = second.next;
    expect(resolve('O-3').accepted).toBe(false);
  });

  it('version 0 (no snapshot) is rebuilt as awarded, straight to the current version', () => {
    const migrated = migrateSnapshot({
      machineVersion: 0,
      state: 'awarded',
      snapshot: null,
      input: INPUT,
    });
    expect(migrated).toEqual(initialContract(INPUT));
  });

  it('refuses a snapshot newer than the machine', () => {
    expect(() =>
      migrateSnapshot({
        machineVersion: MACHINE_VERSION + 1,
        state: 'inService',
        snapshot: versionOneSnapshot([], null),
        input: INPUT,
      }),
    ).toThrow(/newer than/);
  });
  it('refuses what it cannot rebuild, saying which contract and why', () => {
    const stored = { snapshot: null, input: INPUT };
    expect(() => migrateSnapshot({ ...stored, machineVersion: 0, state: 'inService' })).toThrow(
      'A version-0 contract must be awarded to be rebuilt; C-1 is inService',
    );
    expect(() => migrateSnapshot({ ...stored, machineVersion: 1, state: 'inService' })).toThrow(
      'Contract C-1 has version 1 but no snapshot',
    );
    expect(() => migrateSnapshot({ ...stored, machineVersion: 2, state: 'inService' })).toThrow(
      'Contract C-1 has version 2 but no snapshot',
    );
    expect(() => migrateSnapshot({ ...stored, machineVersion: -1, state: 'awarded' })).toThrow(
      'No migration from contract machine version -1',
    );
    expect(() => migrateSnapshot({ ...stored, machineVersion: 3, state: 'inService' })).toThrow(
      'Contract C-1 has version 3 but no snapshot',
    );
  });
});

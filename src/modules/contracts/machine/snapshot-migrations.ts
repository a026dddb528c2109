import { MACHINE_VERSION } from './contract.machine';
import { initialContract, type PersistedContract } from './contract-lifecycle';
import type { ContractInput } from './contract.types';

/**
 * Bringing a stored contract up to the current machine. Each step takes a snapshot of version N
 * to N + 1; contracts are migrated when they are next loaded, inside the command's transaction.
 *
 * Version 0 is a contract written before the machine existed: no snapshot, state `awarded`. It is
 * rebuilt from its row and task lines as the machine's initial state.
 */
export interface StoredContract {
  machineVersion: number;
  state: string;
  snapshot: { value: string; context: Record<string, unknown> } | null;
  input: ContractInput;
}

type Step = (stored: StoredContract) => StoredContract;

const STEPS: Record<number, Step> = {
  0: (stored) => {
    if (stored.state !== 'awarded') {
      throw new Error(
        `A version-0 contract must be awarded to be rebuilt; ${stored.input.contractId} is ${stored.state}`,
      );
    }
    const initial = initialContract(stored.input);
    return {
      ...stored,
      machineVersion: 1,
      snapshot: { value: initial.value, context: { ...initial.context } },
    };
  },
  // Version 2: a notice counts its open objections instead of listing their ids.
  1: (stored) => {
    if (!stored.snapshot) {
      throw new Error(`Contract ${stored.input.contractId} has version 1 but no snapshot`);
    }
    const context = structuredClone(stored.snapshot.context) as unknown as V1Context;
    const count = (notice: V1Notice | null) => {
      if (notice && Array.isArray(notice.openObjections)) {
        (notice as unknown as { openObjections: number }).openObjections =
          notice.openObjections.length;
      }
    };
    for (const line of Object.values(context.taskLines)) {
      for (const part of Object.values(line.villageParts)) count(part.notice);
    }
    count(context.mediaNotice);
    return {
      ...stored,
      machineVersion: 2,
      snapshot: {
        value: stored.snapshot.value,
        context: context as unknown as Record<string, unknown>,
      },
    };
  },
  // Version 3: a task line pays its subsidy per mu (the unit price before policies), and the
  // contract records what an organisation's cap cut (nothing before policies).
  2: (stored) => {
    if (!stored.snapshot) {
      throw new Error(`Contract ${stored.input.contractId} has version 2 but no snapshot`);
    }
    const context = structuredClone(stored.snapshot.context) as unknown as V2Context;
    for (const line of Object.values(context.taskLines)) {
      line.subsidyPerMuFen ??= line.unitPriceFen;
    }
    context.capCutFen ??= null;
    return {
      ...stored,
      machineVersion: 3,
      snapshot: {
        value: stored.snapshot.value,
        context: context as unknown as Record<string, unknown>,
      },
    };
  },
  // Version 4: the district audit's sample (none on a contract stored before it).
  3: (stored) => {
    if (!stored.snapshot) {
      throw new Error(`Contract ${stored.input.contractId} has version 3 but no snapshot`);
    }
    const context = structuredClone(stored.snapshot.context);
    context.auditSample ??= null;
    return {
      ...stored,
      machineVersion: 4,
      snapshot: { value: stored.snapshot.value, context },
    };
  },
};

/** The parts of a version-2 context that version 3 changed. */
interface V2Context {
  taskLines: Record<string, { unitPriceFen: number; subsidyPerMuFen?: number }>;
  capCutFen?: number | null;
}

/** The parts of a version-1 context that version 2 changed. */
interface V1Notice {
  openObjections: string[];
}
interface V1Context {
  taskLines: Record<string, { villageParts: Record<string, { notice: V1Notice | null }> }>;
  mediaNotice: V1Notice | null;
}

export function migrateSnapshot(stored: StoredContract): PersistedContract {
  let current = stored;
  while (current.machineVersion < MACHINE_VERSION) {
    const migrate = STEPS[current.machineVersion];
    if (!migrate)
      throw new Error(`No migration from contract machine version ${current.machineVersion}`);
    current = migrate(current);
  }
  if (current.machineVersion !== MACHINE_VERSION || !current.snapshot) {
    throw new Error(
      `Contract ${stored.input.contractId} has machine version ${current.machineVersion}, newer than ${MACHINE_VERSION}`,
    );
  }
  return {
    machineVersion: MACHINE_VERSION,
    value: current.snapshot.value as PersistedContract['value'],
    context: current.snapshot.context as unknown as PersistedContract['context'],
  };
}

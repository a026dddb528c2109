import { type Statement } from '../../../database/statement';

import { type PersistedContract } from '../machine/contract-lifecycle';

import type { ContractEvent } from '../machine/contract.types';
import type { Command } from './command';

/** All history rows of one event in one statement; their numbers follow the contract's last one. */
export function historyInsert(
  contractId: string,
  rows: HistoryRow[],
  command: Command,
  event: ContractEvent,
): Statement {
  const { type, at, ...payload } = event;
  const lastSeq = `(SELECT coalesce(max(seq), 0) FROM contract_history WHERE contract_id = $1)`;
  const params: unknown[] = [
    contractId,
    new Date(at),
    command.actor?.id ?? null,
    command.actor?.username ?? command.actorLabel ?? null,
    type,
    JSON.stringify(payload),
  ];
  const tuples = rows.map((row, index) => {
    params.push(row.taskCode ?? null, row.villageCode ?? null, row.from, row.to);
    const p = params.length;
    return `($1, ${lastSeq} + ${index + 1}, $2, $3, $4, $5, $${p - 3}, $${p - 2}, $${p - 1}, $${p}, $6::jsonb)`;
  });
  return {
    sql: `INSERT INTO contract_history (contract_id, seq, at, actor_id, actor_username, event, task_code, village_code, from_state, to_state, payload)
          VALUES ${tuples.join(', ')}`,
    params,
  };
}

interface HistoryRow {
  taskCode?: string;
  villageCode?: string;
  from: string | null;
  to: string;
}

/**
 * One history row per part whose state moved, cause before effect: village parts, then task
 * lines, then the contract. An event that moved no state (an objection filed) still gets one row,
 * on the part it concerns.
 */
export function historyOf(
  before: PersistedContract,
  after: PersistedContract,
  event: ContractEvent,
): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const lineRows: HistoryRow[] = [];
  const byCode = <T extends { taskCode?: string; villageCode?: string }>(a: T, b: T): number =>
    (a.taskCode ?? a.villageCode ?? '').localeCompare(b.taskCode ?? b.villageCode ?? '');
  for (const line of Object.values(after.context.taskLines).sort(byCode)) {
    const old = before.context.taskLines[line.taskCode];
    for (const part of Object.values(line.villageParts).sort(byCode)) {
      const previous = old?.villageParts[part.villageCode];
      if (previous?.state !== part.state) {
        rows.push({
          taskCode: line.taskCode,
          villageCode: part.villageCode,
          from: previous?.state ?? null,
          to: part.state,
        });
      }
    }
    if (old && old.state !== line.state)
      lineRows.push({ taskCode: line.taskCode, from: old.state, to: line.state });
  }
  rows.push(...lineRows);
  if (before.value !== after.value) rows.push({ from: before.value, to: after.value });
  if (rows.length > 0) return rows;
  return [targetOf(after, event)];
}

function targetOf(contract: PersistedContract, event: ContractEvent): HistoryRow {
  const noticeId = 'noticeId' in event ? event.noticeId : undefined;
  for (const line of Object.values(contract.context.taskLines)) {
    for (const part of Object.values(line.villageParts)) {
      if (noticeId !== undefined && part.notice?.noticeId === noticeId) {
        return {
          taskCode: line.taskCode,
          villageCode: part.villageCode,
          from: part.state,
          to: part.state,
        };
      }
    }
    if ('taskCode' in event && event.taskCode === line.taskCode) {
      return { taskCode: line.taskCode, from: line.state, to: line.state };
    }
  }
  return { from: contract.value, to: contract.value };
}

export function writtenReasons(payload: object): { note?: string; reason?: string } {
  const { note, reason } = payload as { note?: unknown; reason?: unknown };
  return {
    ...(typeof note === 'string' && note !== '' ? { note } : {}),
    ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
  };
}

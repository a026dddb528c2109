import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { Notice } from '../notices/notice.entity';
import {
  Contract,
  ContractTaskLine,
  ContractVillage,
  ContractVillagePart,
} from './contract.entity';
import { contractError } from './contracts.errors';
import { MACHINE_VERSION } from './machine/contract.machine';
import { step, type PersistedContract } from './machine/contract-lifecycle';
import type { ContractContext, ContractEvent, NoticeState } from './machine/contract.types';
import { migrateSnapshot } from './machine/snapshot-migrations';

type EventBody = ContractEvent extends infer E
  ? E extends ContractEvent
    ? Omit<E, 'at'>
    : never
  : never;

export interface CommandContext {
  manager: EntityManager;
  contract: Contract;
  current: PersistedContract;
  now: Date;
}

export interface Command {
  contractId: string;
  /** null: the system (the scheduler) or the public (an objection); then `actorLabel` names it. */
  actor: Actor | null;
  actorLabel?: 'scheduler' | 'public';
  /** From If-Match: the version the client saw. */
  expectedVersion?: number;
  /**
   * Runs after the contract's row lock: checks scope and input, may write its own rows (a notice,
   * an objection), and returns the event. Anything it throws rolls the whole command back.
   */
  prepare: (context: CommandContext) => Promise<EventBody>;
  /** When the event happened, if not now (a timer fires with its due time). */
  at?: Date;
}

export interface CommandResult {
  contract: Contract;
  previous: PersistedContract;
  next: PersistedContract;
  event: ContractEvent;
}

/**
 * The one loop that advances a contract (house style, habit 6). In one transaction: lock the
 * contract row, restore (and migrate) its snapshot, let the command build its event, refuse it
 * with INVALID_TRANSITION if the machine does, save the snapshot with a new version, bring the
 * query tables in step, and append history and audit rows. Row locks, not @VersionColumn: racing
 * commands run one after the other on the current state.
 */
@Injectable()
export class ContractWorkflowService {
  private readonly logger = new Logger(ContractWorkflowService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(command: Command, manager?: EntityManager): Promise<CommandResult> {
    return manager
      ? this.run(manager, command)
      : this.dataSource.transaction((tx) => this.run(tx, command));
  }

  private async run(manager: EntityManager, command: Command): Promise<CommandResult> {
    const contract = await manager.findOne(Contract, {
      where: { id: command.contractId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contract) throw notFound('Contract', command.contractId);
    // A plain query, not a join: a join would repeat the (large) snapshot once per village.
    contract.villages = await manager.find(ContractVillage, { where: { contractId: contract.id } });
    if (command.expectedVersion !== undefined && command.expectedVersion !== contract.version) {
      throw contractError(
        'VERSION_CONFLICT',
        `Contract ${contract.id} is at version ${contract.version}, not ${command.expectedVersion}; reload it and try again`,
        { version: contract.version },
      );
    }
    // Task lines are read only to rebuild a snapshot older than the machine.
    const lines =
      contract.machineVersion < MACHINE_VERSION
        ? await manager.find(ContractTaskLine, { where: { contractId: contract.id } })
        : [];
    const current = migrateSnapshot({
      machineVersion: contract.machineVersion,
      state: contract.state,
      snapshot: contract.snapshot,
      input: {
        contractId: contract.id,
        taskLines: lines.map((line) => ({
          taskCode: line.taskCode,
          unitPriceFen: line.unitPriceFen,
          assignedArea: line.assignedArea,
        })),
      },
    });
    const now = command.at ?? this.clock.now();
    const body = await command.prepare({ manager, contract, current, now });
    const event = { ...body, at: now.toISOString() };

    const result = step(current, event);
    if (!result.accepted) {
      throw contractError(
        'INVALID_TRANSITION',
        `${event.type} is not allowed now: ${describe(current, event)}`,
        {
          state: current.value,
          event: event.type,
        },
      );
    }
    const { next } = result;
    const version = contract.version + 1;
    await manager.update(Contract, { id: contract.id }, {
      state: next.value,
      version,
      snapshot: { value: next.value, context: next.context as unknown as Record<string, unknown> },
      machineVersion: next.machineVersion,
      contractNo: next.context.contractNo,
      signedOn: next.context.signedOn,
      subsidyFen: next.context.subsidyFen,
    } as QueryDeepPartialEntity<Contract>);
    await this.syncQueryTables(manager, contract.id, current.context, next.context, event);
    const from = current.value;
    const historyRows = historyOf(current, next, event);
    const { type, at, ...payload } = event;
    // All rows in one statement; their numbers follow the contract's last one.
    const lastSeq = `(SELECT coalesce(max(seq), 0) FROM contract_history WHERE contract_id = $1)`;
    const values: unknown[] = [
      contract.id,
      new Date(at),
      command.actor?.id ?? null,
      command.actor?.username ?? command.actorLabel ?? null,
      type,
      JSON.stringify(payload),
    ];
    const tuples = historyRows.map((row, index) => {
      values.push(row.taskCode ?? null, row.villageCode ?? null, row.from, row.to);
      const p = values.length;
      return `($1, ${lastSeq} + ${index + 1}, $2, $3, $4, $5, $${p - 3}, $${p - 2}, $${p - 1}, $${p}, $6::jsonb)`;
    });
    await manager.query(
      `INSERT INTO contract_history (contract_id, seq, at, actor_id, actor_username, event, task_code, village_code, from_state, to_state, payload)
       VALUES ${tuples.join(', ')}`,
      values,
    );
    await this.auditLog.record(manager, {
      actor:
        command.actor ?? (command.actorLabel ? { id: null, username: command.actorLabel } : null),
      action: type,
      entityType: 'contract',
      entityId: contract.id,
      data: {
        from,
        to: next.value,
        version,
        payloadSha256: createHash('sha256').update(canonicalJson(payload)).digest('hex'),
      },
    });
    this.logger.log(
      { contractId: contract.id, event: type, from, to: next.value, version },
      'contract transition',
    );
    contract.state = next.value;
    contract.version = version;
    return { contract, previous: current, next, event };
  }

  /** Task lines, village parts and notices as the new context says: what queries and lists read. */
  private async syncQueryTables(
    manager: EntityManager,
    contractId: string,
    before: ContractContext,
    after: ContractContext,
    event: ContractEvent,
  ): Promise<void> {
    for (const line of Object.values(after.taskLines)) {
      const old = before.taskLines[line.taskCode];
      const { state, claimedArea, verifiedArea, acceptedArea, auditedArea, amountFen } = line;
      if (
        canonicalJson({ ...old, villageParts: null }) !==
        canonicalJson({ ...line, villageParts: null })
      ) {
        await manager.update(
          ContractTaskLine,
          { contractId, taskCode: line.taskCode },
          { state, claimedArea, verifiedArea, acceptedArea, auditedArea, amountFen },
        );
      }
      for (const villageCode of Object.keys(old?.villageParts ?? {})) {
        if (!Object.hasOwn(line.villageParts, villageCode)) {
          await manager.delete(ContractVillagePart, {
            contractId,
            taskCode: line.taskCode,
            villageCode,
          });
        }
      }
      for (const part of Object.values(line.villageParts)) {
        const previous = old?.villageParts[part.villageCode];
        const columns = (p: typeof part) => [
          p.state,
          p.claimedArea,
          p.verifiedArea,
          p.acceptedArea,
          p.notice?.noticeId ?? null,
        ];
        if (previous && canonicalJson(columns(previous)) === canonicalJson(columns(part))) continue;
        await manager.upsert(
          ContractVillagePart,
          {
            contractId,
            taskCode: line.taskCode,
            villageCode: part.villageCode,
            state: part.state,
            claimedArea: part.claimedArea,
            verifiedArea: part.verifiedArea,
            acceptedArea: part.acceptedArea,
            noticeId: part.notice?.noticeId ?? null,
          },
          ['contractId', 'taskCode', 'villageCode'],
        );
      }
    }
    const closedAt = new Date(event.at);
    const beforeNotices = noticesOf(before);
    const afterNotices = noticesOf(after);
    for (const [noticeId, notice] of afterNotices) {
      if (
        isCleared(notice) &&
        !(beforeNotices.get(noticeId) && isCleared(beforeNotices.get(noticeId) as NoticeState))
      ) {
        await manager.update(
          Notice,
          { id: noticeId, state: 'running' },
          { state: 'cleared', closedAt },
        );
      }
    }
    for (const [noticeId, notice] of beforeNotices) {
      if (!afterNotices.has(noticeId) && !isCleared(notice)) {
        await manager.update(
          Notice,
          { id: noticeId, state: 'running' },
          { state: 'superseded', closedAt },
        );
      }
    }
  }
}

function isCleared(notice: NoticeState): boolean {
  return notice.elapsed && notice.openObjections.length === 0;
}

function noticesOf(context: ContractContext): Map<string, NoticeState> {
  const notices = new Map<string, NoticeState>();
  for (const line of Object.values(context.taskLines)) {
    for (const part of Object.values(line.villageParts)) {
      if (part.notice) notices.set(part.notice.noticeId, part.notice);
    }
  }
  if (context.mediaNotice) notices.set(context.mediaNotice.noticeId, context.mediaNotice);
  return notices;
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

/** Where the contract stands, for the INVALID_TRANSITION message. */
function describe(contract: PersistedContract, event: ContractEvent): string {
  const parts = [`the contract is ${contract.value}`];
  if ('taskCode' in event) {
    const line = contract.context.taskLines[event.taskCode];
    parts.push(
      line
        ? `task line ${event.taskCode} is ${line.state}`
        : `there is no task line ${event.taskCode}`,
    );
    if ('villageCode' in event && line) {
      const part = line.villageParts[event.villageCode];
      parts.push(
        part
          ? `village ${event.villageCode} is ${part.state}`
          : `village ${event.villageCode} has no part in it`,
      );
    }
  }
  return parts.join(', ');
}

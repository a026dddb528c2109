import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { combine, runPrepared, type Statement } from '../../database/statement';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { Contract, ContractTaskLine, ContractVillage } from './contract.entity';
import { contractError } from './contracts.errors';
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
  /**
   * Adds a write to the statement that saves the transition (one round trip for all of them);
   * it runs only if the machine accepts the event. Rows it inserts are not visible to the
   * command's own later reads.
   */
  write: (statement: Statement) => void;
}

function writtenReasons(payload: object): { note?: string; reason?: string } {
  const { note, reason } = payload as { note?: unknown; reason?: unknown };
  return {
    ...(typeof note === 'string' && note !== '' ? { note } : {}),
    ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
  };
}

/** The contract a command advances: named, or found through one of its notices (no extra read). */
export type CommandTarget = { contractId: string } | { noticeId: string };

export type Command = CommandTarget & {
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
  /**
   * Try without the row lock first: read, step, and save in one autocommitted statement that
   * applies only if the contract is still at the version read (compare-and-set on `version`).
   * On a conflict the command runs again the usual way, under the lock, on the current state.
   * Only for a command whose `prepare` reads and writes nothing but through `write` (filing an
   * objection): there is no transaction around it until the save.
   */
  optimistic?: boolean;
};

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
 * commands run one after the other on the current state. An `optimistic` command first tries
 * without the lock and saves only if the version is unchanged (see {@link Command.optimistic}).
 */
@Injectable()
export class ContractWorkflowService {
  private readonly logger = new Logger(ContractWorkflowService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: Command, manager?: EntityManager): Promise<CommandResult> {
    if (manager) return this.run(manager, command, 'locked');
    if (command.optimistic) {
      const result = await this.tryOptimistic(command);
      if (result) return result;
    }
    return this.dataSource.transaction((tx) => this.run(tx, command, 'locked'));
  }

  /** The command without the row lock; undefined when the contract moved on meanwhile. */
  private async tryOptimistic(command: Command): Promise<CommandResult | undefined> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await this.run(runner.manager, command, 'optimistic');
    } catch (error) {
      if (isWriteConflict(error)) return undefined;
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async run(
    manager: EntityManager,
    command: Command,
    mode: 'locked' | 'optimistic',
  ): Promise<CommandResult> {
    const contract = await readContract(manager, command, mode);
    if (command.expectedVersion !== undefined && command.expectedVersion !== contract.version) {
      throw contractError(
        'VERSION_CONFLICT',
        `Contract ${contract.id} is at version ${contract.version}, not ${command.expectedVersion}; reload it and try again`,
        { version: contract.version },
      );
    }
    // Task lines are read only to rebuild a contract stored before the machine (version 0).
    const lines =
      contract.machineVersion === 0
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
    const commandWrites: Statement[] = [];
    const body = await command.prepare({
      manager,
      contract,
      current,
      now,
      write: (statement) => commandWrites.push(statement),
    });
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
    // The contract's own row first (w0 of the statement): the optimistic check counts it.
    const writes: Statement[] = [];
    writes.push({
      sql: `UPDATE contract SET state = $2, version = $3, snapshot = $4::json, machine_version = $5,
              contract_no = $6, signed_on = $7, subsidy_fen = $8, updated_at = now()
            WHERE id = $1 AND version = $9
            RETURNING id`,
      params: [
        contract.id,
        next.value,
        version,
        JSON.stringify({ value: next.value, context: next.context }),
        next.machineVersion,
        next.context.contractNo,
        next.context.signedOn,
        next.context.subsidyFen,
        contract.version,
      ],
    });
    writes.push(...commandWrites);
    writes.push(...queryTableWrites(contract.id, current.context, next.context, event));
    const from = current.value;
    const { type, at: _at, ...payload } = event;
    writes.push(historyInsert(contract.id, historyOf(current, next, event), command, event));
    writes.push(
      this.auditLog.insert({
        chain: districtChain(contract.districtCode),
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
          // What a person wrote with the decision (audit notes, a termination's reason) is
          // part of the record an auditor reads, not only of its digest.
          ...writtenReasons(payload),
        },
      }),
    );
    // Nothing of the statement stays unless the contract was still at the version read: what
    // makes an optimistic save safe, and under the row lock a second guard against a lost update.
    writes.push({
      sql: `SELECT expect_one_row((SELECT count(*) FROM w0), 'contract')`,
      params: [],
    });
    // Snapshot, query tables, the command's own writes, history and audit row: one statement.
    await runPrepared(manager, combine(writes));
    this.logger.log(
      { contractId: contract.id, event: type, from, to: next.value, version },
      'contract transition',
    );
    contract.state = next.value;
    contract.version = version;
    return { contract, previous: current, next, event };
  }
}

const READ_CONTRACT = (where: string) =>
  `SELECT c.id, c.project_id AS "projectId", c.tender_id AS "tenderId", c.lot_id AS "lotId",
          c.lot_code AS "lotCode", c.organisation_id AS "organisationId",
          c.district_code AS "districtCode", c.state, c.version, c.snapshot,
          c.machine_version AS "machineVersion", c.work_deadline::text AS "workDeadline",
          c.awarded_on::text AS "awardedOn", c.contract_no AS "contractNo",
          c.signed_on::text AS "signedOn", c.subsidy_fen AS "subsidyFen",
          c.created_at AS "createdAt", c.updated_at AS "updatedAt",
          (SELECT coalesce(json_agg(json_build_object('contractId', v.contract_id,
                     'villageCode', v.village_code, 'townCode', v.town_code)
                   ORDER BY v.village_code), '[]')
             FROM contract_village v WHERE v.contract_id = c.id) AS villages
     FROM contract c WHERE ${where}`;
const BY_ID = 'c.id = $1';
const BY_NOTICE = 'c.id = (SELECT contract_id FROM notice WHERE id = $1)';
const READ = {
  locked: {
    byId: `${READ_CONTRACT(BY_ID)} FOR UPDATE OF c`,
    byNotice: `${READ_CONTRACT(BY_NOTICE)} FOR UPDATE OF c`,
  },
  optimistic: { byId: READ_CONTRACT(BY_ID), byNotice: READ_CONTRACT(BY_NOTICE) },
};

/** Reads the contract with its villages, locking its row unless optimistic: one statement. */
async function readContract(
  manager: EntityManager,
  target: CommandTarget,
  mode: 'locked' | 'optimistic',
): Promise<Contract> {
  const rows = await runPrepared<Omit<Contract, 'subsidyFen'> & { subsidyFen: string | null }>(
    manager,
    'noticeId' in target
      ? { sql: READ[mode].byNotice, params: [target.noticeId] }
      : { sql: READ[mode].byId, params: [target.contractId] },
  );
  if (rows.length === 0) {
    throw 'noticeId' in target
      ? notFound('Notice', target.noticeId)
      : notFound('Contract', target.contractId);
  }
  const [row] = rows;
  return Object.assign(new Contract(), row, {
    subsidyFen: row.subsidyFen === null ? null : Number(row.subsidyFen),
    villages: (row.villages ?? []).map((village) => Object.assign(new ContractVillage(), village)),
  });
}

/**
 * An optimistic save that lost a race: the contract's version moved (`expect_one_row` raised
 * serialization_failure), or a racing command took the same history number first.
 */
function isWriteConflict(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '40001' || (code === '23505' && constraint === 'contract_history_pkey');
}

/** All history rows of one event in one statement; their numbers follow the contract's last one. */
function historyInsert(
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

/**
 * Task lines, village parts and notices as the new context says: what queries and lists read.
 * Only what changed is written.
 */
export function queryTableWrites(
  contractId: string,
  before: ContractContext,
  after: ContractContext,
  event: ContractEvent,
): Statement[] {
  const writes: Statement[] = [];
  for (const line of Object.values(after.taskLines)) {
    const old = before.taskLines[line.taskCode];
    const { state, claimedArea, verifiedArea, acceptedArea, auditedArea, amountFen } = line;
    if (
      !old ||
      old.state !== state ||
      old.claimedArea !== claimedArea ||
      old.verifiedArea !== verifiedArea ||
      old.acceptedArea !== acceptedArea ||
      old.auditedArea !== auditedArea ||
      old.amountFen !== amountFen
    ) {
      writes.push({
        sql: `UPDATE contract_task_line SET state = $3, claimed_area = $4, verified_area = $5,
                accepted_area = $6, audited_area = $7, amount_fen = $8
              WHERE contract_id = $1 AND task_code = $2`,
        params: [
          contractId,
          line.taskCode,
          state,
          claimedArea,
          verifiedArea,
          acceptedArea,
          auditedArea,
          amountFen,
        ],
      });
    }
    for (const villageCode of Object.keys(old?.villageParts ?? {})) {
      if (!Object.hasOwn(line.villageParts, villageCode)) {
        writes.push({
          sql: `DELETE FROM contract_village_part WHERE contract_id = $1 AND task_code = $2 AND village_code = $3`,
          params: [contractId, line.taskCode, villageCode],
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
      const now = columns(part);
      if (previous && columns(previous).every((value, index) => value === now[index])) continue;
      writes.push({
        sql: `INSERT INTO contract_village_part (contract_id, task_code, village_code, state, claimed_area, verified_area, accepted_area, notice_id)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
              ON CONFLICT (contract_id, task_code, village_code) DO UPDATE SET
                state = EXCLUDED.state, claimed_area = EXCLUDED.claimed_area,
                verified_area = EXCLUDED.verified_area, accepted_area = EXCLUDED.accepted_area,
                notice_id = EXCLUDED.notice_id`,
        params: [contractId, line.taskCode, part.villageCode, ...now],
      });
    }
  }
  const closedAt = new Date(event.at);
  const beforeNotices = noticesOf(before);
  const afterNotices = noticesOf(after);
  const closeNotice = (noticeId: string, state: 'cleared' | 'superseded'): Statement => ({
    sql: `UPDATE notice SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'running'`,
    params: [noticeId, state, closedAt],
  });
  for (const [noticeId, notice] of afterNotices) {
    const earlier = beforeNotices.get(noticeId);
    if (isCleared(notice) && !(earlier && isCleared(earlier))) {
      writes.push(closeNotice(noticeId, 'cleared'));
    }
  }
  for (const [noticeId, notice] of beforeNotices) {
    if (!afterNotices.has(noticeId) && !isCleared(notice)) {
      writes.push(closeNotice(noticeId, 'superseded'));
    }
  }
  if (event.type === 'contract.terminated') {
    // A terminated contract's notices close with it: off the board, no more objections, and
    // their timers will not fire.
    writes.push(
      {
        sql: `UPDATE notice SET state = 'terminated', closed_at = $2 WHERE contract_id = $1 AND state = 'running'`,
        params: [contractId, closedAt],
      },
      {
        sql: `UPDATE timer SET fired_at = $2, outcome = 'cancelled: contract terminated' WHERE contract_id = $1 AND fired_at IS NULL`,
        params: [contractId, closedAt],
      },
    );
  }
  return writes;
}

function isCleared(notice: NoticeState): boolean {
  return notice.elapsed && notice.openObjections === 0;
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

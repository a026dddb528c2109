import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { canonicalJson } from '../../common/values/canonical-json';
import { combine, runPrepared, type Statement } from '../../database/statement';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import { ContractTaskLine } from './contract.entity';
import { contractError } from './contracts.errors';
import { decide } from './machine/contract-lifecycle';
import { migrateSnapshot } from './machine/snapshot-migrations';
import { historyInsert, historyOf, writtenReasons } from './workflow/contract-history';
import { ContractLocks } from './workflow/contract-locks';
import { isWriteConflict } from './workflow/contract-read';
import { queryTableWrites } from './workflow/query-table-writes';
import { effectWrites } from './workflow/effect-writes';
import type { Command, CommandResult } from './workflow/command';
import { refusalError } from './workflow/refusal-error';
import { msg } from '../../common/i18n/message';

export type { Command, CommandContext, CommandResult, CommandTarget } from './workflow/command';

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
    private readonly locks: ContractLocks,
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
    const contract = await this.locks.read(manager, command, mode);
    if (command.expectedVersion !== undefined && command.expectedVersion !== contract.version) {
      throw contractError(
        'VERSION_CONFLICT',
        msg('contract.versionConflict', {
          id: contract.id,
          version: contract.version,
          expected: command.expectedVersion,
        }),
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
          subsidyPerMuFen: line.subsidyPerMuFen,
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

    const decision = decide(current, event);
    if (!decision.applies) throw refusalError(decision.refusal, current, event);
    const { next, effects } = decision;
    const version = contract.version + 1;
    // The contract's own row first (w0 of the statement): the optimistic check counts it.
    const writes: Statement[] = [];
    writes.push({
      sql: `UPDATE contract SET state = $2, version = $3, snapshot = $4::json, machine_version = $5,
              contract_no = $6, signed_on = $7, subsidy_fen = $8, cap_cut_fen = $10,
              updated_at = $11
            WHERE id = $1 AND ${this.locks.versionCondition('$9')}
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
        next.context.capCutFen ?? null,
        now,
      ],
    });
    writes.push(...commandWrites);
    writes.push(...queryTableWrites(contract.id, current.context, next.context));
    // What the machine's actions say the transition does outside the snapshot.
    writes.push(...effectWrites(effects, contract.id, now));
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
    writes.push(...this.locks.saveCheck());
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

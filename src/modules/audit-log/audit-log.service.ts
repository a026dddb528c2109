import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../../common/clock/clock';
import { canonicalJson } from '../../common/values/canonical-json';
import type { Actor } from '../auth/actor';
import { AuditEvent } from './audit-event.entity';

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends so that the chain cannot fork under concurrent writers. */
const AUDIT_CHAIN_LOCK = 7_340_001;

export interface AuditEntry {
  actor: { id: string | null; username: string } | Pick<Actor, 'id' | 'username'> | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
}

export interface ChainReport {
  ok: boolean;
  events: number;
  firstBrokenAt?: number;
}

export function eventHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: event.seq,
    at: event.at,
    actorId: event.actorId,
    actorUsername: event.actorUsername,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    data: event.data,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Appends inside the caller's transaction: the change and its audit row commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLogService.record must run inside a transaction');
    }
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const last = await manager.findOne(AuditEvent, { where: {}, order: { seq: 'DESC' } });
    const event = {
      seq: (last?.seq ?? 0) + 1,
      at: this.clock.now(),
      actorId: entry.actor?.id ?? null,
      actorUsername: entry.actor?.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const row = manager.create(AuditEvent, {
      ...event,
      prevHash,
      hash: eventHash(prevHash, event),
    });
    await manager.insert(AuditEvent, row as QueryDeepPartialEntity<AuditEvent>);
    return row;
  }

  /** Walks the whole chain in pages; reports the first row whose link or content is wrong. */
  async verify(): Promise<ChainReport> {
    const repository = this.dataSource.getRepository(AuditEvent);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    for (;;) {
      const page = await repository.find({
        where: { seq: MoreThan(expectedSeq - 1) },
        order: { seq: 'ASC' },
        take: 1000,
      });
      for (const row of page) {
        if (
          row.seq !== expectedSeq ||
          row.prevHash !== prevHash ||
          row.hash !== eventHash(prevHash, row)
        ) {
          return { ok: false, events, firstBrokenAt: row.seq };
        }
        prevHash = row.hash;
        expectedSeq += 1;
        events += 1;
      }
      if (page.length < 1000) return { ok: true, events };
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
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

/**
 * The text an event's hash covers: the previous hash, the sequence number and the canonical JSON
 * of the event (keys sorted: PostgreSQL's jsonb text would reorder them). The database computes
 * the same when it appends (see `record`), so the chain is built in one statement.
 */
export function eventHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(`${prevHash}\n${event.seq}\n${eventBody(event)}`)
    .digest('hex');
}

function eventBody(event: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>): string {
  return canonicalJson({
    at: event.at,
    actorId: event.actorId,
    actorUsername: event.actorUsername,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    data: event.data,
  });
}

@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Appends inside the caller's transaction: the change and its audit row commit together. The
   * advisory lock serialises appends (no fork) and is held until commit, so the append is one
   * statement after it: the new row links to the last one and the database hashes it.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLogService.record must run inside a transaction');
    }
    const event = {
      at: this.clock.now(),
      actorId: entry.actor?.id ?? null,
      actorUsername: entry.actor?.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>,
    };
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    await manager.query(
      `INSERT INTO audit_event (seq, at, actor_id, actor_username, action, entity_type, entity_id, data, prev_hash, hash)
       SELECT coalesce(l.seq, 0) + 1, $1, $2, $3, $4, $5, $6, $7::jsonb, coalesce(l.hash, $9),
              encode(sha256(convert_to(coalesce(l.hash, $9) || E'\\n' || (coalesce(l.seq, 0) + 1)::text || E'\\n' || $8, 'UTF8')), 'hex')
         FROM (VALUES (1)) AS one
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1) AS l ON true`,
      [
        event.at,
        event.actorId,
        event.actorUsername,
        event.action,
        event.entityType,
        event.entityId,
        JSON.stringify(event.data),
        eventBody(event),
        GENESIS_HASH,
      ],
    );
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

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, IsNull, MoreThan, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { canonicalJson } from '../../common/values/canonical-json';
import type { Statement } from '../../database/statement';
import type { Actor } from '../auth/actor';
import { AuditEvent } from './audit-event.entity';

export const GENESIS_HASH = '0'.repeat(64);

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
 * The link of an event: SHA-256 of the previous hash, the sequence number and the SHA-256 of the
 * event's canonical JSON (keys sorted: PostgreSQL's jsonb text would reorder them). The deferred
 * trigger `audit_event_link` computes the same at COMMIT.
 */
export function eventHash(prevHash: string, seq: number, bodySha256: string): string {
  return sha256(`${prevHash}\n${seq}\n${bodySha256}`);
}

/** SHA-256 of the canonical JSON of what an event says: who did what, to what, when. */
export function eventBodySha256(
  event: Omit<AuditEvent, 'id' | 'seq' | 'bodySha256' | 'prevHash' | 'hash'>,
): string {
  return sha256(
    canonicalJson({
      at: event.at,
      actorId: event.actorId,
      actorUsername: event.actorUsername,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      data: event.data,
    }),
  );
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Appends inside the caller's transaction: the change and its audit row commit together. The
   * row is linked into the chain when that transaction commits (trigger `audit_event_link`), so
   * concurrent commands never wait on each other here.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLogService.record must run inside a transaction');
    }
    const insert = this.insert(entry);
    await manager.query(insert.sql, insert.params);
  }

  /**
   * The INSERT of an entry's row, for a caller that runs it in one statement with its other
   * writes (the contract workflow). The chain columns are set at COMMIT. `data` must be plain JSON.
   */
  insert(entry: AuditEntry): Statement {
    const event = {
      at: this.clock.now(),
      actorId: entry.actor?.id ?? null,
      actorUsername: entry.actor?.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>,
    };
    return {
      sql: `INSERT INTO audit_event (at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      params: [
        event.at,
        event.actorId,
        event.actorUsername,
        event.action,
        event.entityType,
        event.entityId,
        JSON.stringify(event.data),
        eventBodySha256(event),
      ],
    };
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
          row.bodySha256 !== eventBodySha256(row) ||
          row.hash !== eventHash(prevHash, expectedSeq, row.bodySha256)
        ) {
          return { ok: false, events, firstBrokenAt: row.seq ?? expectedSeq };
        }
        prevHash = row.hash;
        expectedSeq += 1;
        events += 1;
      }
      if (page.length < 1000) break;
    }
    // Committed rows are linked at COMMIT; one without a link was written around the trigger.
    const unlinked = await repository.count({ where: { seq: IsNull() } });
    if (unlinked > 0) return { ok: false, events, firstBrokenAt: expectedSeq };
    return { ok: true, events };
  }
}

import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/values/canonical-json';
import type { AuditEvent } from './audit-event.entity';

export const GENESIS_HASH = '0'.repeat(64);

/** The chain of regions, organisations, users and anything else without a district. */
export const ADMIN_CHAIN = 'admin';

/** A chain's name: `admin`, or a district's code (6 to 12 digits). */
export const CHAIN_NAME = /^(admin|[0-9]{6,12})$/;

/** The chain of everything of a district: its contracts, projects, tenders and bids. */
export function districtChain(districtCode: string): string {
  return districtCode;
}

/**
 * The link of an event: SHA-256 of the previous hash in its chain, the sequence number and the
 * SHA-256 of the event's canonical JSON (keys sorted: PostgreSQL's jsonb text would reorder
 * them). The deferred trigger `audit_event_link` computes the same at COMMIT.
 */
export function eventHash(prevHash: string, seq: number, bodySha256: string): string {
  return sha256(`${prevHash}\n${seq}\n${bodySha256}`);
}

/** SHA-256 of the canonical JSON of what an event says: who did what, to what, when. */
export function eventBodySha256(
  event: Omit<AuditEvent, 'id' | 'chain' | 'seq' | 'bodySha256' | 'prevHash' | 'hash'>,
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

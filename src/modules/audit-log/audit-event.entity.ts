import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/transformers';

/**
 * The append-only, hash-chained event log: every change of any object, with who and when. One
 * chain per district (a district's contracts, projects, tenders and bids) and one `admin` chain
 * (regions, organisations, users, anything without a district).
 * `bodySha256` = SHA-256 of the canonical JSON of the event; `hash` = SHA-256 of the previous
 * hash in the chain, `seq` and `bodySha256`, so an edited, deleted or swapped row is found by
 * `GET /audit-log/verify`, and rows cut from a chain's end by `POST /audit-log/verify-heads`
 * against a kept `GET /audit-log/heads` snapshot.
 *
 * A row is inserted unlinked (`seq`, `prevHash`, `hash` null) and linked when its transaction
 * commits, by the deferred trigger `audit_event_link` (migration AuditChainPerDistrict), under a
 * lock of its chain only: committed rows are always linked, in commit order within their chain,
 * and one district's commits never wait on another's.
 */
@Entity('audit_event')
@Index('audit_event_chain_seq_idx', ['chain', 'seq'], { unique: true, where: 'seq IS NOT NULL' })
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** The chain the row belongs to: a district's code, or `admin`. */
  @Column({ type: 'text' })
  chain!: string;

  /** Position in its chain: 1, 2, 3… in commit order, no gaps; null only before COMMIT. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  seq!: number | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ type: 'varchar', length: 64 })
  entityId!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'char', length: 64 })
  bodySha256!: string;

  @Column({ type: 'char', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash!: string | null;
}

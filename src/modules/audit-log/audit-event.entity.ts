import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/transformers';

/**
 * The append-only, hash-chained event log: every change of any object, with who and when.
 * `bodySha256` = SHA-256 of the canonical JSON of the event; `hash` = SHA-256 of the previous
 * hash, `seq` and `bodySha256`, so an edited, deleted, swapped or truncated row is found by
 * `GET /audit-log/verify`.
 *
 * A row is inserted unlinked (`seq`, `prevHash`, `hash` null) and linked when its transaction
 * commits, by the deferred trigger `audit_event_link` (migration AuditChainAtCommit): committed
 * rows are always linked, in commit order, and appends never wait on each other before COMMIT.
 */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** Position in the chain: 1, 2, 3… in commit order, no gaps; null only before COMMIT. */
  @Index('audit_event_seq_idx', { unique: true, where: 'seq IS NOT NULL' })
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

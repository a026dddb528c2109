import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Contract } from '../contracts/contract.entity';

export type NoticeKind = 'village' | 'media';
/** A notice's own states; `terminated`: closed because its contract was terminated. */
export const NOTICE_STATUS = {
  running: 'running',
  cleared: 'cleared',
  superseded: 'superseded',
  terminated: 'terminated',
} as const;
export type NoticeStatus = (typeof NOTICE_STATUS)[keyof typeof NOTICE_STATUS];

/**
 * A 7-day public notice (公示): a village notice per village part, posted in the work area, or
 * the media notice of a contract after the district audit. It ends at openedAt + 7 × 24 h and
 * clears then unless an objection on it is open.
 */
@Entity('notice')
@Check('notice_kind_check', `"kind" IN ('village', 'media')`)
@Check('notice_state_check', `"state" IN ('running', 'cleared', 'superseded', 'terminated')`)
export class Notice {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: NoticeKind;

  @Index()
  @Column({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 20, nullable: true })
  taskCode!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  villageCode!: string | null;

  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  /** What the poster says on top, e.g. 王各村 小麦机收 作业面积公示. */
  @Column({ type: 'varchar', length: 300 })
  title!: string;

  /** Media notices: the newspaper or site (市级以上媒体) and the day it appeared. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  mediaName!: string | null;

  @Column({ type: 'date', nullable: true })
  publishedOn!: string | null;

  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Index()
  @Column({ type: 'varchar', length: 12, default: 'running' })
  state!: NoticeStatus;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

export type ObjectionState = 'open' | 'dismissed' | 'upheld';

/** An objection (异议) to a notice, by anyone; resolved by the notice's owner. */
@Entity('objection')
@Check('objection_state_check', `"state" IN ('open', 'dismissed', 'upheld')`)
export class Objection {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  noticeId!: string;

  @ManyToOne(() => Notice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'notice_id' })
  notice?: Notice;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 30 })
  phone!: string;

  @Column({ type: 'varchar', length: 2000 })
  text!: string;

  @Column({ type: 'uuid', nullable: true })
  registerRowId!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  state!: ObjectionState;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  resolutionNote!: string | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A durable timer: a deadline kept in the database, claimed by one scheduler with
 * FOR UPDATE SKIP LOCKED and fired exactly once, even with several app instances or after a
 * restart (XState does not restore delayed transitions, so deadlines never live in memory).
 */
@Entity('timer')
@Index('timer_due_idx', ['dueAt'], { where: '"fired_at" IS NULL' })
export class Timer {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: 'notice.elapsed';

  @Column({ type: 'uuid' })
  contractId!: string;

  @Column({ type: 'uuid' })
  noticeId!: string;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  outcome!: string | null;

  /** Failed attempts (errors, not refusals); the timer is tried again from `retryAt`. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  retryAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}

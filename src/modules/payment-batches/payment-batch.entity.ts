import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { bigintNumber } from '../../database/transformers';
import { Payout } from '../payouts/payout.entity';

export type PaymentBatchState = 'sent' | 'reconciled';

/**
 * A batch of issued payouts sent to the bank (拨付批次), with its number. `reconciled` once every
 * payout of it is confirmed or failed. Count and total are fixed when it is made.
 */
@Entity('payment_batch')
@Unique('payment_batch_batch_no_key', ['batchNo'])
@Check('payment_batch_state_check', `"state" IN ('sent', 'reconciled')`)
@Check('payment_batch_count_check', `"count" > 0`)
export class PaymentBatch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  batchNo!: string;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 12, default: 'sent' })
  state!: PaymentBatchState;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  totalFen!: number;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  reconciledAt!: Date | null;
}

/** A payout of a batch; a payout is in at most one batch, even when two batches race for it. */
@Entity('payment_batch_payout')
@Unique('payment_batch_payout_payout_id_key', ['payoutId'])
export class PaymentBatchPayout {
  @PrimaryColumn({ type: 'uuid' })
  batchId!: string;

  @PrimaryColumn({ type: 'uuid' })
  payoutId!: string;

  @ManyToOne(() => PaymentBatch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id' })
  batch?: PaymentBatch;

  @ManyToOne(() => Payout, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payout_id' })
  payout?: Payout;
}

/** The answer to one result file, by its SHA-256: the same file again gets the same answer. */
@Entity('payment_batch_result')
export class PaymentBatchResult {
  @PrimaryColumn({ type: 'uuid' })
  batchId!: string;

  @PrimaryColumn({ type: 'char', length: 64 })
  fileSha256!: string;

  @ManyToOne(() => PaymentBatch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id' })
  batch?: PaymentBatch;

  @Column({ type: 'uuid' })
  uploadedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  uploadedAt!: Date;

  /** JSON text, not jsonb: a replay must be byte for byte the first answer. */
  @Column({ type: 'text' })
  responseBody!: string;
}

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
import { Contract } from '../contracts/contract.entity';

export type PayoutState = 'issued' | 'confirmed' | 'failed';

/**
 * A payout (资金拨付) of a contract's subsidy to the organisation's account. The payee's bank
 * details are copied when it is issued. One live (issued or confirmed) payout per contract,
 * guaranteed by a partial unique index even under races.
 */
@Entity('payout')
@Index('payout_live_contract_key', ['contractId'], {
  unique: true,
  where: `"state" IN ('issued', 'confirmed')`,
})
@Unique('payout_payout_no_key', ['payoutNo'])
@Check('payout_state_check', `"state" IN ('issued', 'confirmed', 'failed')`)
@Check('payout_amount_check', `"amount_fen" > 0`)
export class Payout {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** 拨付单号: `BF<district>-<8 digits>`, the key the bank echoes in its result file. */
  @Column({ type: 'varchar', length: 40 })
  payoutNo!: string;

  @Column({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amountFen!: number;

  @Column({ type: 'varchar', length: 10 })
  state!: PayoutState;

  @Column({ type: 'varchar', length: 200 })
  payeeName!: string;

  @Column({ type: 'varchar', length: 200 })
  bankName!: string;

  @Column({ type: 'varchar', length: 200 })
  bankAccountName!: string;

  @Column({ type: 'varchar', length: 40 })
  bankAccountNo!: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ type: 'uuid' })
  issuedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ type: 'varchar', length: 100, nullable: true })
  bankReference!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  failureReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}

/**
 * Idempotency keys (as Stripe's): claimed with INSERT … ON CONFLICT inside the payout's own
 * transaction, with a digest of the request and the answer given, so a retry gets the same
 * answer and never a second payout.
 */
@Entity('idempotency_key')
export class IdempotencyKey {
  /** Who and what the key is for: `<user id>:<contract id>`. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'char', length: 64 })
  requestSha256!: string;

  @Column({ type: 'integer' })
  responseStatus!: number;

  /** The answer's JSON text, kept as text: jsonb would reorder its keys and the replay would differ. */
  @Column({ type: 'text' })
  responseBody!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

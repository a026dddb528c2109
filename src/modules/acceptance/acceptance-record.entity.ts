import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Contract } from '../contracts/contract.entity';
import type { AcceptanceRole } from '../auth/roles';

export type AcceptanceRecordState = 'open' | 'failed' | 'complete' | 'superseded';

/**
 * A town acceptance group's record for one task line (验收表): the accepted area per village and
 * the members' signatures. A revision replaces it with its signatures reset.
 */
@Entity('acceptance_record')
@Unique('acceptance_record_contract_id_task_code_revision_key', [
  'contractId',
  'taskCode',
  'revision',
])
@Check('acceptance_record_state_check', `"state" IN ('open', 'failed', 'complete', 'superseded')`)
export class AcceptanceRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 20 })
  taskCode!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  state!: AcceptanceRecordState;

  /** Accepted area per village, hundredths of a mu. */
  @Column({ type: 'jsonb' })
  villages!: { villageCode: string; acceptedArea: number }[];

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One member's signature on a record: pass or fail; one per person (a unique constraint). */
@Entity('acceptance_signature')
@Unique('acceptance_signature_record_id_user_id_key', ['recordId', 'userId'])
@Check('acceptance_signature_decision_check', `"decision" IN ('pass', 'fail')`)
export class AcceptanceSignature {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  recordId!: string;

  @ManyToOne(() => AcceptanceRecord, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'record_id' })
  record?: AcceptanceRecord;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 30 })
  acceptanceRole!: AcceptanceRole;

  @Column({ type: 'varchar', length: 4 })
  decision!: 'pass' | 'fail';

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz' })
  signedAt!: Date;
}

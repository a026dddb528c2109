import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumber } from '../../database/transformers';
import { Organisation } from '../organisations/organisation.entity';
import { SubsidyPolicy } from '../policies/policy.entity';
import { Project } from '../projects/project.entity';

/**
 * A service contract, one per award. Its life is one state machine (see contracts/machine);
 * `state` and the task-line columns are what queries need, kept in step by the workflow.
 */
@Entity('contract')
export class Contract {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  projectId!: string;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'uuid' })
  tenderId!: string;

  @Column({ type: 'uuid' })
  lotId!: string;

  @Column({ type: 'varchar', length: 20 })
  lotCode!: string;

  @Index()
  @Column({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  state!: string;

  /** Raised by every accepted event; sent as the ETag. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /**
   * The machine's persisted snapshot: `{value, context}` (see machine/contract-lifecycle.ts).
   * `json`, not `jsonb`: a document read and written whole, never queried inside.
   */
  @Column({ type: 'json', nullable: true })
  snapshot!: { value: string; context: Record<string, unknown> } | null;

  /** The machine version the snapshot was written by; 0: created before the machine existed. */
  @Column({ type: 'integer', default: 0 })
  machineVersion!: number;

  @Column({ type: 'date' })
  workDeadline!: string;

  @Column({ type: 'date' })
  awardedOn!: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  contractNo!: string | null;

  @Column({ type: 'date', nullable: true })
  signedOn!: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  subsidyFen!: number | null;

  /** The subsidy policy in force on the project's `serviceStart`, pinned at the award. */
  @Column({ type: 'uuid', nullable: true })
  policyId!: string | null;

  @ManyToOne(() => SubsidyPolicy, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id' })
  policy?: SubsidyPolicy | null;

  /** What the organisation's cap under the policy cut from the subsidy (fen). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  capCutFen!: number | null;

  @OneToMany(() => ContractTaskLine, (line) => line.contract, { cascade: ['insert'] })
  taskLines?: ContractTaskLine[];

  @OneToMany(() => ContractVillage, (village) => village.contract, { cascade: ['insert'] })
  villages?: ContractVillage[];

  @OneToMany(() => ContractVillagePart, (part) => part.contract)
  villageParts?: ContractVillagePart[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A contract's part for one task (环节): its price, assigned area and the areas of each stage. */
@Entity('contract_task_line')
export class ContractTaskLine {
  @PrimaryColumn({ type: 'uuid' })
  contractId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  taskCode!: string;

  @ManyToOne(() => Contract, (contract) => contract.taskLines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 100 })
  taskName!: string;

  /** Fen per mu, as awarded. */
  @Column({ type: 'integer' })
  unitPriceFen!: number;

  /** What the subsidy pays per mu (fen): the unit price, or the pinned policy's share of it. */
  @Column({ type: 'integer' })
  subsidyPerMuFen!: number;

  /** Hundredths of a mu, from the lot. */
  @Column({ type: 'integer' })
  assignedArea!: number;

  @Column({ type: 'varchar', length: 24 })
  state!: string;

  @Column({ type: 'integer', nullable: true })
  claimedArea!: number | null;

  @Column({ type: 'integer', nullable: true })
  verifiedArea!: number | null;

  @Column({ type: 'integer', nullable: true })
  acceptedArea!: number | null;

  @Column({ type: 'integer', nullable: true })
  auditedArea!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  amountFen!: number | null;
}

/** A task line's part in one village: each village verifies and posts its own 7-day notice. */
@Entity('contract_village_part')
export class ContractVillagePart {
  @PrimaryColumn({ type: 'uuid' })
  contractId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  taskCode!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  villageCode!: string;

  @ManyToOne(() => Contract, (contract) => contract.villageParts, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 24 })
  state!: string;

  @Column({ type: 'integer' })
  claimedArea!: number;

  @Column({ type: 'integer', nullable: true })
  verifiedArea!: number | null;

  @Column({ type: 'integer', nullable: true })
  acceptedArea!: number | null;

  @Column({ type: 'uuid', nullable: true })
  noticeId!: string | null;

  /** The village's assessment with the verification of its current notice (not a column). */
  assessment?: { quality: string; note: string | null } | null;
}

/** The villages of a contract's lot, with their town, for scope checks. */
@Entity('contract_village')
export class ContractVillage {
  @PrimaryColumn({ type: 'uuid' })
  contractId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  villageCode!: string;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  townCode!: string;

  @ManyToOne(() => Contract, (contract) => contract.villages, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;
}

/** Every accepted event of a contract, in order: who, when, what, and the states it moved. */
@Entity('contract_history')
export class ContractHistory {
  @PrimaryColumn({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  @Column({ type: 'varchar', length: 60 })
  event!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  taskCode!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  villageCode!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  fromState!: string | null;

  @Column({ type: 'varchar', length: 40 })
  toState!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;
}

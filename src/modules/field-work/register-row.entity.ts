import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Contract } from '../contracts/contract.entity';

/** A register row's own states: words it shares with a task line's, not the machine's states. */
export const REGISTER_ROW_STATE = {
  working: 'working',
  claimed: 'claimed',
  withdrawn: 'withdrawn',
} as const;
export type RegisterRowState = (typeof REGISTER_ROW_STATE)[keyof typeof REGISTER_ROW_STATE];

/**
 * One row of the household register (落实到户清册): a household's plot served for one task,
 * signed on the spot by the town cadre, the village cadre, the operator and the farmer.
 * A (plot, task) is registered once per project, the plot compared by its key (the code as people
 * read it: common/values/identifier.ts): a partial unique index ignores withdrawn rows.
 */
@Entity('register_row')
@Index('register_row_project_plot_key_task_key', ['projectId', 'plotKey', 'taskCode'], {
  unique: true,
  where: `"state" <> 'withdrawn'`,
})
@Index('register_row_contract_task_village_idx', ['contractId', 'taskCode', 'villageCode'])
/** The register list's order (GET /contracts/:id/register): a page is read from the index, not sorted. */
@Index('register_row_contract_list_idx', ['contractId', 'taskCode', 'rowNo', 'id'])
export class RegisterRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'uuid' })
  projectId!: string;

  /** The row number of the imported sheet (header = 1). */
  @Column({ type: 'integer' })
  rowNo!: number;

  @Column({ type: 'varchar', length: 20 })
  villageCode!: string;

  @Column({ type: 'varchar', length: 100 })
  householdName!: string;

  @Column({ type: 'char', length: 18 })
  householdIdNo!: string;

  /** As typed; shown everywhere. */
  @Column({ type: 'varchar', length: 60 })
  plotCode!: string;

  /**
   * `identifierKey(plotCode)`, what duplicates are found by. NULL only on a row stored before
   * the key existed that looked like an earlier row (migration PlotKeys, table
   * identifier_collision).
   */
  @Column({ type: 'text', nullable: true })
  plotKey!: string | null;

  @Column({ type: 'varchar', length: 20 })
  taskCode!: string;

  /** Hundredths of a mu, as claimed. */
  @Column({ type: 'integer' })
  area!: number;

  /** Hundredths of a mu, as the village verified it (0 = not served). */
  @Column({ type: 'integer', nullable: true })
  verifiedArea!: number | null;

  @Column({ type: 'date' })
  workDate!: string;

  @Column({ type: 'varchar', length: 40 })
  machineNo!: string;

  @Column({ type: 'varchar', length: 100 })
  operatorName!: string;

  @Column({ type: 'varchar', length: 100 })
  townCadreSigned!: string;

  @Column({ type: 'varchar', length: 100 })
  villageCadreSigned!: string;

  @Column({ type: 'varchar', length: 100 })
  operatorSigned!: string;

  @Column({ type: 'varchar', length: 100 })
  farmerSigned!: string;

  @Column({ type: 'varchar', length: 12, default: 'working' })
  state!: RegisterRowState;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { Project } from '../projects/project.entity';

export const TENDER_METHODS = ['invited', 'open'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];
export type TenderState = 'published' | 'opened';

/** A call for bids (招标; 邀标 when invited), published in a newspaper and opened in public. */
@Entity('tender')
@Check('tender_method_check', `"method" IN ('invited', 'open')`)
@Check('tender_state_check', `"state" IN ('published', 'opened')`)
@Check('tender_dates_check', `"opening_on" >= "published_on"`)
export class Tender {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  projectId!: string;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  /** The project's district, kept here for scope checks. */
  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 10 })
  method!: TenderMethod;

  /** Where the invitation was published, e.g. 《亳州晚报》. */
  @Column({ type: 'varchar', length: 200 })
  publishedIn!: string;

  @Column({ type: 'date' })
  publishedOn!: string;

  @Column({ type: 'date' })
  openingOn!: string;

  @Column({ type: 'varchar', length: 12, default: 'published' })
  state!: TenderState;

  @Column({ type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @OneToMany(() => TenderInvitation, (invitation) => invitation.tender, { cascade: ['insert'] })
  invitations?: TenderInvitation[];

  @OneToMany(() => Lot, (lot) => lot.tender, { cascade: ['insert'] })
  lots?: Lot[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('tender_invitation')
export class TenderInvitation {
  @PrimaryColumn({ type: 'uuid' })
  tenderId!: string;

  @PrimaryColumn({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Tender, (tender) => tender.invitations, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tender_id' })
  tender?: Tender;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;
}

/** A lot (标段): villages × tasks with an area each, awarded to one organisation. */
@Entity('lot')
@Unique('lot_tender_id_code_key', ['tenderId', 'code'])
export class Lot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenderId!: string;

  @ManyToOne(() => Tender, (tender) => tender.lots, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tender_id' })
  tender?: Tender;

  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', array: true })
  villageCodes!: string[];

  @OneToMany(() => LotTask, (task) => task.lot, { cascade: ['insert'] })
  tasks?: LotTask[];
}

@Entity('lot_task')
@Check('lot_task_area_check', `"area" > 0`)
export class LotTask {
  @PrimaryColumn({ type: 'uuid' })
  lotId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  taskCode!: string;

  /** Hundredths of a mu. */
  @Column({ type: 'integer' })
  area!: number;

  @ManyToOne(() => Lot, (lot) => lot.tasks, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lot_id' })
  lot?: Lot;
}

/** A sealed bid: one per organisation and lot, replaceable until the tender is opened. */
@Entity('bid')
@Unique('bid_lot_id_organisation_id_key', ['lotId', 'organisationId'])
export class Bid {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenderId!: string;

  @Column({ type: 'uuid' })
  lotId!: string;

  @ManyToOne(() => Lot, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lot_id' })
  lot?: Lot;

  @Column({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  /** Unit price per task code, in fen per mu. */
  @Column({ type: 'jsonb' })
  prices!: Record<string, number>;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** An expert's score of an opened bid (专家评审), 0-100 in hundredths. */
@Entity('bid_score')
@Unique('bid_score_bid_id_expert_key', ['bidId', 'expert'])
@Check('bid_score_score_check', `"score" BETWEEN 0 AND 10000`)
export class BidScore {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  bidId!: string;

  @ManyToOne(() => Bid, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bid_id' })
  bid?: Bid;

  @Column({ type: 'varchar', length: 100 })
  expert!: string;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The award of a lot to one bid (中标); it creates the contract. One per lot, enforced by the database. */
@Entity('award')
@Unique('award_lot_id_key', ['lotId'])
export class Award {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenderId!: string;

  @Column({ type: 'uuid' })
  lotId!: string;

  @ManyToOne(() => Lot, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lot_id' })
  lot?: Lot;

  @Column({ type: 'uuid' })
  bidId!: string;

  @ManyToOne(() => Bid, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bid_id' })
  bid?: Bid;

  @Column({ type: 'uuid' })
  contractId!: string;

  @Column({ type: 'date' })
  workDeadline!: string;

  /** The date on the award notice: the client's `awardedOn`, else the app's date of the award. */
  @Column({ type: 'date' })
  awardedOn!: string;

  /** `awardedOn` came from the client, so the signing date is checked against it. */
  @Column({ type: 'boolean', default: false })
  awardedOnGiven!: boolean;

  @Column({ type: 'uuid', nullable: true })
  awardedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The tender's history: published, opened, each award; with actor and time. */
@Entity('tender_event')
export class TenderEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenderId!: string;

  @ManyToOne(() => Tender, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tender_id' })
  tender?: Tender;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  @Column({ type: 'varchar', length: 40 })
  event!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;
}

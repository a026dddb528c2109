import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import type { AcceptanceRole, Role } from '../auth/roles';

/** A login. `user` is reserved in PostgreSQL, hence `app_user`. */
@Entity('app_user')
@Check(
  'app_user_role_check',
  `"role" IN ('admin', 'cooperative', 'village_verifier', 'town_acceptor', 'district_agri', 'district_finance', 'observer')`,
)
@Check('app_user_organisation_check', `("role" = 'cooperative') = ("organisation_id" IS NOT NULL)`)
@Check(
  'app_user_acceptance_role_check',
  `("role" = 'town_acceptor') = ("acceptance_role" IS NOT NULL)`,
)
@Check('app_user_region_check', `("role" IN ('admin', 'cooperative')) = ("region_code" IS NULL)`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  organisationId!: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation | null;

  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'region_code', referencedColumnName: 'code' })
  region?: Region | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  acceptanceRole!: AcceptanceRole | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Set by an admin's password reset: every route but the password change answers 403 until then. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword!: boolean;

  /**
   * Raised by a password change, a reset and a deactivation. A token carries the version it was
   * issued under (`tv`); the access guard refuses an older one, so those end every session.
   */
  @Column({ type: 'integer', default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

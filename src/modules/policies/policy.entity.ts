import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { bigintNumber } from '../../database/transformers';

/**
 * A subsidy policy (补助标准) of one district, in force from `effectiveFrom` to `effectiveTo`
 * (inclusive; open-ended without it). Never edited: a contract pins the policy in force on its
 * project's `serviceStart` at the award, so a policy's figures must stay what they were.
 */
@Entity('subsidy_policy')
@Check('subsidy_policy_share_check', `"share_basis_points" > 0 AND "share_basis_points" <= 10000`)
@Check(
  'subsidy_policy_caps_check',
  `("cap_per_mu_fen" IS NULL OR "cap_per_mu_fen" >= 0) AND ("cap_per_organisation_fen" IS NULL OR "cap_per_organisation_fen" >= 0)`,
)
@Check('subsidy_policy_dates_check', `"effective_to" IS NULL OR "effective_to" >= "effective_from"`)
@Exclusion(
  'subsidy_policy_no_overlap',
  `USING gist ("district_code" WITH =, daterange("effective_from", "effective_to", '[]') WITH &&)`,
)
export class SubsidyPolicy {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Column({ type: 'date' })
  effectiveFrom!: string;

  @Column({ type: 'date', nullable: true })
  effectiveTo!: string | null;

  /** The share of the service price, in hundredths of a percent (30.00% = 3000). */
  @Column({ type: 'integer' })
  shareBasisPoints!: number;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  capPerMuFen!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  capPerOrganisationFen!: number | null;

  @Column({ type: 'boolean' })
  requireDirectoryListing!: boolean;

  /**
   * The district audit's sample under this policy (api.md, "District audit by sample"): all
   * three or none. Rate and tolerance in hundredths of a percent.
   */
  @Column({ type: 'integer', nullable: true })
  auditSampleRateBasisPoints!: number | null;

  @Column({ type: 'integer', nullable: true })
  auditSampleMinPerVillage!: number | null;

  @Column({ type: 'integer', nullable: true })
  auditSampleToleranceBasisPoints!: number | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

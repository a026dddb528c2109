import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A listing in the service-organisation directory (名录库): from `listedOn` to `listedUntil`
 * (inclusive; open-ended without it). `districtCode` is the district that made it (null: the
 * administrator); a listing counts everywhere.
 */
@Entity('organisation_listing')
@Check(
  'organisation_listing_dates_check',
  `"listed_until" IS NULL OR "listed_until" >= "listed_on"`,
)
export class OrganisationListing {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'date' })
  listedOn!: string;

  @Column({ type: 'date', nullable: true })
  listedUntil!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  districtCode!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A blacklist entry (黑名单): barred from `fromOn` to `untilOn` inclusive (five years by default). */
@Entity('organisation_blacklist')
@Check('organisation_blacklist_dates_check', `"until_on" >= "from_on"`)
export class OrganisationBlacklistEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'varchar', length: 2000 })
  reason!: string;

  @Column({ type: 'date' })
  fromOn!: string;

  @Column({ type: 'date' })
  untilOn!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  districtCode!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

export const REGION_LEVELS = ['district', 'town', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** The parent level each level needs: district (区) > town (镇) > village (村). */
export const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  district: null,
  town: 'district',
  village: 'town',
};

/**
 * A district, town or village. Its ancestors' codes are kept on the row so that scope checks
 * ("is this village in my district?") need no recursive query.
 */
@Entity('region')
@Check('region_level_check', `"level" IN ('district', 'town', 'village')`)
@Check(
  'region_ancestry_check',
  `("level" = 'district' AND "parent_code" IS NULL AND "town_code" IS NULL AND "district_code" = "code")` +
    ` OR ("level" = 'town' AND "parent_code" = "district_code" AND "town_code" = "code")` +
    ` OR ("level" = 'village' AND "parent_code" = "town_code" AND "district_code" IS NOT NULL)`,
)
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  level!: RegionLevel;

  @Column({ type: 'varchar', length: 20, nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_code', referencedColumnName: 'code' })
  parent?: Region | null;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  townCode!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

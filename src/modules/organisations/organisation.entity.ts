import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const GRADES = ['national', 'provincial', 'municipal', 'none'] as const;
export type Grade = (typeof GRADES)[number];

/** A service organisation (服务组织), usually a farm-machinery cooperative (农机专业合作社). */
@Entity('organisation')
@Check('organisation_grade_check', `"grade" IN ('national', 'provincial', 'municipal', 'none')`)
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** 统一社会信用代码, 18 characters, check character verified (GB 32100-2015). */
  @Index({ unique: true })
  @Column({ type: 'char', length: 18 })
  creditCode!: string;

  @Column({ type: 'varchar', length: 100 })
  legalRepresentative!: string;

  /** Demonstration cooperative grade (示范社): national, provincial, municipal or none. */
  @Column({ type: 'varchar', length: 12 })
  grade!: Grade;

  @Column({ type: 'varchar', length: 200 })
  bankName!: string;

  @Column({ type: 'varchar', length: 200 })
  bankAccountName!: string;

  @Column({ type: 'varchar', length: 40 })
  bankAccountNo!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

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
} from 'typeorm';
import { bigintNumber } from '../../database/transformers';
import { Region } from '../regions/region.entity';

/** A district's project (项目): its villages, its tasks (作业环节) and the service window. */
@Entity('project')
@Unique('project_district_code_code_key', ['districtCode', 'code'])
@Check('project_service_window_check', `"service_end" >= "service_start"`)
export class Project {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  districtCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'district_code', referencedColumnName: 'code' })
  district?: Region;

  @Column({ type: 'date' })
  serviceStart!: string;

  @Column({ type: 'date' })
  serviceEnd!: string;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  budgetFen!: number | null;

  @OneToMany(() => ProjectVillage, (village) => village.project, { cascade: ['insert'] })
  villages?: ProjectVillage[];

  @OneToMany(() => ProjectTask, (task) => task.project, { cascade: ['insert'] })
  tasks?: ProjectTask[];

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('project_village')
export class ProjectVillage {
  @PrimaryColumn({ type: 'uuid' })
  projectId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  villageCode!: string;

  @ManyToOne(() => Project, (project) => project.villages, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_code', referencedColumnName: 'code' })
  village?: Region;
}

/** A service task of the project (作业环节), e.g. 小麦机收, with its planned area. */
@Entity('project_task')
@Check('project_task_planned_area_check', `"planned_area" > 0`)
export class ProjectTask {
  @PrimaryColumn({ type: 'uuid' })
  projectId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Hundredths of a mu. */
  @Column({ type: 'integer' })
  plannedArea!: number;

  @ManyToOne(() => Project, (project) => project.tasks, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;
}

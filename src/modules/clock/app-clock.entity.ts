import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/transformers';

/** The test clock's offset from real time, kept so that time never goes back across a restart. */
@Entity('app_clock')
export class AppClock {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  offsetMs!: number;
}

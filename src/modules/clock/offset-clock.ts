import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { AppClock } from './app-clock.entity';

/**
 * The test clock (TEST_CLOCK=1): real time plus an offset that only grows. The offset is kept
 * in the database, so the app's time never goes back across a restart, and every instance on
 * the database reads the same one.
 */
export class OffsetClock extends Clock {
  private offsetMs = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  protected current(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  override async refresh(): Promise<void> {
    const row = await this.dataSource.getRepository(AppClock).findOneBy({ id: 1 });
    this.offsetMs = row?.offsetMs ?? 0;
  }

  async advance(ms: number): Promise<Date> {
    const [row] = await this.dataSource.query<{ offset_ms: string }[]>(
      `INSERT INTO app_clock (id, offset_ms) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET offset_ms = app_clock.offset_ms + EXCLUDED.offset_ms
       RETURNING offset_ms`,
      [Math.round(ms)],
    );
    this.offsetMs = Number(row.offset_ms);
    return this.now();
  }
}

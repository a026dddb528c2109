import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, SystemClock } from '../../common/clock/clock';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { OffsetClock } from './offset-clock';

/** Provides the app's Clock: the system's, or with TEST_CLOCK=1 the database-backed test clock. */
@Global()
@Module({
  providers: [
    {
      provide: Clock,
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: async (config: RuntimeConfig, dataSource: DataSource): Promise<Clock> => {
        if (!config.testClock) return new SystemClock();
        const clock = new OffsetClock(dataSource);
        await clock.refresh();
        return clock;
      },
    },
  ],
  exports: [Clock],
})
export class ClockModule {}

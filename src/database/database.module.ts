import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type RuntimeConfig } from '../config/config.module';
import { ClockSubscriber } from './clock.subscriber';
import { dataSourceOptions } from './data-source-options';

/** Migrations run before the app is built (see runMigrations); synchronize stays off. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: RuntimeConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: [ClockSubscriber],
})
export class DatabaseModule {}

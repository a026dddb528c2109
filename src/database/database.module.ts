import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { APP_CONFIG, type RuntimeConfig } from '../config/config.module';
import { ClockSubscriber } from './clock.subscriber';
import { dataSourceOptions } from './data-source-options';

/**
 * The app's data source, with the entities the app's composition lists (APP_ENTITIES). Migrations
 * run before the app is built (see runMigrations); synchronize stays off.
 */
@Module({})
export class DatabaseModule {
  static forRoot(entities: NonNullable<DataSourceOptions['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: RuntimeConfig) =>
            dataSourceOptions(config.databaseUrl, undefined, entities),
        }),
      ],
      providers: [ClockSubscriber],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { APP_ENTITIES } from './app.entities';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { AppLogger } from './common/logging/app-logger';
import { ROOT_LOGGER } from './common/logging/logger';
import { httpLoggerOptions } from './common/logging/logger';
import { ConfigModule, type RuntimeConfig } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AcceptanceModule } from './modules/acceptance/acceptance.module';
import { AuditLogModule } from './modules/audit-log/audit-log.module';
import { AuditsModule } from './modules/audits/audits.module';
import { BoardModule } from './modules/board/board.module';
import { PaymentBatchesModule } from './modules/payment-batches/payment-batches.module';
import { PayoutsModule } from './modules/payouts/payouts.module';
import { DocumentsModule } from './modules/documents/documents.module';
import { ArchiveModule } from './modules/archive/archive.module';
import { AuthModule } from './modules/auth/auth.module';
import { ClockModule } from './modules/clock/clock.module';
import { TestClockModule } from './modules/clock/test-clock.module';
import { FieldWorkModule } from './modules/field-work/field-work.module';
import { NoticesModule } from './modules/notices/notices.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { DemoModule } from './modules/demo/demo.module';
import { HealthModule } from './modules/health/health.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { PoliciesModule } from './modules/policies/policies.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RegionsModule } from './modules/regions/regions.module';
import { TendersModule } from './modules/tenders/tenders.module';
import { UsersModule } from './modules/users/users.module';
import { WorkItemsModule } from './modules/work-items/work-items.module';
import { DeskModule } from './modules/desk/desk.module';

@Module({})
export class AppModule {
  static forRoot(config: RuntimeConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger) }),
        ClockModule,
        DatabaseModule.forRoot(APP_ENTITIES),
        AuditLogModule,
        AuthModule,
        HealthModule,
        RegionsModule,
        OrganisationsModule,
        PoliciesModule,
        UsersModule,
        ProjectsModule,
        TendersModule,
        ContractsModule,
        FieldWorkModule,
        NoticesModule,
        AcceptanceModule,
        AuditsModule,
        PayoutsModule,
        PaymentBatchesModule,
        DocumentsModule,
        ArchiveModule,
        BoardModule,
        WorkItemsModule,
        DeskModule,
        ...(config.testClock ? [TestClockModule] : []),
        DemoModule,
      ],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        AppLogger,
      ],
    };
  }
}

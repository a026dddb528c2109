import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { urlencoded } from 'express';
import { AcceptanceModule } from '../acceptance/acceptance.module';
import { AuditsModule } from '../audits/audits.module';
import { PaymentBatchesModule } from '../payment-batches/payment-batches.module';
import { PayoutsModule } from '../payouts/payouts.module';
import { ContractsModule } from '../contracts/contracts.module';
import { DocumentsModule } from '../documents/documents.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { NoticesModule } from '../notices/notices.module';
import { ProjectsModule } from '../projects/projects.module';
import { UsersModule } from '../users/users.module';
import { WorkItemsModule } from '../work-items/work-items.module';
import { DeskActionsController } from './desk-actions.controller';
import { DeskDashboardController } from './desk-dashboard.controller';
import { DeskDashboardService } from './desk-dashboard.service';
import { DeskUsersController } from './desk-users.controller';
import { DeskController } from './desk.controller';
import { DeskPaymentBatchesController } from './desk-payment-batches.controller';
import { DeskPagesService } from './desk-pages.service';
import { DeskSessionGuard } from './desk-session.guard';
import { DeskViews } from './desk-views';

/**
 * A verification form carries two fields per register row: 1,000 rows (a large village) fit in
 * 4,000 fields and well under 256 kB.
 */
const FORM_LIMIT = { limit: '256kb', parameterLimit: 4000 };

@Module({
  imports: [
    WorkItemsModule,
    ContractsModule,
    FieldWorkModule,
    NoticesModule,
    AcceptanceModule,
    DocumentsModule,
    ProjectsModule,
    AuditsModule,
    PayoutsModule,
    PaymentBatchesModule,
    UsersModule,
  ],
  controllers: [
    DeskController,
    DeskActionsController,
    DeskPaymentBatchesController,
    DeskDashboardController,
    DeskUsersController,
  ],
  providers: [DeskViews, DeskPagesService, DeskSessionGuard, DeskDashboardService],
})
export class DeskModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(urlencoded({ extended: false, ...FORM_LIMIT }))
      .forRoutes({ path: 'desk/*path', method: RequestMethod.POST });
  }
}

import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { NoticeSchedulerService } from './notice-scheduler.service';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';
import { ObjectionsService } from './objections.service';
import { VerificationService } from './verification.service';

@Module({
  imports: [ContractsModule],
  controllers: [NoticesController],
  providers: [NoticesService, ObjectionsService, VerificationService, NoticeSchedulerService],
  exports: [NoticesService, ObjectionsService, NoticeSchedulerService, VerificationService],
})
export class NoticesModule {}

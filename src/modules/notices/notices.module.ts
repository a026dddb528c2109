import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { NoticeSchedulerService } from './notice-scheduler.service';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';
import { VerificationService } from './verification.service';

@Module({
  imports: [ContractsModule],
  controllers: [NoticesController],
  providers: [NoticesService, VerificationService, NoticeSchedulerService],
  exports: [NoticesService, NoticeSchedulerService, VerificationService],
})
export class NoticesModule {}

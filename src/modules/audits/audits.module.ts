import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { NoticesModule } from '../notices/notices.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { AuditSampleController } from './audit-sample.controller';
import { AuditSampleService } from './audit-sample.service';
import { AuditsController } from './audits.controller';
import { VisitPhotosService } from './visit-photos.service';
import { AuditsService } from './audits.service';

@Module({
  imports: [ContractsModule, NoticesModule, FieldWorkModule],
  controllers: [AuditsController, AuditSampleController],
  providers: [AuditsService, AuditSampleService, VisitPhotosService],
  exports: [AuditsService, AuditSampleService, VisitPhotosService],
})
export class AuditsModule {}

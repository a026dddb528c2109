import { Module } from '@nestjs/common';
import { AuditSampleService } from '../audits/audit-sample.service';
import { AuditsModule } from '../audits/audits.module';
import { ContractsModule } from '../contracts/contracts.module';
import { DocumentsModule } from '../documents/documents.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { ProjectsModule } from '../projects/projects.module';
import { TendersModule } from '../tenders/tenders.module';
import { ArchiveController } from './archive.controller';
import { ARCHIVE_SAMPLE_SOURCE, ArchiveService } from './archive.service';

@Module({
  imports: [
    AuditsModule,
    ContractsModule,
    DocumentsModule,
    FieldWorkModule,
    ProjectsModule,
    TendersModule,
  ],
  controllers: [ArchiveController],
  providers: [
    ArchiveService,
    // sample.json: the audit sample as its own module shows it (disclosed by role).
    { provide: ARCHIVE_SAMPLE_SOURCE, useExisting: AuditSampleService },
  ],
})
export class ArchiveModule {}

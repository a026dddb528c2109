import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { DocumentsModule } from '../documents/documents.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { ProjectsModule } from '../projects/projects.module';
import { TendersModule } from '../tenders/tenders.module';
import { ArchiveController } from './archive.controller';
import { ArchiveService } from './archive.service';

@Module({
  imports: [ContractsModule, DocumentsModule, FieldWorkModule, ProjectsModule, TendersModule],
  controllers: [ArchiveController],
  providers: [ArchiveService],
})
export class ArchiveModule {}

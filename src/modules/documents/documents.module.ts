import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';

@Module({
  imports: [ContractsModule, FieldWorkModule],
  controllers: [DocumentsController],
  providers: [DocumentsService],
  exports: [DocumentsService],
})
export class DocumentsModule {}

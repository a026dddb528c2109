import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { AttachmentsService } from './attachments.service';
import { ClaimService } from './claim.service';
import { FieldWorkController } from './field-work.controller';
import { FileStore } from './file-store';
import { RegisterImportService } from './register-import.service';
import { RegisterService } from './register.service';

@Module({
  imports: [ContractsModule],
  controllers: [FieldWorkController],
  providers: [RegisterService, RegisterImportService, AttachmentsService, ClaimService, FileStore],
  exports: [RegisterService, RegisterImportService, AttachmentsService, ClaimService, FileStore],
})
export class FieldWorkModule {}

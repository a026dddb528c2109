import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { ClaimService } from './claim.service';
import { FieldWorkController } from './field-work.controller';
import { RegisterService } from './register.service';

@Module({
  imports: [ContractsModule],
  controllers: [FieldWorkController],
  providers: [RegisterService, ClaimService],
  exports: [RegisterService],
})
export class FieldWorkModule {}

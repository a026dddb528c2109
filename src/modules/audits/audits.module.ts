import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { NoticesModule } from '../notices/notices.module';
import { AuditsController } from './audits.controller';
import { AuditsService } from './audits.service';

@Module({
  imports: [ContractsModule, NoticesModule],
  controllers: [AuditsController],
  providers: [AuditsService],
  exports: [AuditsService],
})
export class AuditsModule {}

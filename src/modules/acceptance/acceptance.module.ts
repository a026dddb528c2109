import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { AcceptanceController } from './acceptance.controller';
import { AcceptanceService } from './acceptance.service';

@Module({
  imports: [ContractsModule],
  controllers: [AcceptanceController],
  providers: [AcceptanceService],
  exports: [AcceptanceService],
})
export class AcceptanceModule {}

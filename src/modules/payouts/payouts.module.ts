import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { PayoutExportService } from './payout-export.service';
import { PayoutsController } from './payouts.controller';
import { PayoutsService } from './payouts.service';

@Module({
  imports: [ContractsModule],
  controllers: [PayoutsController],
  providers: [PayoutsService, PayoutExportService],
  exports: [PayoutsService],
})
export class PayoutsModule {}

import { Module } from '@nestjs/common';
import { PayoutsModule } from '../payouts/payouts.module';
import { PaymentBatchResultService } from './payment-batch-result.service';
import { PaymentBatchesController } from './payment-batches.controller';
import { PaymentBatchesService } from './payment-batches.service';

@Module({
  imports: [PayoutsModule],
  controllers: [PaymentBatchesController],
  providers: [PaymentBatchesService, PaymentBatchResultService],
  exports: [PaymentBatchesService, PaymentBatchResultService],
})
export class PaymentBatchesModule {}

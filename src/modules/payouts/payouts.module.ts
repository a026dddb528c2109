import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PayoutExportService } from './payout-export.service';
import { AfterPayoutCommit, PayoutKeyClaims } from './payout-key-claims';
import { PayoutsController } from './payouts.controller';
import { PayoutsService } from './payouts.service';

@Module({
  imports: [ContractsModule, OrganisationsModule],
  controllers: [PayoutsController],
  providers: [PayoutsService, PayoutExportService, PayoutKeyClaims, AfterPayoutCommit],
  exports: [PayoutsService],
})
export class PayoutsModule {}

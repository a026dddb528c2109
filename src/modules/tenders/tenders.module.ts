import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PoliciesModule } from '../policies/policies.module';
import { ProjectsModule } from '../projects/projects.module';
import { AwardsService } from './awards.service';
import { BidsService } from './bids.service';
import { TendersController } from './tenders.controller';
import { TendersService } from './tenders.service';

@Module({
  imports: [ProjectsModule, ContractsModule, OrganisationsModule, PoliciesModule],
  controllers: [TendersController],
  providers: [TendersService, BidsService, AwardsService],
  exports: [TendersService, BidsService, AwardsService],
})
export class TendersModule {}

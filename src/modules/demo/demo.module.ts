import { Module } from '@nestjs/common';
import { AcceptanceModule } from '../acceptance/acceptance.module';
import { AuditsModule } from '../audits/audits.module';
import { ContractsModule } from '../contracts/contracts.module';
import { FieldWorkModule } from '../field-work/field-work.module';
import { NoticesModule } from '../notices/notices.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PayoutsModule } from '../payouts/payouts.module';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { TendersModule } from '../tenders/tenders.module';
import { UsersModule } from '../users/users.module';
import { PoliciesModule } from '../policies/policies.module';
import { DemoCurrentRulesService } from './demo-current-rules.service';
import { DemoSeedService } from './demo-seed.service';
import { DemoStoryService } from './demo-story.service';

@Module({
  imports: [
    RegionsModule,
    OrganisationsModule,
    UsersModule,
    ProjectsModule,
    TendersModule,
    ContractsModule,
    FieldWorkModule,
    NoticesModule,
    AcceptanceModule,
    AuditsModule,
    PayoutsModule,
    PoliciesModule,
  ],
  providers: [DemoSeedService, DemoStoryService, DemoCurrentRulesService],
  exports: [DemoSeedService],
})
export class DemoModule {}

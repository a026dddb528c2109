import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { inOneTransaction } from '../../database/one-transaction';
import { NoticeSchedulerService } from '../notices/notice-scheduler.service';
import { Organisation } from '../organisations/organisation.entity';
import { Project } from '../projects/project.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_REGIONS, DEMO_USERS } from './demo-data';
import { DemoCurrentRulesService } from './demo-current-rules.service';
import { DemoStoryService } from './demo-story.service';

/**
 * Loads the Qiaocheng 2014 demo, and the district's 2026 project under today's rules, through the same services as the API, in one transaction: a
 * start killed half-way leaves nothing of it, and the next start loads it whole. It runs only on
 * a database that holds no regions but the demo's own.
 */
@Injectable()
export class DemoSeedService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly story: DemoStoryService,
    private readonly currentRules: DemoCurrentRulesService,
    private readonly scheduler: NoticeSchedulerService,
  ) {}

  /** Returns the demo usernames it created, or `null` when there was nothing to do. */
  async seedIfEmpty(): Promise<{ usernames: string[]; password: string } | null> {
    return this.scheduler.whilePaused(() => inOneTransaction(this.dataSource, () => this.seed()));
  }

  private async seed(): Promise<{ usernames: string[]; password: string } | null> {
    const demoCodes = DEMO_REGIONS.map((region) => region.code);
    const regionRepository = this.dataSource.getRepository(Region);
    if (await regionRepository.existsBy({ code: Not(In(demoCodes)) })) return null;

    const created: string[] = [];
    for (const region of DEMO_REGIONS) {
      if (!(await regionRepository.existsBy({ code: region.code })))
        await this.regions.create(null, region);
    }
    const organisationIds = new Map<string, string>();
    for (const { key, ...organisation } of DEMO_ORGANISATIONS) {
      const existing = await this.dataSource
        .getRepository(Organisation)
        .findOneBy({ creditCode: organisation.creditCode });
      organisationIds.set(
        key,
        existing?.id ?? (await this.organisations.create(null, organisation)).id,
      );
    }
    for (const { organisationKey, ...user } of DEMO_USERS) {
      if (await this.dataSource.getRepository(User).existsBy({ username: user.username })) continue;
      await this.users.create(null, {
        ...user,
        password: DEMO_PASSWORD,
        ...(organisationKey ? { organisationId: organisationIds.get(organisationKey) } : {}),
      });
      created.push(user.username);
    }
    // The project and its contracts, played once through the services (see DemoStoryService).
    if (
      !(await this.dataSource
        .getRepository(Project)
        .existsBy({ districtCode: '341602', code: 'QC2014-SH' }))
    ) {
      await this.story.play();
    }
    // The same district under today's rules: a 2026 policy, the directory, two awards.
    if (
      !(await this.dataSource
        .getRepository(Project)
        .existsBy({ districtCode: '341602', code: 'QC2026-SH' }))
    ) {
      await this.currentRules.play();
    }
    return created.length > 0 ? { usernames: created, password: DEMO_PASSWORD } : null;
  }
}

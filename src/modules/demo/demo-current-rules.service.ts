import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { ActorLoader } from '../auth/actor.loader';
import type { Actor } from '../auth/actor';
import { ContractCommandsService } from '../contracts/contract-commands.service';
import { DirectoryService } from '../organisations/directory.service';
import { PoliciesService } from '../policies/policies.service';
import { ProjectsService } from '../projects/projects.service';
import { AwardsService } from '../tenders/awards.service';
import { BidsService } from '../tenders/bids.service';
import { TendersService } from '../tenders/tenders.service';
import { DEMO_REGIONS } from './demo-data';

const VILLAGES = DEMO_REGIONS.filter((region) => region.level === 'village');
const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', price: '65.00' },
  { code: 'straw_crushing', name: '秸秆粉碎还田', price: '22.00' },
];
const on = (date: string, hour = 12): Date =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

/**
 * The demo's second project, under today's rules: the district's 2026 policy (30% of the service
 * price, at most 100 yuan a mu, at most 100,000 yuan an organisation, providers from the
 * directory). 焦魁 and 桂芹 are listed in the directory and awarded; 丰收 is not listed, so it
 * could not bid. Next to the 2014 project (the awarded price is the subsidy) a new user sees
 * both rules side by side: `subsidyPerMuFen` 1950 against the unit price 6500.
 */
@Injectable()
export class DemoCurrentRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly actors: ActorLoader,
    private readonly policies: PoliciesService,
    private readonly directory: DirectoryService,
    private readonly projects: ProjectsService,
    private readonly tenders: TendersService,
    private readonly bids: BidsService,
    private readonly awards: AwardsService,
    private readonly commands: ContractCommandsService,
  ) {}

  async play(): Promise<void> {
    const at = <T>(date: string, work: () => Promise<T>, hour = 12): Promise<T> =>
      Clock.runAt(on(date, hour), work);
    const [admin, agri, jiaokui, guiqin] = await this.load(['admin', 'agri', 'jiaokui', 'guiqin']);
    await at('2026-01-05', () =>
      this.policies.create(admin, {
        code: 'QC-2026',
        name: '谯城区2026年农业生产社会化服务补助标准',
        districtCode: '341602',
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-12-31',
        subsidySharePct: 30,
        capPerMuYuan: 100,
        capPerOrganisationYuan: 100000,
        requireDirectoryListing: true,
      }),
    );
    const coops = [jiaokui, guiqin];
    for (const coop of coops) {
      await at('2026-01-10', () =>
        this.directory.addListing(agri, coop.organisationId as string, {
          listedOn: '2026-01-01',
          listedUntil: '2028-12-31',
        }),
      );
    }
    const project = await at('2026-04-20', () =>
      this.projects.create(agri, {
        code: 'QC2026-SH',
        name: '谯城区2026年小麦生产全程社会化服务项目',
        year: 2026,
        districtCode: '341602',
        villageCodes: VILLAGES.slice(0, 2).map((village) => village.code),
        tasks: TASKS.map((task) => ({
          code: task.code,
          name: task.name,
          plannedAreaMu: '9000.00',
        })),
        serviceStart: '2026-06-01',
        serviceEnd: '2026-10-31',
      }),
    );
    const lots = ['L1', 'L2'];
    const tender = await at('2026-05-10', () =>
      this.tenders.create(agri, project.id, {
        method: 'open',
        publishedIn: '《亳州晚报》',
        publishedOn: '2026-05-10',
        openingOn: '2026-05-20',
        lots: lots.map((code, index) => ({
          code,
          villageCodes: [VILLAGES[index].code],
          tasks: TASKS.map((task) => ({ taskCode: task.code, areaMu: '4500.00' })),
        })),
      }),
    );
    const bidIds: string[] = [];
    for (const [index, lotCode] of lots.entries()) {
      const bid = await at('2026-05-18', () =>
        this.bids.submit(coops[index], tender.id, {
          lotCode,
          prices: TASKS.map((task) => ({ taskCode: task.code, unitPriceYuan: task.price })),
        }),
      );
      bidIds.push(bid.id);
    }
    await at('2026-05-20', () => this.tenders.open(agri, tender.id), 10);
    for (const [index, lotCode] of lots.entries()) {
      const award = await at('2026-05-21', () =>
        this.awards.award(agri, tender.id, {
          lotCode,
          bidId: bidIds[index],
          workDeadline: '2026-10-31',
          awardedOn: '2026-05-21',
        }),
      );
      await at('2026-05-25', () =>
        this.commands.sign(
          agri,
          award.contractId,
          { contractNo: `谯农社服〔2026〕${index + 1}号`, signedOn: '2026-05-25' },
          undefined,
        ),
      );
    }
  }

  private async load(usernames: string[]): Promise<Actor[]> {
    const users = await this.dataSource.query<{ id: string; username: string; role: string }[]>(
      'SELECT id, username, role FROM app_user',
    );
    // One after the other: the seed runs in one transaction, on one connection, and pg refuses
    // (DeprecationWarning, an error in pg 9) a query sent while the client runs another.
    const actors: Actor[] = [];
    for (const username of usernames) {
      const user =
        username === 'admin'
          ? users.find((candidate) => candidate.role === 'admin')
          : users.find((candidate) => candidate.username === username);
      const actor = user ? await this.actors.load(user.id) : null;
      if (!actor) throw new Error(`Demo user ${username} is missing`);
      actors.push(actor);
    }
    return actors;
  }
}

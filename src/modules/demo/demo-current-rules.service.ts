import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import { ActorLoader } from '../auth/actor.loader';
import type { Actor } from '../auth/actor';
import { ContractCommandsService } from '../contracts/contract-commands.service';
import { DirectoryService } from '../organisations/directory.service';
import { PoliciesService } from '../policies/policies.service';
import { ProjectsService } from '../projects/projects.service';
import { AwardsService } from '../tenders/awards.service';
import { BidsService } from '../tenders/bids.service';
import { TendersService } from '../tenders/tenders.service';
import { AcceptanceService } from '../acceptance/acceptance.service';
import { AuditSampleService } from '../audits/audit-sample.service';
import { ContractsService } from '../contracts/contracts.service';
import { AttachmentsService } from '../field-work/attachments.service';
import { ClaimService } from '../field-work/claim.service';
import { RegisterImportService } from '../field-work/register-import.service';
import { NoticeSchedulerService } from '../notices/notice-scheduler.service';
import { VerificationService } from '../notices/verification.service';
import { DEMO_REGIONS, demoRegisterCsv } from './demo-data';

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
    private readonly contracts: ContractsService,
    private readonly imports: RegisterImportService,
    private readonly attachments: AttachmentsService,
    private readonly claims: ClaimService,
    private readonly verification: VerificationService,
    private readonly scheduler: NoticeSchedulerService,
    private readonly acceptance: AcceptanceService,
    private readonly samples: AuditSampleService,
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
        // The district audit visits 20 % of each village's rows (at least one); 2 % tolerance.
        auditSample: { ratePct: 20, minPerVillage: 1, tolerancePct: 2 },
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
    const contractIds: string[] = [];
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
      contractIds.push(award.contractId);
      await at('2026-05-25', () =>
        this.commands.sign(
          agri,
          award.contractId,
          { contractNo: `谯农社服〔2026〕${index + 1}号`, signedOn: '2026-05-25' },
          undefined,
        ),
      );
    }
    await this.auditBySample(contractIds[0], jiaokui, agri);
  }

  /**
   * 焦魁's contract to the district audit by sample: its register, claim, the village's
   * verification with its assessment, the notice, town acceptance; then the district draws the
   * sample and visits every sampled row. One household shows less than registered, beyond the
   * 2 % tolerance, so the wheat harvest's maximum audited area is cut in proportion. The audit
   * approvals are left to the reader (docs/walkthrough.md).
   */
  private async auditBySample(contractId: string, coop: Actor, agri: Actor): Promise<void> {
    const at = <T>(date: string, work: () => Promise<T>, hour = 12): Promise<T> =>
      Clock.runAt(on(date, hour), work);
    const [finance, verifier, ...acceptors] = await this.load([
      'finance',
      'wangge',
      'tech1',
      'leader',
      'farmer1',
      'station',
      'tech2',
    ]);
    const village = VILLAGES[0];
    const csv = demoRegisterCsv(village.name, 0, TASKS, 20).replaceAll(',2015-06-', ',2026-06-');
    await at('2026-06-15', () =>
      this.imports.import(
        coop,
        contractId,
        Buffer.from(csv, 'utf8'),
        `${village.name}落实到户清册.csv`,
      ),
    );
    for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan'] as const) {
      await at('2026-06-16', () =>
        this.attachments.upload(coop, contractId, kind, {
          buffer: Buffer.from(`%PDF-1.4\n% ${kind} (demo placeholder, 2026)\n`, 'utf8'),
          originalname: `${kind}.pdf`,
          mimetype: 'application/pdf',
        }),
      );
    }
    for (const task of TASKS) {
      await at('2026-06-20', () => this.claims.claim(coop, contractId, task.code));
      await at('2026-06-21', () =>
        this.verification.verify(verifier, contractId, task.code, village.code, {
          assessment: { quality: 'good', note: '作业及时，质量达标，农户满意' },
        }),
      );
    }
    await at('2026-06-29', () => this.scheduler.runDue(), 13);
    const contract = await this.contracts.get(agri, contractId);
    for (const line of contract.taskLines) {
      const record = await at('2026-07-01', () =>
        this.acceptance.open(acceptors[3], contractId, line.taskCode, {
          villages: line.villageParts.map((part) => ({
            villageCode: part.villageCode,
            acceptedAreaMu: part.verifiedAreaMu ?? '0',
          })),
        }),
      );
      for (const signer of acceptors) {
        await at(
          '2026-07-01',
          () => this.acceptance.sign(signer, record.id, { decision: 'pass' }),
          15,
        );
      }
    }
    const sample = await at('2026-07-06', () => this.samples.draw(agri, contractId), 9);
    const methods = ['household', 'field', 'phone'] as const;
    // The largest wheat-harvest row of the sample is found 20 % short: beyond the tolerance.
    const shortRow = sample.rows
      .filter((row) => row.taskCode === 'wheat_harvest')
      .reduce<(typeof sample.rows)[number] | undefined>(
        (largest, row) =>
          largest === undefined ||
          (toHundredths(row.verifiedAreaMu) as number) >
            (toHundredths(largest.verifiedAreaMu) as number)
            ? row
            : largest,
        undefined,
      );
    for (const [index, row] of sample.rows.entries()) {
      const short = row === shortRow;
      const verified = toHundredths(row.verifiedAreaMu) as number;
      const observed = short ? Math.floor((verified * 80) / 100) : verified;
      await at('2026-07-08', () =>
        this.samples.recordVisit(index % 2 === 0 ? agri : finance, sample.id, {
          rowId: row.rowId,
          visitedOn: '2026-07-08',
          method: short ? 'field' : methods[index % methods.length],
          householdConfirms: !short,
          observedAreaMu: formatMu(observed),
          satisfaction: short ? 'neutral' : 'satisfied',
          ...(short ? { note: '实地丈量：地头约两成未收割' } : {}),
        }),
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

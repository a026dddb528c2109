import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { AcceptanceService } from '../acceptance/acceptance.service';
import type { Actor } from '../auth/actor';
import { ActorLoader } from '../auth/actor.loader';
import { AuditsService } from '../audits/audits.service';
import { ContractCommandsService } from '../contracts/contract-commands.service';
import { ContractsService } from '../contracts/contracts.service';
import { AttachmentsService } from '../field-work/attachments.service';
import { ClaimService } from '../field-work/claim.service';
import { RegisterImportService } from '../field-work/register-import.service';
import { NoticeSchedulerService } from '../notices/notice-scheduler.service';
import { ObjectionsService } from '../notices/objections.service';
import { VerificationService } from '../notices/verification.service';
import { PayoutsService } from '../payouts/payouts.service';
import { ProjectsService } from '../projects/projects.service';
import { AwardsService } from '../tenders/awards.service';
import { BidsService } from '../tenders/bids.service';
import { TendersService } from '../tenders/tenders.service';
import { DEMO_ORGANISATIONS, DEMO_REGIONS, demoRegisterCsv } from './demo-data';

const TASKS = [
  { code: 'wheat_harvest', name: '小麦机收', price: '63.67' },
  { code: 'straw_crushing', name: '秸秆粉碎灭茬', price: '19.33' },
  { code: 'corn_seeding', name: '玉米播种', price: '24.33' },
];
const LOTS = ['L1', 'L2', 'L3'];
const VILLAGES = DEMO_REGIONS.filter((region) => region.level === 'village');

/** Noon in Asia/Shanghai on a 2015 date, as an instant. */
const on = (date: string, hour = 12): Date =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

/**
 * The Qiaocheng 2014 project, played through the same services as the API, on the dates of the
 * source report (Clock.runAt): the tender of 2015-05-25, the opening of 2015-05-30, three
 * contracts at 63.67 / 19.33 / 24.33 yuan per mu. 焦魁's contract is paid; 闫庄村's waits for
 * town acceptance; 邹李村's wheat harvest has a village notice running now.
 */
@Injectable()
export class DemoStoryService {
  private readonly logger = new Logger(DemoStoryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly actors: ActorLoader,
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
    private readonly objections: ObjectionsService,
    private readonly scheduler: NoticeSchedulerService,
    private readonly acceptance: AcceptanceService,
    private readonly audits: AuditsService,
    private readonly payouts: PayoutsService,
  ) {}

  async play(): Promise<void> {
    const as = await this.loadActors();
    const at = <T>(date: string, work: () => Promise<T>, hour = 12): Promise<T> =>
      Clock.runAt(on(date, hour), work);

    const project = await at('2015-05-20', () =>
      this.projects.create(as.agri, {
        code: 'QC2014-SH',
        name: '谯城区2014年小麦产业现代农业生产发展资金项目全程社会化服务',
        year: 2014,
        districtCode: '341602',
        villageCodes: VILLAGES.map((village) => village.code),
        tasks: TASKS.map((task) => ({
          code: task.code,
          name: task.name,
          plannedAreaMu: '25000.00',
        })),
        serviceStart: '2015-06-01',
        serviceEnd: '2015-09-30',
        budgetYuan: '2682500.00',
      }),
    );
    const tender = await at('2015-05-25', () =>
      this.tenders.create(as.agri, project.id, {
        method: 'invited',
        publishedIn: '《亳州晚报》',
        publishedOn: '2015-05-25',
        openingOn: '2015-05-30',
        invitedOrganisationIds: as.coops.map((coop) => coop.organisationId as string),
        lots: LOTS.map((code, index) => ({
          code,
          villageCodes: [VILLAGES[index].code],
          tasks: TASKS.map((task) => ({
            taskCode: task.code,
            areaMu: ['8000.00', '8500.00', '8500.00'][index],
          })),
        })),
      }),
    );
    const bidIds: string[] = [];
    for (const [index, lotCode] of LOTS.entries()) {
      const bid = await at('2015-05-28', () =>
        this.bids.submit(as.coops[index], tender.id, {
          lotCode,
          prices: TASKS.map((task) => ({ taskCode: task.code, unitPriceYuan: task.price })),
        }),
      );
      bidIds.push(bid.id);
    }
    await at('2015-05-30', () => this.tenders.open(as.agri, tender.id), 10);
    const contractIds: string[] = [];
    for (const [index, lotCode] of LOTS.entries()) {
      const award = await at('2015-05-31', () =>
        this.awards.award(as.agri, tender.id, {
          lotCode,
          bidId: bidIds[index],
          workDeadline: '2015-06-30',
          awardedOn: '2015-05-31',
        }),
      );
      contractIds.push(award.contractId);
    }

    // Work, claims and village verification for all three, in June 2015.
    for (const [index, contractId] of contractIds.entries()) {
      const coop = as.coops[index];
      await at('2015-06-01', () =>
        this.commands.sign(
          as.agri,
          contractId,
          { contractNo: `谯农社服〔2015〕${index + 1}号`, signedOn: '2015-06-01' },
          undefined,
        ),
      );
      const csv = demoRegisterCsv(VILLAGES[index].name, index, TASKS, 30);
      await at('2015-06-15', () =>
        this.imports.import(
          coop,
          contractId,
          Buffer.from(csv, 'utf8'),
          `${VILLAGES[index].name}落实到户清册.csv`,
        ),
      );
      for (const kind of ['legal_person_certificate', 'contract_scan', 'register_scan'] as const) {
        const paper = Buffer.from(
          `%PDF-1.4\n% ${kind} of ${DEMO_ORGANISATIONS[index].name} (demo placeholder)\n`,
          'utf8',
        );
        await at('2015-06-16', () =>
          this.attachments.upload(coop, contractId, kind, {
            buffer: paper,
            originalname: `${kind}.pdf`,
            mimetype: 'application/pdf',
          }),
        );
      }
      const claimed = index === 1 ? TASKS.slice(0, 1) : TASKS;
      for (const task of claimed)
        await at('2015-06-16', () => this.claims.claim(coop, contractId, task.code));
    }
    for (const index of [0, 2]) {
      for (const task of TASKS) {
        await at('2015-06-17', () =>
          this.verification.verify(
            as.verifiers[index],
            contractIds[index],
            task.code,
            VILLAGES[index].code,
            {},
          ),
        );
      }
    }
    // One objection on 王各村's wheat-harvest notice, checked and dismissed.
    const wheat = (await this.contracts.get(as.agri, contractIds[0])).taskLines.find(
      (line) => line.taskCode === 'wheat_harvest',
    );
    const noticeId = wheat?.villageParts[0]?.noticeId as string;
    const objection = await at('2015-06-19', () =>
      this.objections.fileObjection(noticeId, {
        name: '王大爷',
        phone: '13805580123',
        text: '我家3-017号地块的面积好像多算了',
      }),
    );
    await at('2015-06-20', () =>
      this.objections.resolveObjection(as.verifiers[0], objection.id, {
        outcome: 'dismissed',
        note: '经村核实小组实地复量，面积无误',
      }),
    );
    await at('2015-06-24', () => this.scheduler.runDue(), 13);

    // 焦魁: town acceptance, district audit, media notice, payout.
    const contract = await this.contracts.get(as.agri, contractIds[0]);
    for (const line of contract.taskLines) {
      const record = await at('2015-06-26', () =>
        this.acceptance.open(as.acceptors[3], contractIds[0], line.taskCode, {
          villages: line.villageParts.map((part) => ({
            villageCode: part.villageCode,
            acceptedAreaMu: part.verifiedAreaMu ?? '0',
          })),
        }),
      );
      for (const signer of as.acceptors.slice(0, 5)) {
        await at(
          '2015-06-26',
          () => this.acceptance.sign(signer, record.id, { decision: 'pass' }),
          15,
        );
      }
    }
    await at('2015-07-10', () => this.audits.approve(as.agri, contractIds[0], {}));
    await at('2015-07-12', () => this.audits.approve(as.finance, contractIds[0], {}));
    await at('2015-07-20', () =>
      this.audits.openMediaNotice(as.agri, contractIds[0], {
        mediaName: '《亳州晚报》',
        publishedOn: '2015-07-20',
      }),
    );
    await at('2015-07-27', () => this.scheduler.runDue(), 13);
    const payout = await at('2015-07-28', () =>
      this.payouts.issue(as.finance2, contractIds[0], 'demo-2015-payout-1', {}),
    );
    await at('2015-07-29', () =>
      this.payouts.confirm(as.finance2, payout.body.id, { bankReference: 'NX2015072900017' }),
    );

    // 邹李村: the village verifies its wheat harvest today: a notice is running now.
    await this.verification.verify(
      as.verifiers[1],
      contractIds[1],
      'wheat_harvest',
      VILLAGES[1].code,
      {},
    );
    this.logger.log(
      `Demo contracts: ${contractIds.join(', ')} (paid, village notice running, waiting for town acceptance)`,
    );
  }

  private async loadActors(): Promise<{
    agri: Actor;
    finance: Actor;
    finance2: Actor;
    coops: Actor[];
    verifiers: Actor[];
    acceptors: Actor[];
  }> {
    const users = await this.dataSource.query<{ id: string; username: string }[]>(
      'SELECT id, username FROM app_user',
    );
    const actor = async (username: string): Promise<Actor> => {
      const user = users.find((candidate) => candidate.username === username);
      const loaded = user ? await this.actors.load(user.id) : null;
      if (!loaded) throw new Error(`Demo user ${username} is missing`);
      return loaded;
    };
    return {
      agri: await actor('agri'),
      finance: await actor('finance'),
      finance2: await actor('finance2'),
      coops: [await actor('jiaokui'), await actor('guiqin'), await actor('fengshou')],
      verifiers: [await actor('wangge'), await actor('zouli'), await actor('yanzhuang')],
      acceptors: [
        await actor('tech1'),
        await actor('leader'),
        await actor('farmer1'),
        await actor('station'),
        await actor('tech2'),
        await actor('farmer2'),
      ],
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { canonicalJson } from '../../common/values/canonical-json';
import { formatHundredths, formatYuan, toHundredths } from '../../common/values/decimal-units';
import { amountFen } from '../../common/values/money';
import type { Page } from '../../common/http/page.dto';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { DirectoryService } from '../organisations/directory.service';
import { Organisation } from '../organisations/organisation.entity';
import { PoliciesService } from '../policies/policies.service';
import { Project } from '../projects/project.entity';
import type { BidDto, CreateBidDto, CreatedBidDto, ScoreBidDto } from './dto/bid.dto';
import { Bid, BidScore, type Lot, type Tender } from './tender.entity';
import { TendersService, assertTenderVisible } from './tenders.service';
import { tenderError } from './tenders.errors';
import { msg } from '../../common/i18n/message';

const page = <T>(items: T[]): Page<T> => ({ items, total: items.length });

/** Σ lot area × unit price over the lot's tasks, each rounded half up to fen. */
function bidTotalFen(lot: Lot, prices: Record<string, number>): number {
  return (lot.tasks ?? []).reduce(
    (sum, task) => sum + amountFen(task.area, prices[task.taskCode] ?? 0),
    0,
  );
}

@Injectable()
export class BidsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenders: TendersService,
    private readonly auditLog: AuditLogService,
    private readonly policies: PoliciesService,
    private readonly directory: DirectoryService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** A sealed bid; a second one by the same organisation on the same lot replaces the first. */
  async submit(actor: Actor, tenderId: string, dto: CreateBidDto): Promise<CreatedBidDto> {
    return this.dataSource.transaction(async (manager) => {
      // A shared lock: bids may arrive together, but never across the opening.
      const tender = await this.tenders.lock(manager, tenderId, 'pessimistic_read');
      assertTenderVisible(actor, tender);
      const organisationId = actor.organisationId as string;
      if (
        tender.method === 'invited' &&
        !(tender.invitations ?? []).some((i) => i.organisationId === organisationId)
      ) {
        throw tenderError('NOT_INVITED', msg('tender.notInvited'));
      }
      if (tender.state !== 'published') {
        throw tenderError(
          'BID_AFTER_OPENING',
          msg('tender.bidAfterOpening', { tenderId, openedAt: tender.openedAt?.toISOString() }),
        );
      }
      const lot = (tender.lots ?? []).find((candidate) => candidate.code === dto.lotCode);
      if (!lot)
        throw tenderError(
          'UNKNOWN_LOT',
          msg('tender.unknownLot', { tenderId, lotCode: dto.lotCode }),
          'lotCode',
        );

      const lotTasks = new Set((lot.tasks ?? []).map((task) => task.taskCode));
      const prices: Record<string, number> = {};
      for (const price of dto.prices) {
        if (!lotTasks.has(price.taskCode) || price.taskCode in prices) {
          throw tenderError(
            'TASK_NOT_IN_LOT',
            lotTasks.has(price.taskCode)
              ? msg('tender.taskPricedTwice', { taskCode: price.taskCode })
              : msg('tender.taskNotInLot', { taskCode: price.taskCode, lotCode: lot.code }),
            'prices',
          );
        }
        prices[price.taskCode] = toHundredths(price.unitPriceYuan) as number;
      }
      const missing = [...lotTasks].filter((task) => !(task in prices));
      if (missing.length > 0) {
        throw tenderError(
          'BID_PRICES_INCOMPLETE',
          msg('tender.pricesIncomplete', { lotCode: lot.code, tasks: missing.join(', ') }),
          'prices',
        );
      }

      // Only an organisation eligible on the opening day bids (blacklist; the directory where the
      // policy of the project requires it).
      const project = await manager.findOneByOrFail(Project, { id: tender.projectId });
      const policy = await this.policies.inForce(
        manager,
        project.districtCode,
        project.serviceStart,
      );
      await this.directory.assertEligible(manager, organisationId, tender.openingOn, policy);

      const rows = await manager.query<{ id: string; replaced: boolean }[]>(
        `INSERT INTO bid (tender_id, lot_id, organisation_id, prices, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT ON CONSTRAINT bid_lot_id_organisation_id_key
         DO UPDATE SET prices = EXCLUDED.prices, updated_at = EXCLUDED.updated_at
         RETURNING id, (xmax <> 0) AS replaced`,
        [tenderId, lot.id, organisationId, JSON.stringify(prices), this.clock.now()],
      );
      const { id, replaced } = rows[0];
      // The log keeps a digest of the prices: the bid stays sealed to anyone reading the log.
      await this.auditLog.record(manager, {
        chain: districtChain(tender.districtCode),
        actor,
        action: replaced ? 'bid.replaced' : 'bid.submitted',
        entityType: 'bid',
        entityId: id,
        data: {
          tenderId,
          lotCode: lot.code,
          organisationId,
          pricesSha256: createHash('sha256').update(canonicalJson(prices)).digest('hex'),
        },
      });
      return { id, replaced };
    });
  }

  /** Cooperatives see their own bids; officials see all of them once the tender is opened. */
  async list(actor: Actor, tenderId: string): Promise<Page<BidDto>> {
    const tender = await this.tenders.load(this.dataSource.manager, tenderId);
    assertTenderVisible(actor, tender);
    if (actor.role === 'cooperative') {
      return page(
        await this.ranked(this.dataSource.manager, tender, actor.organisationId as string),
      );
    }
    if (tender.state === 'published') {
      const count = await this.dataSource.getRepository(Bid).countBy({ tenderId });
      throw tenderError(
        'BIDS_SEALED',
        msg('tender.bidsSealed', { count, openingOn: tender.openingOn }),
      );
    }
    return page(await this.ranked(this.dataSource.manager, tender));
  }

  async score(actor: Actor, tenderId: string, dto: ScoreBidDto): Promise<{ id: string }> {
    const score = toHundredths(dto.score) as number;
    return this.dataSource.transaction(async (manager) => {
      const tender = await this.tenders.lock(manager, tenderId, 'pessimistic_read');
      assertInScope(actor, { districtCodes: [tender.districtCode] }, 'Tender', tenderId);
      if (tender.state !== 'opened')
        throw tenderError('TENDER_NOT_OPENED', msg('tender.scoreBeforeOpening'));
      const bid = await manager.findOneBy(Bid, { id: dto.bidId, tenderId });
      if (!bid)
        throw tenderError(
          'UNKNOWN_BID',
          msg('tender.unknownBid', { tenderId, bidId: dto.bidId }),
          'bidId',
        );
      if (await manager.existsBy(BidScore, { bidId: bid.id, expert: dto.expert })) {
        throw tenderError(
          'SCORE_EXISTS',
          msg('tender.scoreExists', { expert: dto.expert, bidId: bid.id }),
        );
      }
      const row = manager.create(BidScore, {
        bidId: bid.id,
        expert: dto.expert,
        score,
        note: dto.note ?? null,
        recordedBy: actor.id,
      });
      await manager.save(row);
      await this.auditLog.record(manager, {
        chain: districtChain(tender.districtCode),
        actor,
        action: 'bid.scored',
        entityType: 'bid',
        entityId: bid.id,
        data: {
          tenderId,
          expert: dto.expert,
          score: formatHundredths(score),
          note: dto.note ?? null,
        },
      });
      return { id: row.id };
    });
  }

  /** Bids with prices, totals and scores; per lot ranked by average score (high first), then total price. */
  async ranked(manager: EntityManager, tender: Tender, organisationId?: string): Promise<BidDto[]> {
    const bids = await manager.find(Bid, {
      where: organisationId ? { tenderId: tender.id, organisationId } : { tenderId: tender.id },
    });
    if (bids.length === 0) return [];
    const [organisations, scores] = await Promise.all([
      manager.findBy(Organisation, { id: In([...new Set(bids.map((bid) => bid.organisationId))]) }),
      manager.find(BidScore, {
        where: { bidId: In(bids.map((bid) => bid.id)) },
        order: { createdAt: 'ASC' },
      }),
    ]);
    const lots = new Map((tender.lots ?? []).map((lot) => [lot.id, lot]));
    const rows = bids.map((bid) => {
      const lot = lots.get(bid.lotId) as Lot;
      const own = scores.filter((score) => score.bidId === bid.id);
      const average = own.length
        ? Math.round(own.reduce((sum, s) => sum + s.score, 0) / own.length)
        : null;
      const totalFen = bidTotalFen(lot, bid.prices);
      return { bid, lot, own, average, totalFen };
    });
    rows.sort(
      (a, b) =>
        a.lot.code.localeCompare(b.lot.code) ||
        (b.average ?? -1) - (a.average ?? -1) ||
        a.totalFen - b.totalFen ||
        a.bid.submittedAt.getTime() - b.bid.submittedAt.getTime(),
    );
    const rankInLot = new Map<string, number>();
    return rows.map(({ bid, lot, own, average, totalFen }) => {
      const rank = (rankInLot.get(lot.id) ?? 0) + 1;
      rankInLot.set(lot.id, rank);
      return {
        id: bid.id,
        lotCode: lot.code,
        organisationId: bid.organisationId,
        organisationName: organisations.find((o) => o.id === bid.organisationId)?.name ?? '',
        prices: Object.entries(bid.prices)
          .map(([taskCode, fen]) => ({
            taskCode,
            unitPriceFen: fen,
            unitPriceYuan: formatYuan(fen),
          }))
          .sort((a, b) => a.taskCode.localeCompare(b.taskCode)),
        totalFen,
        totalYuan: formatYuan(totalFen),
        scores: own.map((score) => ({
          expert: score.expert,
          score: formatHundredths(score.score),
          note: score.note,
        })),
        averageScore: average === null ? null : formatHundredths(average),
        rank,
        submittedAt: bid.submittedAt.toISOString(),
      };
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { notFound } from '../../common/errors/domain-error';
import type { Page, PageQueryDto } from '../../common/http/page.dto';
import { formatMu, toHundredths } from '../../common/values/decimal-units';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { Organisation } from '../organisations/organisation.entity';
import { projectError } from '../projects/projects.errors';
import { ProjectsService } from '../projects/projects.service';
import type { CreateTenderDto, TenderDto } from './dto/tender.dto';
import { Award, Bid, Lot, LotTask, Tender, TenderEvent, TenderInvitation } from './tender.entity';
import { tenderError } from './tenders.errors';
import { msg, type Message } from '../../common/i18n/message';

/** Tenders are published in a newspaper: every cooperative may read them; officials of the district too. */
export function assertTenderVisible(actor: Actor, tender: Tender): void {
  if (actor.role === 'cooperative' || actor.role === 'admin') return;
  assertInScope(actor, { districtCodes: [tender.districtCode] }, 'Tender', tender.id);
}

@Injectable()
export class TendersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, projectId: string, dto: CreateTenderDto): Promise<TenderDto> {
    if (dto.openingOn < dto.publishedOn) {
      throw tenderError('TENDER_DATES_INVALID', msg('tender.openingBeforePublished'), 'openingOn');
    }
    const invited = dto.invitedOrganisationIds ?? [];
    if (dto.method === 'invited' && invited.length === 0) {
      throw tenderError(
        'INVITATION_INVALID',
        msg('tender.invitedNeedsOrganisations'),
        'invitedOrganisationIds',
      );
    }
    if (dto.method === 'open' && invited.length > 0) {
      throw tenderError(
        'INVITATION_INVALID',
        msg('tender.openInvitesNobody'),
        'invitedOrganisationIds',
      );
    }
    const lotCodes = dto.lots.map((lot) => lot.code);
    const duplicateLot = lotCodes.find((code, index) => lotCodes.indexOf(code) !== index);
    if (duplicateLot)
      throw tenderError(
        'DUPLICATE_LOT_CODE',
        msg('tender.duplicateLot', { lotCode: duplicateLot }),
        'lots',
      );

    return this.dataSource.transaction(async (manager) => {
      const project = await this.projects.load(manager, projectId);
      assertInScope(actor, { districtCodes: [project.districtCode] }, 'Project', projectId);

      const projectVillages = new Set(
        (project.villages ?? []).map((village) => village.villageCode),
      );
      const plannedArea = new Map(
        (project.tasks ?? []).map((task) => [task.code, task.plannedArea]),
      );
      const lotArea = new Map<string, number>();
      for (const [index, lot] of dto.lots.entries()) {
        const outside = lot.villageCodes.filter((code) => !projectVillages.has(code));
        if (outside.length > 0) {
          throw projectError(
            'UNKNOWN_VILLAGE',
            msg('tender.lotVillagesOutside', { lotCode: lot.code, villages: outside.join(', ') }),
            `lots[${index}].villageCodes`,
          );
        }
        const seen = new Set<string>();
        for (const task of lot.tasks) {
          if (!plannedArea.has(task.taskCode)) {
            this.fail(
              'TASK_NOT_IN_LOT',
              `lots[${index}].tasks`,
              msg('tender.lotTaskNotInProject', { lotCode: lot.code, taskCode: task.taskCode }),
            );
          }
          if (seen.has(task.taskCode)) {
            this.fail(
              'TASK_NOT_IN_LOT',
              `lots[${index}].tasks`,
              msg('tender.lotTaskTwice', { lotCode: lot.code, taskCode: task.taskCode }),
            );
          }
          seen.add(task.taskCode);
          lotArea.set(
            task.taskCode,
            (lotArea.get(task.taskCode) ?? 0) + (toHundredths(task.areaMu) as number),
          );
        }
      }
      for (const [taskCode, area] of lotArea) {
        const planned = plannedArea.get(taskCode) as number;
        if (area > planned) {
          throw tenderError(
            'LOT_AREA_EXCEEDS_PLAN',
            msg('tender.lotAreaExceedsPlan', {
              taskCode,
              area: formatMu(area),
              planned: formatMu(planned),
            }),
            'lots',
          );
        }
      }
      if (invited.length > 0) {
        const found = await manager.countBy(Organisation, { id: In(invited) });
        if (found !== invited.length) {
          throw tenderError(
            'INVITATION_INVALID',
            msg('tender.invitedUnknown'),
            'invitedOrganisationIds',
          );
        }
      }

      const tender = manager.create(Tender, {
        projectId,
        districtCode: project.districtCode,
        method: dto.method,
        publishedIn: dto.publishedIn,
        publishedOn: dto.publishedOn,
        openingOn: dto.openingOn,
        state: 'published',
        openedAt: null,
        invitations: invited.map((organisationId) =>
          manager.create(TenderInvitation, { organisationId }),
        ),
        lots: dto.lots.map((lot) =>
          manager.create(Lot, {
            code: lot.code,
            villageCodes: [...lot.villageCodes].sort(),
            tasks: lot.tasks.map((task) =>
              manager.create(LotTask, {
                taskCode: task.taskCode,
                area: toHundredths(task.areaMu) as number,
              }),
            ),
          }),
        ),
      });
      tender.id = randomUUID();
      const { invitations, lots, ...row } = tender;
      await manager.insert(Tender, row);
      if (invitations?.length) {
        await manager.insert(
          TenderInvitation,
          invitations.map((invitation) => ({ ...invitation, tenderId: tender.id })),
        );
      }
      for (const lot of lots ?? []) {
        lot.id = randomUUID();
        lot.tenderId = tender.id;
        const { tasks, ...lotRow } = lot;
        await manager.insert(Lot, lotRow);
        await manager.insert(
          LotTask,
          (tasks ?? []).map((task) => ({ ...task, lotId: lot.id })),
        );
      }
      await this.recordEvent(manager, actor, tender, 'tender.published', {
        method: dto.method,
        publishedIn: dto.publishedIn,
        publishedOn: dto.publishedOn,
        openingOn: dto.openingOn,
        lots: lotCodes,
        invitedOrganisationIds: invited,
      });
      return this.toDto(manager, actor, tender);
    });
  }

  async get(actor: Actor, id: string): Promise<TenderDto> {
    const tender = await this.load(this.dataSource.manager, id);
    assertTenderVisible(actor, tender);
    return this.toDto(this.dataSource.manager, actor, tender);
  }

  async listForProject(
    actor: Actor,
    projectId: string,
    query: PageQueryDto,
  ): Promise<Page<TenderDto>> {
    const project = await this.projects.load(this.dataSource.manager, projectId);
    if (actor.role !== 'cooperative')
      assertInScope(actor, { districtCodes: [project.districtCode] }, 'Project', projectId);
    const [rows, total] = await this.dataSource.getRepository(Tender).findAndCount({
      where: { projectId },
      relations: { lots: { tasks: true }, invitations: true },
      order: { publishedOn: 'DESC', createdAt: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    const items = [];
    for (const tender of rows) items.push(await this.toDto(this.dataSource.manager, actor, tender));
    return { items, total };
  }

  /** Opening in public (开标): on or after the opening date by the app's clock; once. */
  async open(actor: Actor, id: string): Promise<Tender> {
    return this.dataSource.transaction(async (manager) => {
      const tender = await this.lock(manager, id);
      assertInScope(actor, { districtCodes: [tender.districtCode] }, 'Tender', id);
      if (tender.state === 'opened')
        throw tenderError(
          'TENDER_ALREADY_OPENED',
          msg('tender.alreadyOpened', { tenderId: id, openedAt: tender.openedAt?.toISOString() }),
        );
      const today = shanghaiDate(this.clock.now());
      if (today < tender.openingOn) {
        throw tenderError(
          'TENDER_NOT_DUE',
          msg('tender.notDue', { tenderId: id, openingOn: tender.openingOn, today }),
        );
      }
      tender.state = 'opened';
      tender.openedAt = this.clock.now();
      await manager.update(Tender, { id }, { state: 'opened', openedAt: tender.openedAt });
      const bids = await manager.countBy(Bid, { tenderId: id });
      await this.recordEvent(manager, actor, tender, 'tender.opened', { bids });
      return tender;
    });
  }

  /** The tender with its lots, or NOT_FOUND. */
  async load(manager: EntityManager, id: string): Promise<Tender> {
    const tender = await manager.findOne(Tender, {
      where: { id },
      relations: { lots: { tasks: true }, invitations: true },
    });
    if (!tender) throw notFound('Tender', id);
    return tender;
  }

  /** Takes the tender's row lock first (opening and awards serialise on it), then loads it. */
  async lock(
    manager: EntityManager,
    id: string,
    mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write',
  ): Promise<Tender> {
    const row = await manager.findOne(Tender, { where: { id }, lock: { mode } });
    if (!row) throw notFound('Tender', id);
    return this.load(manager, id);
  }

  async recordEvent(
    manager: EntityManager,
    actor: Actor,
    tender: Pick<Tender, 'id' | 'districtCode'>,
    event: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const tenderId = tender.id;
    await manager.save(
      manager.create(TenderEvent, {
        tenderId,
        at: this.clock.now(),
        actorId: actor.id,
        actorUsername: actor.username,
        event,
        payload,
      }),
    );
    await this.auditLog.record(manager, {
      chain: districtChain(tender.districtCode),
      actor,
      action: event,
      entityType: 'tender',
      entityId: tenderId,
      data: payload,
    });
  }

  async history(actor: Actor, id: string): Promise<TenderEvent[]> {
    const tender = await this.load(this.dataSource.manager, id);
    assertTenderVisible(actor, tender);
    return this.dataSource
      .getRepository(TenderEvent)
      .find({ where: { tenderId: id }, order: { id: 'ASC' } });
  }

  private fail(code: 'TASK_NOT_IN_LOT', field: string, message: Message): never {
    throw tenderError(code, message, field);
  }

  private async toDto(manager: EntityManager, actor: Actor, tender: Tender): Promise<TenderDto> {
    const lots = tender.lots ?? [];
    const lotIds = lots.map((lot) => lot.id);
    const counts = lotIds.length
      ? await manager
          .createQueryBuilder(Bid, 'b')
          .select('b.lot_id', 'lotId')
          .addSelect('count(*)::int', 'n')
          .where('b.lot_id IN (:...lotIds)', { lotIds })
          .groupBy('b.lot_id')
          .getRawMany<{ lotId: string; n: number }>()
      : [];
    const awards = lotIds.length
      ? await manager.find(Award, { where: { lotId: In(lotIds) }, relations: { bid: true } })
      : [];
    return {
      id: tender.id,
      projectId: tender.projectId,
      method: tender.method,
      publishedIn: tender.publishedIn,
      publishedOn: tender.publishedOn,
      openingOn: tender.openingOn,
      state: tender.state,
      openedAt: tender.openedAt?.toISOString() ?? null,
      invitedOrganisationIds: (tender.invitations ?? [])
        .map((invitation) => invitation.organisationId)
        .sort(),
      lots: [...lots]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((lot) => {
          const award = awards.find((candidate) => candidate.lotId === lot.id);
          return {
            code: lot.code,
            villageCodes: lot.villageCodes,
            tasks: (lot.tasks ?? [])
              .map((task) => ({ taskCode: task.taskCode, areaMu: formatMu(task.area) }))
              .sort((a, b) => a.taskCode.localeCompare(b.taskCode)),
            // How many competitors bid is for officials; a bidder learns it at the opening.
            bidCount:
              actor.role === 'cooperative' && tender.state === 'published'
                ? null
                : (counts.find((count) => count.lotId === lot.id)?.n ?? 0),
            award: award
              ? {
                  contractId: award.contractId,
                  bidId: award.bidId,
                  organisationId: award.bid?.organisationId as string,
                  awardedOn: award.awardedOn,
                }
              : null,
          };
        }),
    };
  }
}

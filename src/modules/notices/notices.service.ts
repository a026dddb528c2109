import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import type { Page, PageQueryDto } from '../../common/http/page.dto';
import { formatMu } from '../../common/values/decimal-units';
import type { Statement } from '../../database/statement';
import type { Actor } from '../auth/actor';
import { forbidden } from '../auth/auth.errors';
import { assertInScope } from '../auth/scope-policy';
import type { Contract } from '../contracts/contract.entity';
import { contractScope } from '../contracts/contract-scope';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { contractTakesObjection } from '../contracts/machine/contract.machine';
import { disclose } from '../auth/disclosure-policy';
import { RegisterRow } from '../field-work/register-row.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import type {
  CreateObjectionDto,
  ListObjectionsQuery,
  ObjectionDto,
  ObjectionResolvedDto,
  PublicNoticeDetailDto,
  PublicNoticeDto,
  ResolveObjectionDto,
} from './dto/notice.dto';
import { Notice, Objection, type NoticeKind, type NoticeStatus } from './notice.entity';
import { noticeError } from './notices.errors';

/** 7 × 24 h (domain.md, "Time"). */
export const NOTICE_PERIOD_MS = 7 * 24 * 3600 * 1000;

const CLOSED_AS: Record<NoticeStatus, string> = {
  running: 'closed',
  cleared: 'cleared',
  superseded: 'was withdrawn',
  terminated: 'was closed when its contract was terminated',
};

@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Creates a running notice and its durable timer, inside the caller's transaction. */
  /**
   * A new notice and its timer, as writes for the save of the transition that opens it (the
   * command hands them to `write`): they happen only if the machine accepts the event, in the
   * same statement. The id is chosen here so that the event can name the notice.
   */
  planNotice(
    contract: Contract,
    opening: {
      kind: NoticeKind;
      at: Date;
      title: string;
      taskCode?: string;
      villageCode?: string;
      mediaName?: string;
      publishedOn?: string;
    },
  ): { id: string; endsAt: Date; writes: Statement[] } {
    const id = randomUUID();
    const endsAt = new Date(opening.at.getTime() + NOTICE_PERIOD_MS);
    return {
      id,
      endsAt,
      writes: [
        {
          sql: `INSERT INTO notice (id, kind, contract_id, task_code, village_code, district_code, title, media_name, published_on, opened_at, ends_at, state, closed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'running', NULL)`,
          params: [
            id,
            opening.kind,
            contract.id,
            opening.taskCode ?? null,
            opening.villageCode ?? null,
            contract.districtCode,
            opening.title,
            opening.mediaName ?? null,
            opening.publishedOn ?? null,
            opening.at,
            endsAt,
          ],
        },
        {
          sql: `INSERT INTO timer (kind, contract_id, notice_id, due_at) VALUES ('notice.elapsed', $1, $2, $3)`,
          params: [contract.id, id, endsAt],
        },
      ],
    };
  }

  /** Open notices, for anyone: running ones, including those kept open by an objection. */
  async listPublic(query: PageQueryDto): Promise<Page<PublicNoticeDto>> {
    const [rows, total] = await this.dataSource.getRepository(Notice).findAndCount({
      where: { state: 'running' },
      order: { openedAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: await this.toPublic(rows), total };
  }

  async getPublic(id: string): Promise<PublicNoticeDetailDto> {
    const notice = await this.dataSource.getRepository(Notice).findOneBy({ id });
    if (!notice) throw notFound('Notice', id);
    const [summary] = await this.toPublic([notice]);
    const rows =
      notice.kind === 'village'
        ? await this.dataSource.getRepository(RegisterRow).find({
            where: {
              contractId: notice.contractId,
              taskCode: notice.taskCode as string,
              villageCode: notice.villageCode as string,
              state: In(['claimed', 'working']),
            },
            order: { rowNo: 'ASC' },
            take: 5000,
          })
        : [];
    return {
      ...summary,
      mediaName: notice.mediaName,
      rows: rows.map((row) => ({
        id: row.id,
        householdName: row.householdName,
        householdIdNo: disclose(null, 'residentId', row.householdIdNo),
        plotCode: row.plotCode,
        areaMu: formatMu(row.area),
        verifiedAreaMu: row.verifiedArea === null ? null : formatMu(row.verifiedArea),
      })),
      howToObject: {
        request: `POST /public/notices/${notice.id}/objections`,
        fields: ['name', 'phone', 'text', 'registerRowId (optional)'],
        until: `${notice.endsAt.toISOString()}, and after it while any objection is open`,
      },
    };
  }

  /** Anyone may object while the notice has not cleared; the objection keeps it open until resolved. */
  async fileObjection(noticeId: string, dto: CreateObjectionDto): Promise<{ id: string }> {
    const objectionId = randomUUID();
    await this.workflow.execute({
      noticeId,
      actor: null,
      actorLabel: 'public',
      // A public endpoint that villagers may hit at once: no row lock unless two collide.
      optimistic: true,
      prepare: async ({ manager, current, now, write }) => {
        // The contract's snapshot is the notice's state: only the workflow moves it, and the save
        // applies only if the contract has not moved since this read (or runs under its lock).
        if (!contractTakesObjection(current, noticeId)) {
          const row = await manager.findOneByOrFail(Notice, { id: noticeId });
          throw noticeError(
            'NOTICE_CLOSED',
            `This notice ${CLOSED_AS[row.state]} at ${row.closedAt?.toISOString() ?? 'its end'}; it takes no more objections`,
          );
        }
        if (dto.registerRowId && !(await this.rowBelongs(manager, noticeId, dto.registerRowId))) {
          throw noticeError(
            'UNKNOWN_REGISTER_ROW',
            `Register row ${dto.registerRowId} is not on this notice`,
            {
              errors: [{ field: 'registerRowId', message: 'not a row of this notice' }],
            },
          );
        }
        write({
          sql: `INSERT INTO objection (id, notice_id, name, phone, text, register_row_id, state, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)`,
          params: [
            objectionId,
            noticeId,
            dto.name,
            dto.phone,
            dto.text,
            dto.registerRowId ?? null,
            now,
          ],
        });
        return { type: 'objection.filed', noticeId, objectionId };
      },
    });
    return { id: objectionId };
  }

  /** A register row objected to must be one the notice shows (for a media notice: the contract's). */
  private async rowBelongs(
    manager: EntityManager,
    noticeId: string,
    rowId: string,
  ): Promise<boolean> {
    const notice = await manager.findOneByOrFail(Notice, { id: noticeId });
    return manager.existsBy(RegisterRow, {
      id: rowId,
      contractId: notice.contractId,
      ...(notice.kind === 'village'
        ? { taskCode: notice.taskCode as string, villageCode: notice.villageCode as string }
        : {}),
    });
  }

  /**
   * The objections someone may act on or oversee: a village verifier those to the village
   * notices of the village, the district's agriculture committee and observers those of the
   * district, the administrator all. The objector's phone number is in full only for those who
   * resolve objections (to call back); masked for the others. Newest first.
   */
  async listObjections(actor: Actor, query: ListObjectionsQuery): Promise<Page<ObjectionDto>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    switch (actor.role) {
      case 'admin':
        break;
      case 'village_verifier':
        where.push(`n.kind = 'village'`);
        add('n.village_code = ?', actor.villageCode);
        break;
      case 'district_agri':
      case 'observer':
        add('n.district_code = ?', actor.districtCode);
        break;
      case 'cooperative':
      case 'district_finance':
      case 'town_acceptor':
        // The route's @Roles already refuses them: objectors' names are not for the cooperative.
        throw forbidden('Objections are listed for village verifiers and district officials');
    }
    if (query.noticeId) add('o.notice_id = ?', query.noticeId);
    if (query.contractId) add('n.contract_id = ?', query.contractId);
    if (query.state) add('o.state = ?', query.state);
    const from = `FROM objection o JOIN notice n ON n.id = o.notice_id ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const rows = await this.dataSource.query<
      {
        id: string;
        notice_id: string;
        kind: string;
        contract_id: string;
        task_code: string | null;
        village_code: string | null;
        name: string;
        phone: string;
        text: string;
        register_row_id: string | null;
        state: string;
        created_at: Date;
        resolution_note: string | null;
        resolved_at: Date | null;
      }[]
    >(
      `SELECT o.id, o.notice_id, n.kind, n.contract_id, n.task_code, n.village_code, o.name,
              o.phone, o.text, o.register_row_id, o.state, o.created_at, o.resolution_note,
              o.resolved_at
         ${from}
        ORDER BY o.created_at DESC, o.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        noticeId: row.notice_id,
        noticeKind: row.kind,
        contractId: row.contract_id,
        taskCode: row.task_code,
        villageCode: row.village_code,
        name: row.name,
        phone: disclose(actor, 'phone', row.phone),
        text: row.text,
        registerRowId: row.register_row_id,
        state: row.state,
        createdAt: row.created_at.toISOString(),
        resolutionNote: row.resolution_note,
        resolvedAt: row.resolved_at?.toISOString() ?? null,
      })),
      total,
    };
  }

  /** By the village verifier (village notice) or district agriculture (media notice); once. */
  async resolveObjection(
    actor: Actor,
    objectionId: string,
    dto: ResolveObjectionDto,
  ): Promise<ObjectionResolvedDto> {
    const objection = await this.dataSource
      .getRepository(Objection)
      .findOne({ where: { id: objectionId }, relations: { notice: true } });
    if (!objection?.notice) throw notFound('Objection', objectionId);
    const notice = objection.notice;
    await this.workflow.execute({
      contractId: notice.contractId,
      actor,
      prepare: async ({ manager, contract, now }) => {
        this.assertMayResolve(actor, contract, notice, objectionId);
        const current = await manager.findOneOrFail(Objection, {
          where: { id: objectionId },
          lock: { mode: 'pessimistic_write' },
        });
        if (current.state !== 'open') {
          throw noticeError(
            'OBJECTION_ALREADY_RESOLVED',
            `Objection ${objectionId} was ${current.state} at ${current.resolvedAt?.toISOString()}`,
          );
        }
        await manager.update(
          Objection,
          { id: objectionId },
          { state: dto.outcome, resolutionNote: dto.note, resolvedBy: actor.id, resolvedAt: now },
        );
        if (dto.outcome === 'upheld' && notice.kind === 'village') {
          // The village verifies these rows again.
          await manager.update(
            RegisterRow,
            {
              contractId: notice.contractId,
              taskCode: notice.taskCode as string,
              villageCode: notice.villageCode as string,
              state: 'claimed',
            },
            { verifiedArea: null },
          );
        }
        return {
          type: 'objection.resolved',
          noticeId: notice.id,
          objectionId,
          outcome: dto.outcome,
        };
      },
    });
    const after = await this.dataSource.getRepository(Notice).findOneByOrFail({ id: notice.id });
    return { id: objectionId, state: dto.outcome, noticeState: after.state };
  }

  private assertMayResolve(
    actor: Actor,
    contract: Contract,
    notice: Notice,
    objectionId: string,
  ): void {
    if (actor.role === 'admin') return;
    assertInScope(actor, contractScope(contract), 'Objection', objectionId);
    if (notice.kind === 'village') {
      if (actor.role !== 'village_verifier')
        throw forbidden('Objections to a village notice are resolved by its village verifier');
      if (actor.villageCode !== notice.villageCode) throw notFound('Objection', objectionId);
    } else if (actor.role !== 'district_agri') {
      throw forbidden(
        'Objections to a media notice are resolved by the district agriculture committee',
      );
    }
  }

  private async toPublic(notices: Notice[]): Promise<PublicNoticeDto[]> {
    if (notices.length === 0) return [];
    const contracts = await this.dataSource.query<{ id: string; organisation_id: string }[]>(
      'SELECT id, organisation_id FROM contract WHERE id = ANY($1)',
      [notices.map((notice) => notice.contractId)],
    );
    const organisations = await this.dataSource
      .getRepository(Organisation)
      .findBy({ id: In(contracts.map((contract) => contract.organisation_id)) });
    const counts = await this.dataSource.query<{ notice_id: string; n: number }[]>(
      `SELECT notice_id, count(*)::int AS n FROM objection WHERE state = 'open' AND notice_id = ANY($1) GROUP BY notice_id`,
      [notices.map((notice) => notice.id)],
    );
    return notices.map((notice) => {
      const organisationId = contracts.find(
        (contract) => contract.id === notice.contractId,
      )?.organisation_id;
      return {
        id: notice.id,
        kind: notice.kind,
        title: notice.title,
        state: notice.state,
        villageCode: notice.villageCode,
        taskCode: notice.taskCode,
        organisationName:
          organisations.find((organisation) => organisation.id === organisationId)?.name ?? '',
        openedAt: notice.openedAt.toISOString(),
        endsAt: notice.endsAt.toISOString(),
        openObjections: counts.find((count) => count.notice_id === notice.id)?.n ?? 0,
      };
    });
  }

  /** The name of a village, for notice titles. */
  async villageName(manager: EntityManager, code: string): Promise<string> {
    return (await manager.findOneBy(Region, { code }))?.name ?? code;
  }

  now(): Date {
    return this.clock.now();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import type { Page, PageQueryDto } from '../../common/http/page.dto';
import { formatMu } from '../../common/values/decimal-units';
import type { Statement } from '../../database/statement';
import type { Contract } from '../contracts/contract.entity';
import { disclose } from '../auth/disclosure-policy';
import { RegisterRow } from '../field-work/register-row.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import type { PublicNoticeDetailDto, PublicNoticeDto } from './dto/notice.dto';
import { Notice, type NoticeKind } from './notice.entity';

/** 7 × 24 h (domain.md, "Time"). */
export const NOTICE_PERIOD_MS = 7 * 24 * 3600 * 1000;

@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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

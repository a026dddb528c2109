import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import type { Actor } from '../auth/actor';
import { forbidden } from '../auth/auth.errors';
import { disclose } from '../auth/disclosure-policy';
import { assertInScope } from '../auth/scope-policy';
import type { Contract } from '../contracts/contract.entity';
import { contractScope } from '../contracts/contract-scope';
import { DomainError } from '../../common/errors/domain-error';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { RegisterRow } from '../field-work/register-row.entity';
import type {
  CreateObjectionDto,
  ListObjectionsQuery,
  ObjectionDto,
  ObjectionResolvedDto,
  ResolveObjectionDto,
} from './dto/notice.dto';
import { Notice, Objection } from './notice.entity';
import { noticeError } from './notices.errors';
import { msg } from '../../common/i18n/message';

/**
 * Objections to a notice (异议): filed by anyone while the notice has not cleared, listed for
 * those who act on or oversee them, resolved once by the village verifier or the district
 * agriculture committee. Filing and resolving are transitions of the contract's machine.
 */
@Injectable()
export class ObjectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
  ) {}

  /** Anyone may object while the notice has not cleared; the objection keeps it open until resolved. */
  async fileObjection(noticeId: string, dto: CreateObjectionDto): Promise<{ id: string }> {
    const objectionId = randomUUID();
    try {
      await this.fileInWorkflow(noticeId, objectionId, dto);
    } catch (error) {
      // The machine refused (a closed notice is its rule, objectionRefusal): say since when.
      if (error instanceof DomainError && error.code === 'NOTICE_CLOSED') {
        const row = await this.dataSource.manager.findOneByOrFail(Notice, { id: noticeId });
        throw noticeError(
          'NOTICE_CLOSED',
          msg('notice.closed', { status: row.state, closedAt: row.closedAt?.toISOString() }),
        );
      }
      throw error;
    }
    return { id: objectionId };
  }

  private async fileInWorkflow(
    noticeId: string,
    objectionId: string,
    dto: CreateObjectionDto,
  ): Promise<void> {
    await this.workflow.execute({
      noticeId,
      actor: null,
      actorLabel: 'public',
      // A public endpoint that villagers may hit at once: no row lock unless two collide.
      optimistic: true,
      // Whether the notice takes it is the machine's to say (the contract's snapshot is the
      // notice's state); the save applies only if the contract has not moved since this read.
      prepare: async ({ manager, now, write }) => {
        if (dto.registerRowId && !(await this.rowBelongs(manager, noticeId, dto.registerRowId))) {
          throw noticeError(
            'UNKNOWN_REGISTER_ROW',
            msg('notice.rowNotOnNotice', { rowId: dto.registerRowId }),
            {
              errors: [{ field: 'registerRowId', message: msg('notice.rowNotOnNoticeField') }],
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
   * resolve the objection (to call back: the village's verifiers for a village notice, the
   * committee for a media notice); masked for the others. Newest first.
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
        throw forbidden(msg('objection.listRoles'));
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
        district_code: string;
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
      `SELECT o.id, o.notice_id, n.kind, n.contract_id, n.task_code, n.village_code, n.district_code, o.name,
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
        phone: disclose(actor, 'phone', row.phone, {
          notice: {
            kind: row.kind === 'media' ? 'media' : 'village',
            villageCode: row.village_code,
            districtCode: row.district_code,
          },
        }),
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
      prepare: async ({ manager, contract, now, write }) => {
        this.assertMayResolve(actor, contract, notice, objectionId);
        const current = await manager.findOneOrFail(Objection, {
          where: { id: objectionId },
          lock: { mode: 'pessimistic_write' },
        });
        if (current.state !== 'open') {
          throw noticeError(
            'OBJECTION_ALREADY_RESOLVED',
            msg('objection.alreadyResolved', {
              objectionId,
              state: current.state,
              resolvedAt: current.resolvedAt?.toISOString(),
            }),
          );
        }
        // Written in the transition's save, only if the machine accepts the resolution; an upheld
        // one's effects (notice.supersede, registerRows.unverify) withdraw the notice and clear
        // its rows' verified areas there too.
        write({
          sql: `UPDATE objection SET state = $2, resolution_note = coalesce($3, resolution_note),
                       resolved_by = $4, resolved_at = $5
                 WHERE id = $1`,
          params: [objectionId, dto.outcome, dto.note ?? null, actor.id, now],
        });
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
      if (actor.role !== 'village_verifier') throw forbidden(msg('objection.villageResolves'));
      if (actor.villageCode !== notice.villageCode) throw notFound('Objection', objectionId);
    } else if (actor.role !== 'district_agri') {
      throw forbidden(msg('objection.districtResolves'));
    }
  }
}

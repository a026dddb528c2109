import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page, PageQueryDto } from '../../common/http/page.dto';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import { disclose } from '../auth/disclosure-policy';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { creditCodeProblem } from './credit-code';
import type { CreateOrganisationDto, OrganisationDto } from './dto/organisation.dto';
import { Organisation } from './organisation.entity';
import { creditCodeInvalid, creditCodeTaken } from './organisations.errors';
import { msg } from '../../common/i18n/message';

/** Who may see an organisation's full bank account number. */
/**
 * The districts an organisation is paid in (where it holds contracts), per organisation: whose
 * finance bureau sees its bank account in full (disclosure-policy.ts).
 */
export async function paidInDistricts(
  manager: EntityManager,
  organisationIds: string[],
): Promise<Map<string, string[]>> {
  if (organisationIds.length === 0) return new Map();
  const rows = await manager.query<{ organisation_id: string; districts: string[] }[]>(
    `SELECT organisation_id, array_agg(DISTINCT district_code) AS districts
       FROM contract WHERE organisation_id = ANY($1) GROUP BY organisation_id`,
    [organisationIds],
  );
  return new Map(rows.map((row) => [row.organisation_id, row.districts]));
}

export function toOrganisationDto(
  actor: Actor | null,
  organisation: Organisation,
  districtCodes: readonly string[] = [],
): OrganisationDto {
  const {
    id,
    name,
    creditCode,
    legalRepresentative,
    grade,
    bankName,
    bankAccountName,
    bankAccountNo,
  } = organisation;
  return {
    id,
    name,
    creditCode,
    legalRepresentative,
    grade,
    bankName,
    bankAccountName,
    bankAccountNo: disclose(actor, 'bankAccount', bankAccountNo, {
      organisationId: organisation.id,
      districtCodes,
    }),
  };
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(actor: Actor | null, dto: CreateOrganisationDto): Promise<OrganisationDto> {
    const problem = creditCodeProblem(dto.creditCode);
    if (problem === 'shape') {
      throw creditCodeInvalid(msg('organisation.creditCodeShape'));
    }
    if (problem === 'check') {
      throw creditCodeInvalid(msg('organisation.creditCodeCheck', { code: dto.creditCode }));
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `organisation:${dto.creditCode}`,
      ]);
      if (await manager.existsBy(Organisation, { creditCode: dto.creditCode })) {
        throw creditCodeTaken(dto.creditCode);
      }
      const organisation = manager.create(Organisation, { ...dto });
      await manager.save(organisation);
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action: 'organisation.created',
        entityType: 'organisation',
        entityId: organisation.id,
        // The audit log is read by observers: it is disclosed as to the public.
        data: { ...toOrganisationDto(null, organisation) },
      });
      return toOrganisationDto(actor, organisation);
    });
  }

  async get(actor: Actor, id: string): Promise<OrganisationDto> {
    const organisation = await this.find(this.dataSource.manager, id);
    // Cooperatives see their own organisation only; officials see every bidder.
    if (actor.role === 'cooperative') {
      assertInScope(
        actor,
        { districtCodes: [], organisationIds: [organisation.id] },
        'Organisation',
        id,
      );
    }
    const districts = await paidInDistricts(this.dataSource.manager, [organisation.id]);
    return toOrganisationDto(actor, organisation, districts.get(organisation.id));
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<OrganisationDto>> {
    const [rows, total] = await this.dataSource.getRepository(Organisation).findAndCount({
      where: actor.role === 'cooperative' ? { id: actor.organisationId ?? '' } : {},
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    const districts = await paidInDistricts(
      this.dataSource.manager,
      rows.map((row) => row.id),
    );
    return {
      items: rows.map((row) => toOrganisationDto(actor, row, districts.get(row.id))),
      total,
    };
  }

  async find(manager: EntityManager, id: string): Promise<Organisation> {
    const organisation = await manager.findOneBy(Organisation, { id });
    if (!organisation) throw notFound('Organisation', id);
    return organisation;
  }
}

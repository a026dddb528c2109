import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { validationFailed } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { formatHundredths, formatYuan, toHundredths } from '../../common/values/decimal-units';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { Region } from '../regions/region.entity';
import type {
  CreatePolicyDto,
  ListPoliciesQuery,
  PinnedPolicyDto,
  PolicyDto,
} from './dto/policy.dto';
import { policyError } from './policies.errors';
import { SubsidyPolicy } from './policy.entity';
import { msg } from '../../common/i18n/message';

const yuanOrNull = (fen: number | null): string | null => (fen === null ? null : formatYuan(fen));

export function toPinnedPolicyDto(policy: SubsidyPolicy): PinnedPolicyDto {
  return {
    id: policy.id,
    code: policy.code,
    subsidySharePct: formatHundredths(policy.shareBasisPoints),
    capPerMuYuan: yuanOrNull(policy.capPerMuFen),
    capPerOrganisationYuan: yuanOrNull(policy.capPerOrganisationFen),
    auditSample:
      policy.auditSampleRateBasisPoints === null
        ? null
        : {
            ratePct: formatHundredths(policy.auditSampleRateBasisPoints),
            minPerVillage: policy.auditSampleMinPerVillage ?? 0,
            tolerancePct: formatHundredths(policy.auditSampleToleranceBasisPoints ?? 0),
          },
  };
}

export function toPolicyDto(policy: SubsidyPolicy): PolicyDto {
  return {
    ...toPinnedPolicyDto(policy),
    name: policy.name,
    districtCode: policy.districtCode,
    effectiveFrom: policy.effectiveFrom,
    effectiveTo: policy.effectiveTo,
    capPerMuFen: policy.capPerMuFen,
    capPerOrganisationFen: policy.capPerOrganisationFen,
    requireDirectoryListing: policy.requireDirectoryListing,
    createdAt: policy.createdAt.toISOString(),
  };
}

/** PostgreSQL's answer when the exclusion constraint finds two policies in force on one day. */
const EXCLUSION_VIOLATION = '23P01';
const UNIQUE_VIOLATION = '23505';

/**
 * Subsidy policies (补助标准): what a county may pay under the province's rules of a year. A
 * policy is never edited (contracts pin it); a district's policies never overlap in time.
 */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(actor: Actor, dto: CreatePolicyDto): Promise<PolicyDto> {
    if (dto.effectiveTo !== undefined && dto.effectiveTo < dto.effectiveFrom) {
      throw validationFailed([
        { field: 'effectiveTo', message: msg('validation.notBefore', { other: 'effectiveFrom' }) },
      ]);
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const district = await manager.findOneBy(Region, { code: dto.districtCode });
        if (district?.level !== 'district') {
          throw validationFailed([{ field: 'districtCode', message: msg('policy.notADistrict') }]);
        }
        const overlapping = await this.overlapping(manager, dto);
        if (overlapping) throw overlap(overlapping);
        const policy = manager.create(SubsidyPolicy, {
          code: dto.code,
          name: dto.name,
          districtCode: dto.districtCode,
          effectiveFrom: dto.effectiveFrom,
          effectiveTo: dto.effectiveTo ?? null,
          shareBasisPoints: toHundredths(dto.subsidySharePct) as number,
          capPerMuFen: toHundredths(dto.capPerMuYuan) ?? null,
          capPerOrganisationFen: toHundredths(dto.capPerOrganisationYuan) ?? null,
          requireDirectoryListing: dto.requireDirectoryListing,
          auditSampleRateBasisPoints: toHundredths(dto.auditSample?.ratePct) ?? null,
          auditSampleMinPerVillage: dto.auditSample?.minPerVillage ?? null,
          auditSampleToleranceBasisPoints: toHundredths(dto.auditSample?.tolerancePct) ?? null,
          createdBy: actor.id,
        });
        await manager.save(policy);
        const body = toPolicyDto(policy);
        await this.auditLog.record(manager, {
          chain: ADMIN_CHAIN,
          actor,
          action: 'policy.created',
          entityType: 'subsidy_policy',
          entityId: policy.id,
          data: { ...body },
        });
        return body;
      });
    } catch (error) {
      // Two creations racing past the check: the exclusion constraint refuses the second.
      const code = (error as { code?: string }).code;
      if (code === EXCLUSION_VIOLATION) {
        const overlapping = await this.overlapping(this.dataSource.manager, dto);
        throw overlapping ? overlap(overlapping) : error;
      }
      if (code === UNIQUE_VIOLATION)
        throw policyError('POLICY_CODE_TAKEN', msg('policy.codeTaken', { code: dto.code }), {
          errors: [{ field: 'code', message: msg('validation.taken') }],
        });
      throw error;
    }
  }

  async list(query: ListPoliciesQuery): Promise<Page<PolicyDto>> {
    const where: FindOptionsWhere<SubsidyPolicy> = query.districtCode
      ? { districtCode: query.districtCode }
      : {};
    const [rows, total] = await this.dataSource.getRepository(SubsidyPolicy).findAndCount({
      where,
      order: { districtCode: 'ASC', effectiveFrom: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toPolicyDto), total };
  }

  /** The district's policy in force on a date (a project's `serviceStart`), if any. */
  async inForce(
    manager: EntityManager,
    districtCode: string,
    on: string,
  ): Promise<SubsidyPolicy | null> {
    return manager
      .getRepository(SubsidyPolicy)
      .createQueryBuilder('policy')
      .where('policy.districtCode = :districtCode', { districtCode })
      .andWhere('policy.effectiveFrom <= :on', { on })
      .andWhere('(policy.effectiveTo IS NULL OR policy.effectiveTo >= :on)', { on })
      .getOne();
  }

  private async overlapping(
    manager: EntityManager,
    dto: CreatePolicyDto,
  ): Promise<SubsidyPolicy | null> {
    return manager
      .getRepository(SubsidyPolicy)
      .createQueryBuilder('policy')
      .where('policy.districtCode = :districtCode', { districtCode: dto.districtCode })
      .andWhere(
        `daterange(policy.effectiveFrom, policy.effectiveTo, '[]') && daterange(:from, :to, '[]')`,
        { from: dto.effectiveFrom, to: dto.effectiveTo ?? null },
      )
      .orderBy('policy.effectiveFrom', 'ASC')
      .getOne();
  }
}

function overlap(existing: SubsidyPolicy): Error {
  return policyError(
    'POLICY_OVERLAP',
    msg('policy.overlap', {
      code: existing.code,
      districtCode: existing.districtCode,
      from: existing.effectiveFrom,
      to: existing.effectiveTo ?? undefined,
    }),
    { policyId: existing.id },
  );
}

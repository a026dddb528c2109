import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { assertInScope, type ScopeTarget } from '../auth/scope-policy';
import type { CreateRegionDto, RegionDto } from './dto/create-region.dto';
import type { ListRegionsQuery } from './dto/list-regions.query';
import { PARENT_LEVEL, Region } from './region.entity';
import { regionCodeTaken, regionParentInvalid } from './regions.errors';
import { msg } from '../../common/i18n/message';

/** Regions are reference data: visible to everyone in the same district; admins see all. */
export function regionScope(region: Region): ScopeTarget {
  return {
    districtCodes: [region.districtCode],
    townCodes: region.townCode ? [region.townCode] : [],
    villageCodes: region.level === 'village' ? [region.code] : [],
  };
}

export function toRegionDto(region: Region): RegionDto {
  const { code, name, level, parentCode, districtCode, townCode } = region;
  return { code, name, level, parentCode, districtCode, townCode };
}

@Injectable()
export class RegionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(actor: Actor | null, dto: CreateRegionDto): Promise<RegionDto> {
    return this.dataSource.transaction(async (manager) => {
      const expectedParent = PARENT_LEVEL[dto.level];
      let parent: Region | null = null;
      if (expectedParent === null && dto.parentCode !== undefined) {
        throw regionParentInvalid(msg('region.districtHasNoParent'));
      }
      if (expectedParent !== null) {
        if (dto.parentCode === undefined) {
          throw regionParentInvalid(
            msg('region.parentMissing', { level: dto.level, parentLevel: expectedParent }),
          );
        }
        parent = await manager.findOneBy(Region, { code: dto.parentCode });
        if (!parent)
          throw regionParentInvalid(msg('region.parentNotFound', { code: dto.parentCode }));
        if (parent.level !== expectedParent) {
          throw regionParentInvalid(
            msg('region.parentWrongLevel', {
              level: dto.level,
              parentLevel: expectedParent,
              parentCode: dto.parentCode,
              actualLevel: parent.level,
            }),
          );
        }
      }
      // Serialise on the code so that two racing creations give one row and one clear 409.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`region:${dto.code}`]);
      if (await manager.existsBy(Region, { code: dto.code })) throw regionCodeTaken(dto.code);

      const region = manager.create(Region, {
        code: dto.code,
        name: dto.name,
        level: dto.level,
        parentCode: parent?.code ?? null,
        districtCode: dto.level === 'district' ? dto.code : (parent?.districtCode as string),
        townCode:
          dto.level === 'town' ? dto.code : dto.level === 'village' ? (parent?.code ?? null) : null,
      });
      await manager.insert(Region, region);
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action: 'region.created',
        entityType: 'region',
        entityId: region.code,
        data: toRegionDto(region) as unknown as Record<string, unknown>,
      });
      return toRegionDto(region);
    });
  }

  async get(actor: Actor, code: string): Promise<RegionDto> {
    const region = await this.find(this.dataSource.manager, code);
    if (actor.role !== 'cooperative') assertInScope(actor, regionScope(region), 'Region', code);
    return toRegionDto(region);
  }

  async list(actor: Actor, query: ListRegionsQuery): Promise<Page<RegionDto>> {
    const where: FindOptionsWhere<Region> = {};
    if (query.level) where.level = query.level;
    if (query.parentCode) where.parentCode = query.parentCode;
    // Cooperatives work across districts; every other bound role sees its own district.
    if (actor.role !== 'admin' && actor.role !== 'cooperative') {
      where.districtCode = actor.districtCode ?? '';
    }
    const [rows, total] = await this.dataSource.getRepository(Region).findAndCount({
      where,
      order: { code: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toRegionDto), total };
  }

  /** For other modules: the region, or NOT_FOUND. */
  async find(manager: EntityManager, code: string): Promise<Region> {
    const region = await manager.findOneBy(Region, { code });
    if (!region) throw notFound('Region', code);
    return region;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { shanghaiDate } from '../../common/clock/shanghai-date';
import { validationFailed } from '../../common/errors/domain-error';
import { ADMIN_CHAIN, AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import type { SubsidyPolicy } from '../policies/policy.entity';
import { OrganisationBlacklistEntry, OrganisationListing } from './directory.entity';
import type {
  BlacklistEntryDto,
  CreateBlacklistEntryDto,
  CreateListingDto,
  ListingDto,
} from './dto/directory.dto';
import {
  blacklistedOn,
  eligibilityOn,
  fiveYearsFrom,
  listedOn,
  type DirectoryEntries,
  type Eligibility,
} from './eligibility';
import { Organisation } from './organisation.entity';
import { providerNotEligible } from './organisations.errors';
import { OrganisationsService } from './organisations.service';
import { msg } from '../../common/i18n/message';

const toListingDto = (row: OrganisationListing): ListingDto => ({
  id: row.id,
  listedOn: row.listedOn,
  listedUntil: row.listedUntil,
  districtCode: row.districtCode,
});

const toBlacklistDto = (row: OrganisationBlacklistEntry): BlacklistEntryDto => ({
  id: row.id,
  reason: row.reason,
  from: row.fromOn,
  until: row.untilOn,
  districtCode: row.districtCode,
});

export interface DirectoryStanding {
  listings: ListingDto[];
  blacklist: BlacklistEntryDto[];
  /** Not blacklisted today and listed today: eligible under any policy. */
  eligibleToday: boolean;
  listedToday: boolean;
  blacklistedToday: boolean;
}

/**
 * The service-organisation directory (名录库) and the blacklist. Entries are made by a district's
 * agriculture committee or the administrator, record the district that made them, and count
 * everywhere. Eligibility is decided by `eligibility.ts` on the entries read here.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async addListing(
    actor: Actor,
    organisationId: string,
    dto: CreateListingDto,
  ): Promise<ListingDto> {
    if (dto.listedUntil !== undefined && dto.listedUntil < dto.listedOn) {
      throw validationFailed([
        { field: 'listedUntil', message: msg('validation.notBefore', { other: 'listedOn' }) },
      ]);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.organisations.find(manager, organisationId);
      const row = manager.create(OrganisationListing, {
        organisationId,
        listedOn: dto.listedOn,
        listedUntil: dto.listedUntil ?? null,
        districtCode: actor.districtCode ?? null,
        createdBy: actor.id,
      });
      await manager.save(row);
      const body = toListingDto(row);
      await this.record(manager, actor, 'organisation.listed', organisationId, { ...body });
      return body;
    });
  }

  async addBlacklistEntry(
    actor: Actor,
    organisationId: string,
    dto: CreateBlacklistEntryDto,
  ): Promise<BlacklistEntryDto> {
    if (dto.until !== undefined && dto.until < dto.from) {
      throw validationFailed([
        { field: 'until', message: msg('validation.notBefore', { other: 'from' }) },
      ]);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.organisations.find(manager, organisationId);
      const row = manager.create(OrganisationBlacklistEntry, {
        organisationId,
        reason: dto.reason,
        fromOn: dto.from,
        untilOn: dto.until ?? fiveYearsFrom(dto.from),
        districtCode: actor.districtCode ?? null,
        createdBy: actor.id,
      });
      await manager.save(row);
      const body = toBlacklistDto(row);
      await this.record(manager, actor, 'organisation.blacklisted', organisationId, { ...body });
      return body;
    });
  }

  /** What `GET /organisations/:id` shows of the directory. */
  async standing(
    manager: EntityManager | undefined,
    organisationId: string,
  ): Promise<DirectoryStanding> {
    const { listings, blacklist } = await this.rows(
      manager ?? this.dataSource.manager,
      organisationId,
    );
    const today = shanghaiDate(this.clock.now());
    const entries = { listings, blacklist };
    const listedToday = listedOn(entries, today);
    const blacklistedToday = blacklistedOn(entries, today) !== undefined;
    return {
      listings: listings.map(toListingDto),
      blacklist: blacklist.map(toBlacklistDto),
      eligibleToday: listedToday && !blacklistedToday,
      listedToday,
      blacklistedToday,
    };
  }

  /** Whether the organisation is eligible on a date under a policy (or none). */
  async eligibility(
    manager: EntityManager,
    organisationId: string,
    on: string,
    policy: Pick<SubsidyPolicy, 'requireDirectoryListing'> | null,
  ): Promise<Eligibility> {
    const entries: DirectoryEntries = await this.rows(manager, organisationId);
    return eligibilityOn(entries, on, policy?.requireDirectoryListing ?? false);
  }

  /** Eligibility today (a payout), by the app's clock. */
  async eligibilityToday(
    manager: EntityManager,
    organisationId: string,
    policy: Pick<SubsidyPolicy, 'requireDirectoryListing'> | null,
  ): Promise<Eligibility> {
    return this.eligibility(manager, organisationId, shanghaiDate(this.clock.now()), policy);
  }

  /** For a bid or an award: 409 PROVIDER_NOT_ELIGIBLE unless eligible on the date. */
  async assertEligible(
    manager: EntityManager,
    organisationId: string,
    on: string,
    policy: Pick<SubsidyPolicy, 'requireDirectoryListing'> | null,
  ): Promise<void> {
    const result = await this.eligibility(manager, organisationId, on, policy);
    if (!result.eligible) {
      const organisation = await manager.findOneBy(Organisation, { id: organisationId });
      throw providerNotEligible(organisation?.name ?? organisationId, on, result.reason);
    }
  }

  private async rows(
    manager: EntityManager,
    organisationId: string,
  ): Promise<{ listings: OrganisationListing[]; blacklist: OrganisationBlacklistEntry[] }> {
    // One after the other: inside a transaction both would share one connection.
    const listings = await manager.find(OrganisationListing, {
      where: { organisationId },
      order: { listedOn: 'ASC', id: 'ASC' },
    });
    const blacklist = await manager.find(OrganisationBlacklistEntry, {
      where: { organisationId },
      order: { fromOn: 'ASC', id: 'ASC' },
    });
    return { listings, blacklist };
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    organisationId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.auditLog.record(manager, {
      chain: actor.districtCode ? districtChain(actor.districtCode) : ADMIN_CHAIN,
      actor,
      action,
      entityType: 'organisation',
      entityId: organisationId,
      data,
    });
  }
}

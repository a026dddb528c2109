import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page } from '../../common/http/page.dto';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { hashPassword, verifyPassword } from '../auth/password-hasher';
import type { Role } from '../auth/roles';
import { Organisation } from '../organisations/organisation.entity';
import { Region, type RegionLevel } from '../regions/region.entity';
import type { CreateUserDto, UserDto, UserQueryDto } from './dto/user.dto';
import { User } from './user.entity';
import { userScopeInvalid, usernameTaken } from './users.errors';
import { msg } from '../../common/i18n/message';

/** The region level each role is bound to; `null`: bound to no region. */
export const ROLE_REGION_LEVEL: Record<Role, RegionLevel | null> = {
  admin: null,
  cooperative: null,
  village_verifier: 'village',
  town_acceptor: 'town',
  district_agri: 'district',
  district_finance: 'district',
  observer: 'district',
};

export function toUserDto(user: User): UserDto {
  const { id, username, displayName, role, organisationId, regionCode, acceptanceRole, active } =
    user;
  return {
    id,
    username,
    displayName,
    role,
    organisationId,
    regionCode,
    acceptanceRole,
    active,
    mustChangePassword: user.mustChangePassword ?? false,
  };
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(actor: Actor | null, dto: CreateUserDto): Promise<UserDto> {
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (manager) => {
      await this.checkBinding(manager, dto);
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `user:${dto.username.toLowerCase()}`,
      ]);
      if (await this.usernameExists(manager, dto.username)) throw usernameTaken(dto.username);
      const user = manager.create(User, {
        username: dto.username,
        passwordHash,
        displayName: dto.displayName,
        role: dto.role,
        organisationId: dto.organisationId ?? null,
        regionCode: dto.regionCode ?? null,
        acceptanceRole: dto.acceptanceRole ?? null,
        active: true,
      });
      await manager.save(user);
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        data: { ...toUserDto(user) },
      });
      return toUserDto(user);
    });
  }

  async list(query: UserQueryDto): Promise<Page<UserDto>> {
    const where: FindOptionsWhere<User> = {};
    if (query.role !== undefined) where.role = query.role;
    if (query.regionCode !== undefined) where.regionCode = query.regionCode;
    if (query.organisationId !== undefined) where.organisationId = query.organisationId;
    if (query.active !== undefined) where.active = query.active;
    const [rows, total] = await this.dataSource.getRepository(User).findAndCount({
      where,
      order: { username: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toUserDto), total };
  }

  async get(actor: Actor, id: string): Promise<UserDto> {
    // Only admins see other users; anyone else asking for another id learns nothing.
    if (actor.role !== 'admin' && actor.id !== id) throw notFound('User', id);
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw notFound('User', id);
    return toUserDto(user);
  }

  /**
   * Makes sure the configured admin exists with the configured password (the environment is the
   * source of truth: changing ADMIN_PASSWORD and restarting resets it). Returns what it did.
   */
  async ensureAdmin(
    username: string,
    password: string,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const existing = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
    if (!existing) {
      await this.create(null, { username, password, displayName: 'Administrator', role: 'admin' });
      return 'created';
    }
    if (
      existing.role === 'admin' &&
      existing.active &&
      (await verifyPassword(password, existing.passwordHash))
    ) {
      return 'unchanged';
    }
    if (existing.role !== 'admin') {
      throw new Error(`ADMIN_USERNAME ${username} belongs to a user with role ${existing.role}`);
    }
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: existing.id }, { passwordHash, active: true });
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor: null,
        action: 'user.admin-reset',
        entityType: 'user',
        entityId: existing.id,
        data: { username: existing.username, reason: 'ADMIN_PASSWORD at start-up' },
      });
    });
    return 'updated';
  }

  /** Whether any active admin exists. */
  hasAdmin(): Promise<boolean> {
    return this.dataSource.getRepository(User).existsBy({ role: 'admin', active: true });
  }

  /** Usernames are unique regardless of case: `Admin` and `admin` are one login. */
  private usernameExists(manager: EntityManager, username: string): Promise<boolean> {
    return manager
      .createQueryBuilder(User, 'u')
      .where('lower(u.username) = lower(:username)', { username })
      .getExists();
  }

  /** Each role is bound to exactly what domain.md says: an organisation, or a region of one level. */
  private async checkBinding(manager: EntityManager, dto: CreateUserDto): Promise<void> {
    const level = ROLE_REGION_LEVEL[dto.role];
    if (dto.role === 'cooperative') {
      if (!dto.organisationId)
        throw userScopeInvalid('organisationId', msg('user.cooperativeNeedsOrganisation'));
      if (!(await manager.existsBy(Organisation, { id: dto.organisationId }))) {
        throw userScopeInvalid(
          'organisationId',
          msg('user.organisationNotFound', { id: dto.organisationId }),
        );
      }
    } else if (dto.organisationId !== undefined) {
      throw userScopeInvalid('organisationId', msg('user.roleNoOrganisation', { role: dto.role }));
    }

    if (level === null) {
      if (dto.regionCode !== undefined) {
        throw userScopeInvalid('regionCode', msg('user.roleNoRegion', { role: dto.role }));
      }
    } else {
      if (!dto.regionCode)
        throw userScopeInvalid(
          'regionCode',
          msg('user.roleNeedsRegion', { role: dto.role, level }),
        );
      const region = await manager.findOneBy(Region, { code: dto.regionCode });
      if (!region)
        throw userScopeInvalid('regionCode', msg('user.regionNotFound', { code: dto.regionCode }));
      if (region.level !== level) {
        throw userScopeInvalid(
          'regionCode',
          msg('user.regionWrongLevel', {
            role: dto.role,
            level,
            regionCode: dto.regionCode,
            actualLevel: region.level,
          }),
        );
      }
    }

    if (dto.role === 'town_acceptor' && !dto.acceptanceRole) {
      throw userScopeInvalid('acceptanceRole', msg('user.acceptorNeedsRole'));
    }
    if (dto.role !== 'town_acceptor' && dto.acceptanceRole !== undefined) {
      throw userScopeInvalid('acceptanceRole', msg('user.onlyAcceptorHasRole'));
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound, validationFailed } from '../../common/errors/domain-error';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import type { ResetPasswordDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { passwordProblem } from './password-policy';
import { User } from './user.entity';
import { cannotDeactivateSelf } from './users.errors';
import { toUserDto } from './users.service';

/**
 * An admin's changes to an account (api.md "Accounts"): its name, deactivation (the day an
 * official leaves: every session and token ends at once) and a temporary password. Each under
 * the user's row lock with its audit event; nothing is written before every check has passed.
 */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lock(manager, id);
      if (dto.active === false && user.id === actor.id) throw cannotDeactivateSelf();
      const changes: Partial<Pick<User, 'displayName' | 'active' | 'tokenVersion'>> = {};
      if (dto.displayName !== undefined && dto.displayName !== user.displayName)
        changes.displayName = dto.displayName;
      if (dto.active !== undefined && dto.active !== user.active) {
        changes.active = dto.active;
        // Deactivation ends every token for good: reactivating does not bring old ones back.
        if (!dto.active) changes.tokenVersion = user.tokenVersion + 1;
      }
      if (Object.keys(changes).length === 0) return toUserDto(user);
      await manager.update(User, { id }, changes);
      const { tokenVersion: _, ...shown } = changes;
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action:
          changes.active === false
            ? 'user.deactivated'
            : changes.active
              ? 'user.reactivated'
              : 'user.updated',
        entityType: 'user',
        entityId: id,
        data: { username: user.username, ...shown },
      });
      return toUserDto({ ...user, ...changes });
    });
  }

  async resetPassword(actor: Actor, id: string, dto: ResetPasswordDto): Promise<UserDto> {
    const target = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!target) throw notFound('User', id);
    const problem = passwordProblem(dto.password, target.username);
    if (problem) throw validationFailed([{ field: 'password', message: problem }]);
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lock(manager, id);
      const changes = {
        passwordHash,
        mustChangePassword: true,
        tokenVersion: user.tokenVersion + 1,
      };
      await manager.update(User, { id }, changes);
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action: 'user.password-reset',
        entityType: 'user',
        entityId: id,
        data: { username: user.username, mustChangePassword: true },
      });
      return toUserDto({ ...user, ...changes });
    });
  }

  private async lock(manager: EntityManager, id: string): Promise<User> {
    const user = await manager.findOne(User, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!user) throw notFound('User', id);
    return user;
  }
}

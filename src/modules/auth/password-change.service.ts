import { Injectable } from '@nestjs/common';
import { msg } from '../../common/i18n/message';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { validationFailed } from '../../common/errors/domain-error';
import { ADMIN_CHAIN, AuditLogService } from '../audit-log/audit-log.service';
import { passwordProblem } from '../users/password-policy';
import { User } from '../users/user.entity';
import type { Actor } from './actor';
import type { ChangePasswordDto, ChangePasswordResponseDto } from './dto/change-password.dto';
import { hashPassword, verifyPassword } from './password-hasher';
import { TokenIssuer } from './token-issuer';

/**
 * One's own password change (POST /auth/password, the desk's account page): the current
 * password, then the policy; the new hash, the end of every other session (token version + 1)
 * and the audit event in one transaction under the user's row lock, so two changes at once
 * apply one after the other.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
    private readonly tokens: TokenIssuer,
  ) {}

  async change(actor: Actor, dto: ChangePasswordDto): Promise<ChangePasswordResponseDto> {
    const problem = passwordProblem(dto.newPassword, actor.username);
    if (problem) throw validationFailed([{ field: 'newPassword', message: problem }]);
    const current = await this.dataSource.getRepository(User).findOneByOrFail({ id: actor.id });
    if (!(await verifyPassword(dto.currentPassword, current.passwordHash)))
      throw validationFailed([
        { field: 'currentPassword', message: msg('auth.currentPasswordWrong') },
      ]);
    const passwordHash = await hashPassword(dto.newPassword);
    const user = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(User, {
        where: { id: actor.id },
        lock: { mode: 'pessimistic_write' },
      });
      // Another change committed since the check above: the current password may be stale.
      if (locked.passwordHash !== current.passwordHash)
        throw validationFailed([
          { field: 'currentPassword', message: msg('auth.currentPasswordWrong') },
        ]);
      locked.passwordHash = passwordHash;
      locked.mustChangePassword = false;
      locked.tokenVersion += 1;
      await manager.update(
        User,
        { id: actor.id },
        { passwordHash, mustChangePassword: false, tokenVersion: locked.tokenVersion },
      );
      await this.auditLog.record(manager, {
        chain: ADMIN_CHAIN,
        actor,
        action: 'user.password-changed',
        entityType: 'user',
        entityId: actor.id,
        data: { username: locked.username },
      });
      return locked;
    });
    return { accessToken: await this.tokens.issue(user) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { User } from '../users/user.entity';
import type { TokenPayload } from './access.guard';
import { unauthenticated } from './auth.errors';
import type { LoginDto, LoginResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password-hasher';
import { msg } from '../../common/i18n/message';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Only wrong passwords count, per username (a guesser from many addresses) and per client (one
   * address guessing many usernames): colleagues who log in from one office address are never
   * slowed down.
   */
  async login(dto: LoginDto, client: string): Promise<LoginResponseDto> {
    const limits = this.config.rateLimits;
    const username = dto.username.toLowerCase();
    await this.limiter.assertOpen('login-user', username, limits.loginFailuresPerUsername);
    await this.limiter.assertOpen('login-client', client, limits.loginFailuresPerClient);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username: dto.username })
      .getOne();
    // Hash even for an unknown user, so that timing does not tell which usernames exist.
    const valid = await verifyPassword(
      dto.password,
      user?.passwordHash ?? (await dummyPasswordHash()),
    );
    if (!user || !valid || !user.active) {
      await this.limiter.penalise('login-user', username, limits.loginFailuresPerUsername);
      await this.limiter.penalise('login-client', client, limits.loginFailuresPerClient);
      throw unauthenticated(msg('auth.wrongPassword'));
    }
    await this.limiter.reset('login-user', username, limits.loginFailuresPerUsername);
    const payload: TokenPayload = { sub: user.id, role: user.role };
    const accessToken = await this.jwt.signAsync(payload, { expiresIn: this.config.jwtTtlSeconds });
    return {
      accessToken,
      expiresIn: this.config.jwtTtlSeconds,
      user: { id: user.id, username: user.username, role: user.role },
    };
  }
}

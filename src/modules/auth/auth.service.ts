import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { User } from '../users/user.entity';
import { unauthenticated } from './auth.errors';
import type { LoginDto, LoginResponseDto } from './dto/login.dto';
import { LOGIN_BUCKETS, LOGIN_SLOWDOWN_MS, userClientKey } from './login-throttle';
import { dummyPasswordHash, verifyPassword } from './password-hasher';
import { TokenIssuer } from './token-issuer';
import { msg } from '../../common/i18n/message';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenIssuer,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Wrong passwords count per (username, client) for refusals and per username only to slow
   * down (login-throttle.ts): a client without failures is never refused the right password,
   * whoever guesses at the username elsewhere. Per client they count too (one address guessing
   * many usernames). Colleagues who log in from one office address are never slowed down.
   */
  async login(dto: LoginDto, client: string): Promise<LoginResponseDto> {
    const limits = this.config.rateLimits;
    const pair = userClientKey(dto.username, client);
    const username = dto.username.toLowerCase();
    await this.limiter.assertOpen(LOGIN_BUCKETS.client, client, limits.loginFailuresPerClient);
    await this.limiter.assertOpen(LOGIN_BUCKETS.userClient, pair, limits.loginFailuresPerUsername);
    const failures = await this.limiter.count(
      LOGIN_BUCKETS.user,
      username,
      limits.loginFailuresPerUsername,
    );
    if (failures >= limits.loginFailuresPerUsername) await delay(LOGIN_SLOWDOWN_MS);
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
      await this.limiter.penalise(LOGIN_BUCKETS.userClient, pair, limits.loginFailuresPerUsername);
      await this.limiter.penalise(LOGIN_BUCKETS.user, username, limits.loginFailuresPerUsername);
      await this.limiter.penalise(LOGIN_BUCKETS.client, client, limits.loginFailuresPerClient);
      throw unauthenticated(msg('auth.wrongPassword'));
    }
    // Only this client's count: a success does not clear what others guessed at the username.
    await this.limiter.reset(LOGIN_BUCKETS.userClient, pair, limits.loginFailuresPerUsername);
    return {
      accessToken: await this.tokens.issue(user),
      expiresIn: this.tokens.ttlSeconds,
      user: {
        id: user.id,
        username: user.username,
        role: user.role,
        mustChangePassword: user.mustChangePassword,
      },
    };
  }
}

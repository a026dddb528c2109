import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { User } from '../users/user.entity';
import { unauthenticated } from './auth.errors';
import type { LoginDto, LoginResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password-hasher';
import { TokenIssuer } from './token-issuer';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenIssuer,
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
      throw unauthenticated('Wrong username or password');
    }
    await this.limiter.reset('login-user', username, limits.loginFailuresPerUsername);
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

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import type { User } from '../users/user.entity';
import type { TokenPayload } from './session-verifier';

/** Signs a user's access token under its current token version (see SessionVerifier). */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.jwtTtlSeconds;
  }

  issue(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): Promise<string> {
    const payload: TokenPayload = { sub: user.id, role: user.role, tv: user.tokenVersion };
    return this.jwt.signAsync(payload, { expiresIn: this.config.jwtTtlSeconds });
  }
}

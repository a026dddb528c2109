import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';

/**
 * Public objections are counted per client address and per notice: one sender cannot flood the
 * board, and a flood on one notice (from many addresses, with many phone numbers) is refused
 * without blocking villagers who object to other notices. The client address is the peer, or
 * the X-Forwarded-For entry of a proxy named in TRUST_PROXY.
 */
@Injectable()
export class ObjectionThrottlerGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const limits = this.config.rateLimits;
    const noticeId = String(request.params.id ?? '');
    await this.limiter.consume('objection-client', request.ip ?? '', limits.objectionsPerClient);
    await this.limiter.consume('objection-notice', noticeId, limits.objectionsPerNotice);
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { commonError } from '../errors/domain-error';
import { msg } from '../i18n/message';

const WINDOW_SECONDS = 60;

/**
 * Counters per minute for the public and login routes, on rate-limiter-flexible (in memory, per
 * process). A bucket is one kind of count (`login-user`, `objection-notice`, …) with its own
 * limit; a key is who or what is counted in it. Over the limit: 429 TOO_MANY_REQUESTS with the
 * seconds to wait, which the problem filter sends as a standard `Retry-After` header.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, RateLimiterMemory>();

  /** Counts one request; refuses it when the key has used up its minute. */
  async consume(bucket: string, key: string, perMinute: number): Promise<void> {
    try {
      await this.limiter(bucket, perMinute).consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooManyRequests(rejection.msBeforeNext);
      throw rejection;
    }
  }

  /** Refuses without counting when the key has used up its minute (failed logins: count later). */
  async assertOpen(bucket: string, key: string, perMinute: number): Promise<void> {
    const state = await this.limiter(bucket, perMinute).get(key);
    if (state && state.consumedPoints >= perMinute) throw tooManyRequests(state.msBeforeNext);
  }

  /** What the key has used of its minute (without counting). */
  async count(bucket: string, key: string, perMinute: number): Promise<number> {
    return (await this.limiter(bucket, perMinute).get(key))?.consumedPoints ?? 0;
  }

  /** Counts one without refusing (a failure already answered). */
  async penalise(bucket: string, key: string, perMinute: number): Promise<void> {
    await this.limiter(bucket, perMinute).penalty(key, 1);
  }

  async reset(bucket: string, key: string, perMinute: number): Promise<void> {
    await this.limiter(bucket, perMinute).delete(key);
  }

  private limiter(bucket: string, perMinute: number): RateLimiterMemory {
    const name = `${bucket}/${perMinute}`;
    let limiter = this.buckets.get(name);
    if (!limiter) {
      limiter = new RateLimiterMemory({
        keyPrefix: bucket,
        points: perMinute,
        duration: WINDOW_SECONDS,
      });
      this.buckets.set(name, limiter);
    }
    return limiter;
  }
}

function tooManyRequests(msBeforeNext: number) {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return commonError(
    'TOO_MANY_REQUESTS',
    msg('http.tooManyRequestsRetry', { seconds: retryAfterSeconds }),
    { retryAfterSeconds },
  );
}

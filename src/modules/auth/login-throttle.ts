import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { json, type NextFunction, type Request, type Response } from 'express';
import { catchError, type Observable } from 'rxjs';
import { DomainError } from '../../common/errors/domain-error';
import { RateLimiter } from '../../common/http/rate-limiter';
import type { RateLimitConfig } from '../../config/app-config';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';

/**
 * The login throttle (issue 22). A lockout any client can trip for any username is a denial of
 * service (OWASP): ten wrong passwords a minute kept `finance` out. So:
 *
 * - refusals (429) count per (username, client): the guesser's own address is refused, a client
 *   without failures never is;
 * - per username (from anywhere) failures only slow the next attempts down
 *   ({@link LOGIN_SLOWDOWN_MS}), the right password still logs in;
 * - per client, failures of any kind count (wrong passwords for any usernames, bodies that are
 *   too large, not JSON, or fail validation): one address flooding the login is refused.
 *
 * A login body is tiny: {@link LOGIN_BODY_LIMIT} is checked against Content-Length before a byte
 * is read, so a 1 MB body is a 413 without being parsed, and a client over its limit gets its 429
 * before its body is read.
 */
export const LOGIN_BODY_LIMIT = '1kb';

/** Waited before checking a password of a username with too many failures this minute. */
export const LOGIN_SLOWDOWN_MS = 500;

export const LOGIN_BUCKETS = {
  /** Refuses: wrong passwords for a username from one client. */
  userClient: 'login-user-client',
  /** Slows down: wrong passwords for a username from anywhere. */
  user: 'login-user',
  /** Refuses: failed logins of any kind from one client. */
  client: 'login-client',
} as const;

/** The key of a (username, client) pair. */
export function userClientKey(username: string, client: string): string {
  return `${username.toLowerCase()}\u0000${client}`;
}

/**
 * The JSON body parser of `POST /auth/login`, mounted before the app's own (which then leaves the
 * parsed body alone): a client over its limit is refused before its body is read, and a body
 * the parser refuses (too large, not JSON, another charset) counts as a failure of its client.
 */
export function loginBodyParser(limiter: RateLimiter, limits: RateLimitConfig) {
  const parse = json({ limit: LOGIN_BODY_LIMIT });
  return (request: Request, response: Response, next: NextFunction): void => {
    const client = request.ip ?? '';
    const parseCounted = (): void =>
      parse(request, response, (error?: unknown) => {
        if (!error) return next();
        limiter.penalise(LOGIN_BUCKETS.client, client, limits.loginFailuresPerClient).then(
          () => next(error),
          () => next(error),
        );
      });
    limiter
      .assertOpen(LOGIN_BUCKETS.client, client, limits.loginFailuresPerClient)
      .then(parseCounted, next);
  };
}

/**
 * On the login route: a body refused by the input pipes (400) counts as a failure of its client,
 * like a wrong password.
 */
@Injectable()
export class LoginFailureInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const client = context.switchToHttp().getRequest<Request>().ip ?? '';
    return next.handle().pipe(
      catchError(async (error: unknown) => {
        if (error instanceof DomainError && error.status === 400) {
          await this.limiter.penalise(
            LOGIN_BUCKETS.client,
            client,
            this.config.rateLimits.loginFailuresPerClient,
          );
        }
        throw error;
      }),
    );
  }
}

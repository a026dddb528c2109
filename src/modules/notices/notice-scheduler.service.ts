import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { Timer } from './notice.entity';

/**
 * Fires due timers (notice ends) exactly once. Each timer is claimed with FOR UPDATE SKIP LOCKED
 * and its event applied in the same transaction that marks it fired, so two instances (or two
 * firing loops of one) never fire one timer twice, and a crash before commit leaves it for the
 * next run. Runs at start (timers
 * that came due while the app was down), every SCHEDULER_INTERVAL_MS, and on demand (test clock).
 */
@Injectable()
export class NoticeSchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NoticeSchedulerService.name);
  private interval?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private paused = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    if (this.config.schedulerIntervalMs > 0) {
      this.interval = setInterval(() => this.tick(), this.config.schedulerIntervalMs);
      this.interval.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.interval);
    await this.queue.catch(() => undefined);
  }

  /** Fires every timer due by the app's clock; one run at a time in this process. Returns how many fired. */
  runDue(): Promise<number> {
    const run = this.queue.then(() => this.fireAllDue());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `work` with the periodic runs held back (explicit `runDue` calls still run): the demo is
   * replayed in one transaction on one connection that nothing else may use meanwhile.
   */
  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    this.paused = true;
    try {
      await this.queue;
      return await work();
    } finally {
      this.paused = false;
    }
  }

  private tick(): void {
    if (this.paused) return;
    this.runDue().catch((error: unknown) =>
      this.logger.error({ err: error }, 'Scheduler run failed'),
    );
  }

  /**
   * FIRING_CONCURRENCY loops claim and fire timers side by side (SKIP LOCKED hands each a
   * different timer; two timers of one contract still run one after the other on its row lock).
   */
  private async fireAllDue(): Promise<number> {
    await this.clock.refresh();
    let fired = 0;
    await Promise.all(
      Array.from({ length: FIRING_CONCURRENCY }, async () => {
        while (!this.stopped && (await this.fireOne())) fired += 1;
      }),
    );
    return fired;
  }

  /**
   * Claims the oldest due timer and fires it, in one transaction. A refusal by the machine marks
   * it fired and ignored. An error undoes the attempt; the timer is then put off (attempts, last
   * error, `retry_at` with a growing delay) so that it does not hold back the timers after it,
   * and the run goes on. False when no timer is due.
   */
  private async fireOne(): Promise<boolean> {
    let claimed: { id: string; attempts: number } | undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        const [timer] = await manager.query<
          { id: string; contract_id: string; notice_id: string; due_at: Date; attempts: number }[]
        >(
          `SELECT id, contract_id, notice_id, due_at, attempts FROM timer
            WHERE fired_at IS NULL AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= $1)
            ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [now],
        );
        if (!timer) return false;
        claimed = { id: timer.id, attempts: timer.attempts };
        let outcome = 'applied';
        try {
          await this.workflow.execute(
            {
              contractId: timer.contract_id,
              actor: null,
              actorLabel: 'scheduler',
              at: timer.due_at,
              prepare: () =>
                Promise.resolve({ type: 'notice.elapsed' as const, noticeId: timer.notice_id }),
            },
            manager,
          );
        } catch (error) {
          // The notice was superseded (an upheld objection) or the contract moved on: nothing to do.
          if (!(error instanceof DomainError)) throw error;
          outcome = `ignored: ${error.code}`;
        }
        await manager.update(Timer, { id: timer.id }, { firedAt: this.clock.now(), outcome });
        return true;
      });
    } catch (error) {
      if (claimed === undefined) throw error; // no timer claimed: the database itself failed
      await this.putOff(claimed.id, claimed.attempts, error);
      return true;
    }
  }

  /**
   * Between this attempt's rollback and this update another loop may claim the timer and fail
   * too: only the first of them counts the attempt (`attempts` still as claimed).
   */
  private async putOff(timerId: string, attempts: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    // An UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [[row]] = await this.dataSource.query<[{ attempts: number; retry_at: Date }[], number]>(
      `UPDATE timer SET attempts = attempts + 1, last_error = left($2, 500),
              retry_at = $3::timestamptz + least(${RETRY_MAX_SECONDS}, ${RETRY_FIRST_SECONDS} * power(2, attempts)) * interval '1 second'
        WHERE id = $1 AND fired_at IS NULL AND attempts = $4
        RETURNING attempts, retry_at`,
      [timerId, message, this.clock.now(), attempts],
    );
    this.logger.error(
      { err: error, timerId, attempts: row?.attempts, retryAt: row?.retry_at },
      'Timer failed; it will be tried again',
    );
  }
}

/** Timers fired at once by one instance: a few of the pool's 20 connections. */
const FIRING_CONCURRENCY = 4;

/** The delay before a failed timer is tried again: 5 s, doubling, at most 15 min. */
export const RETRY_FIRST_SECONDS = 5;
const RETRY_MAX_SECONDS = 900;

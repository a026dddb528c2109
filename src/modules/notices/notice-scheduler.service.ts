import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { Timer } from './notice.entity';

/**
 * Fires due timers (notice ends) exactly once. Timers are claimed with FOR UPDATE SKIP LOCKED, up
 * to TIMER_BATCH_SIZE at a time, and their events applied in the same transaction that marks
 * them fired, so two instances (or two firing loops of one) never fire one timer twice, and a
 * crash before commit leaves them for the next run. One commit for a batch instead of one a
 * timer; each contract's transition still writes its snapshot, history and audit row in one
 * statement of that transaction. A batch never waits for a contract that another transaction
 * holds, and a batch that fails is undone whole and its timers fired again one a transaction,
 * so that only the failing one is put off. Runs at start (timers that came due while the app
 * was down), every SCHEDULER_INTERVAL_MS, and on demand (test clock).
 */
@Injectable()
export class NoticeSchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NoticeSchedulerService.name);
  private interval?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private paused = false;
  /** Timers claimed and fired in one transaction (1: one transaction a timer). */
  batchSize = TIMER_BATCH_SIZE;

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
   * FIRING_CONCURRENCY loops claim and fire batches of timers side by side (SKIP LOCKED hands
   * each different timers; a contract that one batch holds, the others leave to the slow path).
   */
  private async fireAllDue(): Promise<number> {
    await this.clock.refresh();
    let fired = 0;
    await Promise.all(
      Array.from({ length: FIRING_CONCURRENCY }, async () => {
        for (let count = 1; !this.stopped && count > 0; fired += count)
          count = await this.fireBatch();
      }),
    );
    return fired;
  }

  /**
   * Claims up to `batchSize` of the oldest due timers and fires them in one transaction, contract
   * by contract in the order of their ids (two batches never wait for each other in a cycle).
   * The contracts are locked first with SKIP LOCKED: the timers of a contract that another
   * transaction holds (a command in progress, another loop or instance) are left out of the
   * batch, and fired one a transaction after it commits, each waiting for its contract as a
   * single timer always did. Returns how many timers were handled (fired, ignored or put off);
   * 0 when none is due.
   */
  private async fireBatch(): Promise<number> {
    let claimed: DueTimer[] = [];
    let contended: DueTimer[] = [];
    let fired: number;
    try {
      fired = await this.dataSource.transaction(async (manager) => {
        claimed = await claimDue(manager, this.clock.now(), this.batchSize);
        if (claimed.length === 0) return 0;
        const free = await lockFreeContracts(manager, claimed);
        contended = claimed.filter((timer) => !free.has(timer.contract_id));
        for (const timer of claimed)
          if (free.has(timer.contract_id)) await this.fire(manager, timer);
        return claimed.length - contended.length;
      });
    } catch (error) {
      if (claimed.length === 0) throw error; // no timer claimed: the database itself failed
      if (claimed.length === 1) {
        await this.putOff(claimed[0].id, claimed[0].attempts, error);
        return 1;
      }
      // One timer failed and the whole batch with it: each again on its own.
      contended = claimed;
      fired = 0;
    }
    for (const timer of contended) fired += await this.fireOne(timer.id);
    return fired;
  }

  /**
   * Fires one claimed timer, in one transaction, waiting for its contract's row lock. A refusal
   * by the machine marks it fired and ignored. An error undoes the attempt; the timer is then
   * put off (attempts, last error, `retry_at` with a growing delay) so that it does not hold
   * back the timers after it, and the run goes on. 0 when another loop took it meanwhile.
   */
  private async fireOne(timerId: string): Promise<number> {
    let claimed: DueTimer | undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        [claimed] = await claimDue(manager, this.clock.now(), 1, timerId);
        if (!claimed) return 0;
        await this.fire(manager, claimed);
        return 1;
      });
    } catch (error) {
      if (claimed === undefined) throw error;
      await this.putOff(claimed.id, claimed.attempts, error);
      return 1;
    }
  }

  /** The timer's event through the machine, and the timer marked fired, in `manager`'s transaction. */
  private async fire(manager: EntityManager, timer: DueTimer): Promise<void> {
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
      // (A refusal comes before any write; a database error aborts the transaction, and the
      // update below then fails too, so the batch is undone.)
      if (!(error instanceof DomainError)) throw error;
      outcome = `ignored: ${error.code}`;
    }
    await manager.update(Timer, { id: timer.id }, { firedAt: this.clock.now(), outcome });
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

/**
 * Timers claimed and fired in one transaction by one loop: one commit (one WAL flush) for them
 * all. Their contracts stay locked until it commits: 32 transitions of a few ms each.
 */
export const TIMER_BATCH_SIZE = 32;

interface DueTimer {
  /** bigint, as text. */
  id: string;
  contract_id: string;
  notice_id: string;
  due_at: Date;
  attempts: number;
}

/**
 * Up to `limit` of the oldest due timers (or the one `timerId`, if still due), locked; those
 * another transaction holds are skipped. Sorted by contract, then due time.
 */
async function claimDue(
  manager: EntityManager,
  now: Date,
  limit: number,
  timerId?: string,
): Promise<DueTimer[]> {
  const timers = await manager.query<DueTimer[]>(
    `SELECT id, contract_id, notice_id, due_at, attempts FROM timer
      WHERE fired_at IS NULL AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= $1)
        AND ($3::bigint IS NULL OR id = $3)
      ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit, timerId ?? null],
  );
  return timers.sort(
    (a, b) =>
      (a.contract_id < b.contract_id ? -1 : a.contract_id > b.contract_id ? 1 : 0) ||
      a.due_at.getTime() - b.due_at.getTime() ||
      Number(BigInt(a.id) - BigInt(b.id)),
  );
}

/** Locks the timers' contracts that no other transaction holds (in id order); their ids. */
async function lockFreeContracts(manager: EntityManager, timers: DueTimer[]): Promise<Set<string>> {
  const rows = await manager.query<{ id: string }[]>(
    `SELECT id FROM contract WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
    [[...new Set(timers.map((timer) => timer.contract_id))]],
  );
  return new Set(rows.map((row) => row.id));
}

/** The delay before a failed timer is tried again: 5 s, doubling, at most 15 min. */
export const RETRY_FIRST_SECONDS = 5;
const RETRY_MAX_SECONDS = 900;

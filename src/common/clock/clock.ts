import { AsyncLocalStorage } from 'node:async_hooks';

const replay = new AsyncLocalStorage<Date>();

/**
 * The app's one source of "now". Nothing else calls `new Date()` or `Date.now()` to decide when
 * something happens, so that tests (and the test clock) control time.
 */
export abstract class Clock {
  /** The instant, unless a replay of past events sets it (see {@link Clock.runAt}). */
  now(): Date {
    return replay.getStore() ?? this.current();
  }

  /** Re-reads shared state (the test clock's offset), e.g. before the scheduler runs. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }

  protected abstract current(): Date;

  /**
   * Runs `work` as if it happened at `instant`: every `now()` inside its async calls answers
   * `instant`. For entering a past season's records in order (the demo of 2015), never for
   * requests.
   */
  static runAt<T>(instant: Date, work: () => Promise<T>): Promise<T> {
    return replay.run(instant, work);
  }
}

export class SystemClock extends Clock {
  protected current(): Date {
    return new Date();
  }
}

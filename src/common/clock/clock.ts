/**
 * The app's one source of "now". Nothing else calls `new Date()` or `Date.now()` to decide when
 * something happens, so that tests (and the test clock) control time.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Re-reads shared state (the test clock's offset), e.g. before the scheduler runs. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

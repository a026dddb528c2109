/**
 * The app's one source of "now". Nothing else calls `new Date()` or `Date.now()` to decide when
 * something happens, so that tests (and the test clock) control time.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

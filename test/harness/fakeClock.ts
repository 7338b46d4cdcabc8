import type { Clock } from '../../src/core/clock';

interface Timer {
  at: number;
  order: number;
  callback: () => void;
}

/**
 * Virtual time for the completion engine: timers fire only when the test advances the clock, in
 * time order, with pending promise callbacks run between them.
 */
export class FakeClock implements Clock {
  private time = 0;
  private order = 0;
  private timers: Timer[] = [];

  /**
   * `idle` is awaited before each timer fires: the replay benchmark waits there for real sockets.
   * `start` is the epoch the clock begins at, for tests about calendar dates.
   */
  constructor(
    private readonly idle: () => Promise<unknown> = settle,
    start = 0,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + Math.max(0, ms), order: this.order++, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer !== handle);
  }

  /** Runs every timer due within `ms`, in order, then settles at the end time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await this.idle();
      await settle();
      const next = this.nextDue(end);
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
    await settle();
  }

  /** The earliest timer due by `end`, if any. */
  nextDue(end = Number.POSITIVE_INFINITY): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers)
      if (timer.at <= end && (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)))
        best = timer;
    return best;
  }
}

/** Lets every promise callback and I/O callback that is ready run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

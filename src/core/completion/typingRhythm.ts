/**
 * Adaptive debounce: how long to wait after a keystroke before asking the backend, learned from
 * the user's own inter-key intervals. A fixed delay either fires between the keys of a slow typist
 * (billing requests nobody waits for) or keeps a fast typist waiting. Tabby scales its delay by
 * the recent typing interval in the same spirit; the figures here are our own, tuned on the
 * replay benchmark.
 */
export interface RhythmOptions {
  /** Delay used before enough keystrokes have been seen. */
  initialMs: number;
  minMs: number;
  maxMs: number;
  /** Intervals longer than this are pauses, not typing, and are not learned from. */
  pauseMs: number;
  samples: number;
}

export const DEFAULT_RHYTHM: RhythmOptions = { initialMs: 300, minMs: 150, maxMs: 600, pauseMs: 1_500, samples: 40 };

export class TypingRhythm {
  private readonly intervals: number[] = [];
  private lastKeyAt: number | undefined;

  constructor(private readonly options: RhythmOptions = DEFAULT_RHYTHM) {}

  /** Notes a keystroke (a change of a few characters at the cursor) at time `at`. */
  keystroke(at: number): void {
    if (this.lastKeyAt !== undefined) {
      const interval = at - this.lastKeyAt;
      if (interval > 0 && interval < this.options.pauseMs) {
        this.intervals.push(interval);
        if (this.intervals.length > this.options.samples) this.intervals.shift();
      }
    }
    this.lastKeyAt = at;
  }

  /** Notes that the cursor jumped or the document changed otherwise: the next interval is not typing. */
  interrupt(): void {
    this.lastKeyAt = undefined;
  }

  /**
   * The wait after a keystroke: a little above the user's usual longest gap within typing (the
   * 85th percentile of recent intervals), so ordinary hesitations between keys do not fire a
   * request but a real pause does.
   */
  delayMs(): number {
    const { initialMs, minMs, maxMs } = this.options;
    if (this.intervals.length < 8) return initialMs;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] ?? initialMs;
    return Math.round(Math.min(maxMs, Math.max(minMs, p90 * 1.25)));
  }
}

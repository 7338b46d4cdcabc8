/**
 * Adaptive debounce: how long to wait after a keystroke before asking the backend, learned from
 * the user's own inter-key intervals. A fixed delay either fires between the keys of a slow typist
 * (billing requests nobody waits for) or keeps a fast typist waiting. Tabby scales its delay by
 * the recent typing interval in the same spirit; the figures here are our own, tuned on the
 * replay benchmarks.
 *
 * It also learns where this user stops to think: after which kind of key (a line end, a `(`, a
 * `:` …) a pause usually follows. After such a key the request goes out at once, so the answer is
 * on its way while the user is still deciding; elsewhere the wait stays, so ordinary hesitations
 * bill nothing. After a kind of key this user (almost) never pauses after, such as a letter in the
 * middle of a word for most people, the wait is longer still: a slow key there is a hesitation, and
 * a request fired at it would be billed for an answer nobody stops to read.
 */
export interface RhythmOptions {
  /** Delay used before enough keystrokes have been seen. */
  initialMs: number;
  minMs: number;
  maxMs: number;
  /** Intervals longer than this are pauses, not typing, and are not learned from. */
  pauseMs: number;
  samples: number;
  /** After a kind of key followed by a pause at least this often, ask at once. */
  pauseShareToSendAtOnce: number;
  /** Keys of a kind seen before its pause share is trusted. */
  minKindSamples: number;
  /**
   * The share assumed before any key of a kind is seen, and how many keys' worth it weighs: a few
   * chance pauses after a rare key do not make it a place to ask at once.
   */
  priorPauseShare: number;
  priorWeight: number;
  /**
   * Kinds of key with a prior of their own, trusted from the first key: most people stop to think
   * at line ends, so a first session asks at once there until this user's rhythm says otherwise.
   */
  priorPauseShareByKind: Readonly<Record<string, number>>;
  /** After a kind followed by a pause at most this often, over `quietKindSamples` keys, wait longer. */
  quietPauseShare: number;
  quietKindSamples: number;
  /** The longer wait, as a multiple of the 90th-percentile gap (at most `pauseMs`). */
  quietGapFactor: number;
}

/**
 * How eagerly completion asks, as the user chose it: the pause share at or above which a kind of
 * key asks at once. `frugal` never asks at once (every request waits for a real pause), `fast`
 * asks after any kind this user pauses after about one time in ten.
 */
export type CompletionSpeed = 'frugal' | 'balanced' | 'fast';

/** The speeds from the cheapest to the dearest: a repository's choice counts only when cheaper. */
export const COMPLETION_SPEEDS: readonly CompletionSpeed[] = ['frugal', 'balanced', 'fast'];

export const SEND_AT_ONCE_SHARE: Readonly<Record<CompletionSpeed, number>> = {
  frugal: Number.POSITIVE_INFINITY,
  balanced: 0.3,
  fast: 0.12,
};

export const DEFAULT_RHYTHM: RhythmOptions = {
  initialMs: 300,
  minMs: 150,
  maxMs: 600,
  pauseMs: 800,
  samples: 40,
  pauseShareToSendAtOnce: SEND_AT_ONCE_SHARE.balanced,
  minKindSamples: 4,
  priorPauseShare: 0.1,
  priorWeight: 6,
  priorPauseShareByKind: { enter: 0.3 },
  quietPauseShare: 0.05,
  quietKindSamples: 20,
  quietGapFactor: 2,
};

/** How many recent keys of each kind are remembered for its pause share. */
const KIND_WINDOW = 24;

export class TypingRhythm {
  private readonly intervals: number[] = [];
  private lastKeyAt: number | undefined;
  private lastKind: string | undefined;
  /** Per kind of key: recent outcomes, true where a pause followed. */
  private readonly pausesAfter = new Map<string, boolean[]>();

  constructor(private readonly options: RhythmOptions = DEFAULT_RHYTHM) {}

  /** Notes a keystroke (a change of a few characters at the cursor) at time `at`; `kind` is what was typed (see `keyKind`). */
  keystroke(at: number, kind?: string): void {
    if (this.lastKeyAt !== undefined) {
      const interval = at - this.lastKeyAt;
      if (interval > 0 && interval < this.options.pauseMs) {
        this.intervals.push(interval);
        if (this.intervals.length > this.options.samples) this.intervals.shift();
      }
      if (this.lastKind !== undefined && interval > 0) {
        const outcomes = this.pausesAfter.get(this.lastKind) ?? [];
        outcomes.push(interval >= this.options.pauseMs);
        if (outcomes.length > KIND_WINDOW) outcomes.shift();
        this.pausesAfter.set(this.lastKind, outcomes);
      }
    }
    this.lastKeyAt = at;
    this.lastKind = kind;
  }

  /** Notes that the cursor jumped or the document changed otherwise: the next interval is not typing. */
  interrupt(): void {
    this.lastKeyAt = undefined;
    this.lastKind = undefined;
  }

  /**
   * The share of recent keys of this kind that a pause followed, drawn towards the prior while few
   * were seen; undefined while too few were seen for a kind without a prior of its own.
   */
  pauseShareAfter(kind: string): number | undefined {
    const outcomes = this.pausesAfter.get(kind);
    const own = this.options.priorPauseShareByKind[kind];
    const seen = outcomes?.length ?? 0;
    if (own === undefined && seen < this.options.minKindSamples) return undefined;
    const prior = own ?? this.options.priorPauseShare;
    const { priorWeight } = this.options;
    return ((outcomes?.filter(Boolean).length ?? 0) + prior * priorWeight) / (seen + priorWeight);
  }

  /**
   * The wait after a keystroke of `kind`: none where this user usually pauses; elsewhere a little
   * above the user's usual longest gap within typing (the 90th percentile of recent intervals), so
   * ordinary hesitations between keys do not fire a request but a real pause does; and twice that
   * gap (up to what counts as a pause) after kinds this user has not paused after lately.
   * `sendAtOnceShare` overrides how often a pause must follow a kind for it to ask at once (the
   * user's speed setting): lower asks at more kinds, so ghost text comes sooner at more pauses and
   * more requests are sent that no pause follows.
   */
  delayMs(kind?: string, sendAtOnceShare = this.options.pauseShareToSendAtOnce): number {
    const { initialMs, minMs, maxMs } = this.options;
    const share = kind === undefined ? undefined : this.pauseShareAfter(kind);
    if (share !== undefined && share >= sendAtOnceShare) return 0;
    if (this.intervals.length < 8) return initialMs;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] ?? initialMs;
    const usual = Math.round(Math.min(maxMs, Math.max(minMs, p90 * 1.25)));
    if (kind === undefined || !this.quietAfter(kind)) return usual;
    return Math.max(usual, Math.round(Math.min(this.options.pauseMs, p90 * this.options.quietGapFactor)));
  }

  /** Whether this user has seen enough keys of this kind lately and almost never paused after one. */
  private quietAfter(kind: string): boolean {
    const outcomes = this.pausesAfter.get(kind);
    if (!outcomes || outcomes.length < this.options.quietKindSamples) return false;
    return outcomes.filter(Boolean).length / outcomes.length <= this.options.quietPauseShare;
  }
}

/**
 * The kind of key that left the text as it is before the cursor: `enter` at the start of a line
 * (indentation aside), the character itself for punctuation, `word` or `space` otherwise.
 */
export function keyKind(textBefore: string): string {
  const lineStart = textBefore.lastIndexOf('\n') + 1;
  if (lineStart > 0 && textBefore.slice(lineStart).trim() === '') return 'enter';
  const last = textBefore.charAt(textBefore.length - 1);
  if (last === '') return 'start';
  if (/[\p{L}\p{N}_$]/u.test(last)) return 'word';
  if (/\s/.test(last)) return 'space';
  return last;
}

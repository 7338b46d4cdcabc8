/**
 * Scripted request quotas over fixed windows of the (fakeable) clock: the clock minute and the
 * UTC day. Windows are aligned to the clock, not to the first request, so a test that sets `now`
 * knows exactly when a window rolls over. Each backend has its own tracker, as it would have its
 * own account.
 */
import type { BackendQuota, Dialect, EmulatorSettings } from './options';
import type { RateLimitSnapshot } from './rateLimitHeaders';

export type QuotaWindow = 'minute' | 'day';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** What the headers show when no quota is scripted (OpenAI-like tier figures). */
const DEFAULT_REQUEST_LIMIT = 10_000;
const DEFAULT_TOKEN_LIMIT = 1_000_000;

interface Counter {
  window: number;
  requests: number;
  tokens: number;
}

export class QuotaTracker {
  private minute: Counter = { window: -1, requests: 0, tokens: 0 };
  private day: Counter = { window: -1, requests: 0, tokens: 0 };

  constructor(
    private readonly settings: () => BackendQuota,
    private readonly now: () => number,
  ) {}

  /** Counts one generation request; returns the window that refused it, if one did (then nothing is counted). */
  admit(tokens: number): QuotaWindow | undefined {
    this.roll();
    const { requestsPerMinute, requestsPerDay } = this.settings();
    if (requestsPerDay !== undefined && this.day.requests >= requestsPerDay) return 'day';
    if (requestsPerMinute !== undefined && this.minute.requests >= requestsPerMinute) return 'minute';
    for (const counter of [this.minute, this.day]) {
      counter.requests += 1;
      counter.tokens += tokens;
    }
    return undefined;
  }

  /**
   * Where a window stands, for headers. Without `window`: the minute, unless only a daily quota
   * is scripted.
   */
  snapshot(window?: QuotaWindow): RateLimitSnapshot {
    this.roll();
    const { requestsPerMinute, requestsPerDay, tokensPerMinute } = this.settings();
    const daily =
      window === undefined ? requestsPerMinute === undefined && requestsPerDay !== undefined : window === 'day';
    const counter = daily ? this.day : this.minute;
    const requestLimit = (daily ? requestsPerDay : requestsPerMinute) ?? DEFAULT_REQUEST_LIMIT;
    const tokenLimit = tokensPerMinute ?? DEFAULT_TOKEN_LIMIT;
    return {
      now: this.now(),
      requestLimit,
      requestsRemaining: Math.max(0, requestLimit - counter.requests),
      requestsResetAt: this.resetAt(daily ? 'day' : 'minute'),
      tokenLimit,
      tokensRemaining: Math.max(0, tokenLimit - this.minute.tokens),
      tokensResetAt: this.resetAt('minute'),
    };
  }

  /** When the window ends, in ms since the epoch. */
  resetAt(window: QuotaWindow): number {
    const size = window === 'day' ? DAY : MINUTE;
    return (Math.floor(this.now() / size) + 1) * size;
  }

  /** Whole seconds until the window ends, at least 1 (what `retry-after` carries). */
  retryAfterSeconds(window: QuotaWindow): number {
    return Math.max(1, Math.ceil((this.resetAt(window) - this.now()) / 1000));
  }

  /** How many requests the window has admitted so far. */
  used(window: QuotaWindow): number {
    this.roll();
    return window === 'day' ? this.day.requests : this.minute.requests;
  }

  reset(): void {
    this.minute = { window: -1, requests: 0, tokens: 0 };
    this.day = { window: -1, requests: 0, tokens: 0 };
  }

  private roll(): void {
    const now = this.now();
    const minute = Math.floor(now / MINUTE);
    const day = Math.floor(now / DAY);
    if (minute !== this.minute.window) this.minute = { window: minute, requests: 0, tokens: 0 };
    if (day !== this.day.window) this.day = { window: day, requests: 0, tokens: 0 };
  }
}

/** The quota one backend runs under: its own `quotas` entry, else the emulator-wide fields. */
export function backendQuota(settings: EmulatorSettings, dialect: Dialect): BackendQuota {
  const own = settings.quotas?.[dialect] ?? {};
  return {
    requestsPerMinute: own.requestsPerMinute ?? settings.requestsPerMinute,
    requestsPerDay: own.requestsPerDay ?? settings.requestsPerDay,
    tokensPerMinute: own.tokensPerMinute ?? settings.tokensPerMinute,
    quotaStyle: own.quotaStyle ?? settings.quotaStyle,
  };
}

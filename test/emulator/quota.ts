/**
 * Scripted request quotas over fixed windows of the (fakeable) clock: the clock minute and the
 * UTC day. Windows are aligned to the clock, not to the first request, so a test that sets `now`
 * knows exactly when a window rolls over. Each backend has its own tracker, as it would have its
 * own account.
 */
import type { BackendQuota, Dialect, EmulatorSettings } from './options';
import type { RateLimitSnapshot } from './rateLimitHeaders';

export type QuotaWindow = 'minute' | 'day' | '5h' | 'week';

const MINUTE = 60_000;
const DAY = 86_400_000;
const FIVE_HOURS = 5 * 3_600_000;
const WEEK = 7 * DAY;
/** Alibaba's Coding Plan week starts Monday 00:00 UTC+8. */
const UTC_PLUS_8 = 8 * 3_600_000;

/** Monday 00:00 UTC+8 at or before `now`. */
export function planWeekStart(now: number): number {
  const days = Math.floor((now + UTC_PLUS_8) / DAY);
  // 1970-01-01 was a Thursday: (days + 4) % 7 is 0 on Sundays.
  const sinceMonday = (((days + 4) % 7) + 6) % 7;
  return (days - sinceMonday) * DAY - UTC_PLUS_8;
}
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
  /** Admitted requests of the last week, for a plan's rolling 5 hours and its week. */
  private recent: { time: number; tokens: number }[] = [];

  constructor(
    private readonly settings: () => BackendQuota,
    private readonly now: () => number,
  ) {}

  /** Counts one generation request; returns the window that refused it, if one did (then nothing is counted). */
  admit(tokens: number): QuotaWindow | undefined {
    this.roll();
    const { requestsPerMinute, requestsPerDay, requestsPer5h, requestsPerWeek } = this.settings();
    if (requestsPerWeek !== undefined && this.used('week') >= requestsPerWeek) return 'week';
    if (requestsPer5h !== undefined && this.used('5h') >= requestsPer5h) return '5h';
    if (requestsPerDay !== undefined && this.day.requests >= requestsPerDay) return 'day';
    if (requestsPerMinute !== undefined && this.minute.requests >= requestsPerMinute) return 'minute';
    for (const counter of [this.minute, this.day]) {
      counter.requests += 1;
      counter.tokens += tokens;
    }
    this.recent.push({ time: this.now(), tokens });
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

  /**
   * When the window ends, in ms since the epoch. For the rolling 5 hours: when the oldest
   * request in it falls out (5 hours from now when it is empty).
   */
  resetAt(window: QuotaWindow): number {
    if (window === '5h') return (this.inWindow('5h')[0]?.time ?? this.now()) + FIVE_HOURS;
    if (window === 'week') return planWeekStart(this.now()) + WEEK;
    const size = window === 'day' ? DAY : MINUTE;
    return (Math.floor(this.now() / size) + 1) * size;
  }

  /** Tokens admitted in the last 5 hours. */
  tokensIn5h(): number {
    return this.inWindow('5h').reduce((sum, entry) => sum + entry.tokens, 0);
  }

  private inWindow(window: '5h' | 'week'): { time: number; tokens: number }[] {
    const now = this.now();
    const from = window === '5h' ? now - FIVE_HOURS : planWeekStart(now) - 1;
    this.recent = this.recent.filter((entry) => entry.time > now - WEEK - DAY);
    return this.recent.filter((entry) => entry.time > from);
  }

  /** Whole seconds until the window ends, at least 1 (what `retry-after` carries). */
  retryAfterSeconds(window: QuotaWindow): number {
    return Math.max(1, Math.ceil((this.resetAt(window) - this.now()) / 1000));
  }

  /** How many requests the window has admitted so far. */
  used(window: QuotaWindow): number {
    if (window === '5h' || window === 'week') return this.inWindow(window).length;
    this.roll();
    return window === 'day' ? this.day.requests : this.minute.requests;
  }

  reset(): void {
    this.minute = { window: -1, requests: 0, tokens: 0 };
    this.day = { window: -1, requests: 0, tokens: 0 };
    this.recent = [];
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
    requestsPer5h: own.requestsPer5h,
    requestsPerWeek: own.requestsPerWeek,
    tokensPerMinute: own.tokensPerMinute ?? settings.tokensPerMinute,
    quotaStyle: own.quotaStyle ?? settings.quotaStyle,
    quotaMessage: own.quotaMessage,
  };
}

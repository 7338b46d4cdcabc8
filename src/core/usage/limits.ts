/**
 * Where a backend stands against every limit we know of: the user's own (requests per minute and
 * day, dollars or yuan per day and month, each in its own currency), the quotas its preset publishes, the rate-limit headers it
 * sent, and the last hard failure (a quota, balance or key refused by the server itself).
 */
import type { PublishedQuota } from '../providers/presets';
import { isBlockingKind, type ProviderErrorKind } from '../providers/providerError';
import type { RateLimitSnapshot } from '../providers/rateLimitHeaders';
import type { Balance } from './balances';
import type { FreeQuotaReading } from './freeQuota';
import type { PlanWindowReading } from './planWindows';
import type { Amounts, Currency } from './money';

export type Level = 'ok' | 'warning' | 'exhausted';

export type LimitKind =
  | 'requests-per-minute'
  | 'requests-per-day'
  | 'usd-per-day'
  | 'usd-per-month'
  | 'cny-per-day'
  | 'cny-per-month'
  | 'server-requests'
  | 'server-tokens'
  | 'balance'
  /** A subscription plan's window (5 h, week, month), counted here or told by the provider. */
  | 'plan-window'
  /** OpenRouter's account-wide allowance of `:free` requests per UTC day, as its key endpoint tells. */
  | 'free-requests-per-day'
  /** A free allowance of tokens for one model (Model Studio's new-user quota), counted here. */
  | 'free-tokens';

export interface LimitReading {
  kind: LimitKind;
  used: number;
  limit: number;
  /** used / limit, 0 when the limit is 0 and nothing was used. */
  fraction: number;
  /** Epoch ms when the window resets, when known. */
  resetsAt?: number;
  source: 'settings' | 'preset' | 'server';
  /**
   * For budgets: the currency of `used` and `limit` (micro-units). For balances: the currency of
   * `used` and `limit` (in its units, not micros).
   */
  currency?: string;
  /** For a balance with no cap: `limit` is what is left, and `fraction` only says low or empty. */
  uncapped?: boolean;
  /** For a plan window: "in 5 h", "this week", "this month". */
  window?: string;
  /** For a plan window: what is counted; 'percent' when the provider tells only a share. */
  unit?: PlanWindowReading['unit'];
  /** For a free allowance: the model it is for. */
  model?: string;
  /**
   * For a server's own count: when the response carrying it was read. Requests sent since are not
   * in `used` yet.
   */
  observedAt?: number;
}

/** A failure that says the backend will not serve until something changes. */
export interface HardFailure {
  kind: ProviderErrorKind;
  message: string;
  at: number;
  resetsAt?: number;
}

export interface BackendUsage {
  requestsLastMinute: number;
  /** Requests the model ran today (UTC): one the server refused or that was never sent used none of a daily quota. */
  requestsToday: number;
  /** Spend per currency; a budget only ever compares against its own currency. */
  costToday: Amounts;
  costMonth: Amounts;
}

/** A spending limit in one currency, per day and per month. */
export interface Budgets {
  usdPerDay?: number;
  usdPerMonth?: number;
  cnyPerDay?: number;
  cnyPerMonth?: number;
}

export interface LimitInputs {
  limits: { requestsPerMinute?: number; requestsPerDay?: number } & Budgets;
  presetQuota?: PublishedQuota;
  usage: BackendUsage;
  rateLimit?: RateLimitSnapshot;
  balance?: Balance;
  /** The last quota, balance or auth failure since the last success. */
  failure?: HardFailure;
  /** The plan's windows: the provider's own figures when it tells them, else the local count. */
  planWindows?: readonly PlanWindowReading[];
  /** Where the plan's figures come from. */
  planSource?: 'preset' | 'settings' | 'server';
  /** OpenRouter's `:free` daily allowance, for a backend that uses a `:free` model. */
  freeDaily?: { used: number; limit: number; resetsAt: number };
  /** Free token allowances per model and where they stand. */
  freeTokens?: readonly FreeQuotaReading[];
  now: number;
}

export interface LimitState {
  level: Level;
  readings: LimitReading[];
  /** The reading or failure that decides the level, when it is not ok. */
  worst?: LimitReading;
  failure?: HardFailure;
}

/** From this share of a limit on, the status bar warns. */
export const WARNING_FRACTION = 0.8;
const DAY_MS = 86_400_000;
/** The highest share a warning-only reading reports: a warning, never "exhausted". */
const NOT_BLOCKING = 0.999;
/** Below this much (dollars, yuan…) left, an uncapped balance warns. */
const LOW_BALANCE = 1;

export function nextUtcMidnight(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
}

export function nextUtcMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function reading(
  kind: LimitKind,
  used: number,
  limit: number,
  source: LimitReading['source'],
  resetsAt?: number,
): LimitReading {
  const fraction = limit > 0 ? used / limit : used > 0 ? Infinity : 0;
  return { kind, used, limit, fraction, source, ...(resetsAt !== undefined && { resetsAt }) };
}

export function evaluateLimits(inputs: LimitInputs): LimitState {
  const { limits, presetQuota, usage, rateLimit, now } = inputs;
  const readings: LimitReading[] = [];
  const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
  // The user's limit wins over the published one: they know their plan.
  const perMinute = limits.requestsPerMinute ?? presetQuota?.requestsPerMinute;
  if (perMinute !== undefined)
    readings.push(
      reading(
        'requests-per-minute',
        usage.requestsLastMinute,
        perMinute,
        limits.requestsPerMinute !== undefined ? 'settings' : 'preset',
        minute,
      ),
    );
  // The provider's own daily figure replaces the published one (OpenRouter's depends on credits bought).
  const perDay = limits.requestsPerDay ?? (inputs.freeDaily ? undefined : presetQuota?.requestsPerDay);
  if (perDay !== undefined)
    readings.push(
      reading(
        'requests-per-day',
        usage.requestsToday,
        perDay,
        limits.requestsPerDay !== undefined ? 'settings' : 'preset',
        nextUtcMidnight(now),
      ),
    );
  const budgets: [LimitKind, number | undefined, Currency, 'day' | 'month'][] = [
    ['usd-per-day', limits.usdPerDay, 'USD', 'day'],
    ['usd-per-month', limits.usdPerMonth, 'USD', 'month'],
    ['cny-per-day', limits.cnyPerDay, 'CNY', 'day'],
    ['cny-per-month', limits.cnyPerMonth, 'CNY', 'month'],
  ];
  for (const [kind, amount, currency, period] of budgets) {
    if (amount === undefined) continue;
    const spent = (period === 'day' ? usage.costToday : usage.costMonth)[currency] ?? 0;
    const resets = period === 'day' ? nextUtcMidnight(now) : nextUtcMonth(now);
    readings.push({ ...reading(kind, spent, Math.round(amount * 1_000_000), 'settings', resets), currency });
  }
  for (const [kind, window] of [
    ['server-requests', rateLimit?.requests],
    ['server-tokens', rateLimit?.tokens],
  ] as const) {
    // A server window that has already reset says nothing about now.
    if (window?.limit === undefined || window.remaining === undefined) continue;
    if (window.resetAt !== undefined && window.resetAt <= now) continue;
    readings.push({
      ...reading(kind, window.limit - window.remaining, window.limit, 'server', window.resetAt),
      ...(rateLimit && { observedAt: rateLimit.observedAt }),
    });
  }
  for (const window of inputs.planWindows ?? []) {
    readings.push({
      ...reading('plan-window', window.used, window.limit, inputs.planSource ?? 'preset', window.resetsAt),
      fraction: window.fraction,
      window: window.window,
      ...(window.unit && { unit: window.unit }),
    });
  }
  if (inputs.freeDaily)
    readings.push(
      reading(
        'free-requests-per-day',
        inputs.freeDaily.used,
        inputs.freeDaily.limit,
        'server',
        inputs.freeDaily.resetsAt,
      ),
    );
  for (const free of inputs.freeTokens ?? []) {
    // Past the allowance calls are billed, not refused (unless "Free Quota Only" is on, which the
    // server then says): a spent allowance warns, it never blocks on its own.
    const share = free.limit > 0 ? free.used / free.limit : 1;
    readings.push({
      ...reading('free-tokens', free.used, free.limit, 'settings'),
      fraction: Math.min(share, NOT_BLOCKING),
      model: free.model,
    });
  }
  const balance = inputs.balance;
  if (balance) {
    if (balance.limit !== undefined && balance.used !== undefined) {
      readings.push({
        ...reading('balance', balance.used, balance.limit, 'server', balance.resetsAt),
        currency: balance.currency,
      });
    } else if (balance.remaining !== undefined) {
      // An uncapped balance has no share to speak of: warn under one unit of currency left, stop at zero.
      const fraction =
        !balance.available || balance.remaining <= 0 ? 1 : balance.remaining < LOW_BALANCE ? WARNING_FRACTION : 0;
      readings.push({
        kind: 'balance',
        used: 0,
        limit: balance.remaining,
        fraction,
        source: 'server',
        currency: balance.currency,
        uncapped: true,
      });
    }
  }
  const worst = readings.reduce<LimitReading | undefined>(
    (top, next) => (!top || next.fraction > top.fraction ? next : top),
    undefined,
  );
  const failure =
    inputs.failure &&
    isBlockingKind(inputs.failure.kind) &&
    !(inputs.failure.resetsAt !== undefined && inputs.failure.resetsAt <= now)
      ? inputs.failure
      : undefined;
  const level: Level =
    failure || (worst && worst.fraction >= 1)
      ? 'exhausted'
      : worst && worst.fraction >= WARNING_FRACTION
        ? 'warning'
        : 'ok';
  return { level, readings, ...(worst && level !== 'ok' && { worst }), ...(failure && { failure }) };
}

/**
 * When a limit runs out at the pace since `windowStart`: "the daily quota runs out around 15:40".
 * Undefined when there is no pace yet or it will not run out before the window resets.
 */
export function projectExhaustion(reading: LimitReading, windowStart: number, now: number): number | undefined {
  if (reading.used <= 0 || reading.fraction >= 1 || now <= windowStart) return undefined;
  const perMs = reading.used / (now - windowStart);
  const at = now + (reading.limit - reading.used) / perMs;
  return reading.resetsAt !== undefined && at >= reading.resetsAt ? undefined : at;
}

/** The plan windows among a state's readings, as the status bar text needs them. */
export function planWindowReadings(state: LimitState | undefined): PlanWindowReading[] {
  return (state?.readings ?? []).flatMap((r) =>
    r.kind === 'plan-window'
      ? [
          {
            window: r.window ?? '',
            used: r.used,
            limit: r.limit,
            fraction: r.fraction,
            ...(r.resetsAt !== undefined && { resetsAt: r.resetsAt }),
            ...(r.unit && { unit: r.unit }),
          },
        ]
      : [],
  );
}

/**
 * A provider's free allowance of tokens for one model, valid until a date: Model Studio's
 * new-user free quota (about 1M tokens per model, 90 days, Singapore only). Switchboard counts
 * what it sent to that model since `since` and warns before the allowance runs out; past it, calls
 * are billed pay-as-you-go, or fail with 403 AllocationQuota.FreeTierOnly when "Free Quota Only" is on.
 */

export interface FreeQuotaSetting {
  model: string;
  /** The allowance in tokens (input and output together), or what the console showed as left on `since`. */
  tokens: number;
  /** The last day it is valid, `YYYY-MM-DD` (UTC). */
  until: string;
  /** The first day to count from, `YYYY-MM-DD`; by default 90 days before `until`. */
  since?: string;
}

export interface FreeQuotaReading {
  model: string;
  used: number;
  limit: number;
  remaining: number;
  /** End of the `until` day (ms). */
  expiresAt: number;
}

const DAY_MS = 86_400_000;
/** Model Studio's validity for activations since 2025-09-08. */
const VALIDITY_DAYS = 90;

export function isIsoDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

/** Where each still-valid allowance stands; `tokensSince` sums a model's input and output tokens from a UTC day on. */
export function freeQuotaReadings(
  quotas: readonly FreeQuotaSetting[],
  tokensSince: (model: string, fromDay: string) => number,
  now: number,
): FreeQuotaReading[] {
  return quotas.flatMap((quota) => {
    const expiresAt = Date.parse(`${quota.until}T00:00:00Z`) + DAY_MS;
    if (!Number.isFinite(expiresAt) || now >= expiresAt) return [];
    const since = quota.since ?? new Date(expiresAt - VALIDITY_DAYS * DAY_MS).toISOString().slice(0, 10);
    const used = tokensSince(quota.model, since);
    return [{ model: quota.model, used, limit: quota.tokens, remaining: Math.max(0, quota.tokens - used), expiresAt }];
  });
}

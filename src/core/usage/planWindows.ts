/**
 * The request windows of a subscription plan (Alibaba's Coding Plan, Z.ai's GLM Coding Plan):
 * a rolling window of some hours, a week that resets at a fixed local time, a month that resets
 * on a fixed day. Counted from the finish times of the plan's requests, as the ledger records
 * them for every window of VS Code.
 */
import { daysInMonth, wallTime, zonedEpoch } from './zonedTime';

/** A fixed reset: a weekday (0 = Sunday) or a day of the month, at an hour, in a time zone. */
export interface FixedReset {
  hour: number;
  timeZone: string;
}

export type PlanWindow =
  /**
   * The last `hours` hours. Counted as a sliding window: never less than a window that starts
   * with the first request and resets `hours` later, so it can only warn early, never late.
   */
  | { kind: 'rolling'; hours: number; limit: number }
  | { kind: 'weekly'; limit: number; reset: FixedReset & { weekday: number } }
  /** `day` past the month's end means its last day. */
  | { kind: 'monthly'; limit: number; reset: FixedReset & { day: number } };

export interface WindowCount {
  window: PlanWindow;
  /** "5 h", "this week", "this month". */
  label: string;
  used: number;
  limit: number;
  fraction: number;
  /** When the window opened (ms). */
  start: number;
  /**
   * When the count next goes down (ms): for a fixed window its end; for a rolling one the moment
   * a request falls out of it, or, at or over the limit, the moment one can be sent again.
   * Undefined for an empty rolling window.
   */
  resetsAt?: number;
}

const HOUR_MS = 3_600_000;

export function windowLabel(window: PlanWindow): string {
  if (window.kind === 'rolling') return `${window.hours} h`;
  return window.kind === 'weekly' ? 'this week' : 'this month';
}

/** The fixed window around `now`: [start, end). */
export function fixedBounds(
  window: Exclude<PlanWindow, { kind: 'rolling' }>,
  now: number,
): { start: number; end: number } {
  const { hour, timeZone } = window.reset;
  const wall = wallTime(now, timeZone);
  if (window.kind === 'weekly') {
    const back = (wall.weekday - window.reset.weekday + 7) % 7;
    let day = wall.day - back;
    if (zonedEpoch(timeZone, wall.year, wall.month, day, hour) > now) day -= 7;
    return {
      start: zonedEpoch(timeZone, wall.year, wall.month, day, hour),
      end: zonedEpoch(timeZone, wall.year, wall.month, day + 7, hour),
    };
  }
  const resetIn = (year: number, month: number) => {
    // Date.UTC rolls month 0 and 13 over into the neighbouring years.
    const first = new Date(Date.UTC(year, month - 1, 1));
    const y = first.getUTCFullYear();
    const m = first.getUTCMonth() + 1;
    return zonedEpoch(timeZone, y, m, Math.min(window.reset.day, daysInMonth(y, m)), hour);
  };
  let month = wall.month;
  if (resetIn(wall.year, month) > now) month -= 1;
  return { start: resetIn(wall.year, month), end: resetIn(wall.year, month + 1) };
}

/** First index whose time is above `after`, in ascending `times`. */
function firstAfter(times: readonly number[], after: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] ?? 0) > after) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Where one window stands at `now`, from the plan's request times in ascending order. */
export function countWindow(window: PlanWindow, times: readonly number[], now: number): WindowCount {
  const label = windowLabel(window);
  const end = firstAfter(times, now);
  let start: number;
  let from: number;
  let resetsAt: number | undefined;
  if (window.kind === 'rolling') {
    const span = window.hours * HOUR_MS;
    start = now - span;
    from = firstAfter(times, start);
    const used = end - from;
    // At the limit, one request can go again when the (used - limit + 1)-th oldest falls out.
    const freeing = from + Math.max(0, used - window.limit);
    const oldest = times[freeing];
    resetsAt = used > 0 && oldest !== undefined ? oldest + span : undefined;
  } else {
    const bounds = fixedBounds(window, now);
    start = bounds.start;
    from = firstAfter(times, start - 1);
    resetsAt = bounds.end;
  }
  const used = end - from;
  const fraction = window.limit > 0 ? used / window.limit : used > 0 ? Infinity : 0;
  return { window, label, used, limit: window.limit, fraction, start, ...(resetsAt !== undefined && { resetsAt }) };
}

/** "14:20", or "Mon 14:20" when not within the next 24 hours, in the user's (or the given) zone. */
export function localClock(at: number, now: number, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
  const time = new Intl.DateTimeFormat('en-GB', options).format(new Date(at));
  if (at - now < 86_400_000) return time;
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(
    new Date(at),
  );
  return `${day} ${time}`;
}

/** A plan window as the status bar needs it, counted here or told by the provider. */
export interface PlanWindowReading {
  /** "in 5 h", "this week", "this month". */
  window: string;
  used: number;
  limit: number;
  fraction: number;
  resetsAt?: number;
  /** 'percent' when the provider tells only a share: then `used` is the percentage of 100. */
  unit?: 'requests' | 'prompts' | 'tokens' | 'percent';
}

/** "in 5 h" for a rolling window, "this week", "this month". */
export function windowPhrase(count: WindowCount): string {
  return count.window.kind === 'rolling' ? `in ${count.label}` : count.label;
}

/**
 * The window closest to its limit: the one worth showing. On a tie the first wins, and plans list
 * their shortest window first (5 h, then the week, then the month), which is the one that bites first.
 */
export function nearestWindow<T extends { fraction: number }>(readings: readonly T[]): T | undefined {
  return readings.reduce<T | undefined>(
    (best, next) => (!best || next.fraction > best.fraction ? next : best),
    undefined,
  );
}

/**
 * "Coding Plan · 312 / 6,000 in 5 h · resets 14:20" (local time): the plan's nearest window, for
 * the status bar. `timeZone` is for tests; the editor shows the machine's own zone.
 */
export function nearestWindowText(
  planLabel: string,
  readings: readonly PlanWindowReading[],
  now: number,
  timeZone?: string,
): string | undefined {
  const nearest = nearestWindow(readings);
  if (!nearest) return undefined;
  const count = (n: number) => n.toLocaleString('en-US');
  const figure =
    nearest.unit === 'percent' ? `${Math.round(nearest.used)}%` : `${count(nearest.used)} / ${count(nearest.limit)}`;
  const reset = nearest.resetsAt !== undefined ? ` · resets ${localClock(nearest.resetsAt, now, timeZone)}` : '';
  return `${planLabel} · ${figure} ${nearest.window}${reset}`;
}

/**
 * The status bar's plan text. After the server refused the plan's quota, its own count wins where
 * the local one is below the limit (the same key used by other tools or machines counts there
 * too): "Coding Plan · quota used up", with the reset only where the server gave one. Undefined
 * after any other refusal (a refused key says more than the window does).
 */
export function planStatusText(
  planLabel: string,
  readings: readonly PlanWindowReading[],
  failure: { kind: string; resetsAt?: number } | undefined,
  now: number,
  timeZone?: string,
): string | undefined {
  if (failure && failure.kind !== 'quota-exhausted') return undefined;
  if (failure && !readings.some((reading) => reading.fraction >= 1)) {
    const reset = failure.resetsAt !== undefined ? ` · resets ${localClock(failure.resetsAt, now, timeZone)}` : '';
    return `${planLabel} · quota used up${reset}`;
  }
  return nearestWindowText(planLabel, readings, now, timeZone);
}

/** Every window of a plan as readings, from its request times. */
export function planReadings(
  windows: readonly PlanWindow[],
  times: readonly number[],
  now: number,
  unit: PlanWindowReading['unit'],
): PlanWindowReading[] {
  return windows.map((window) => {
    const count = countWindow(window, times, now);
    return {
      window: windowPhrase(count),
      used: count.used,
      limit: count.limit,
      fraction: count.fraction,
      ...(count.resetsAt !== undefined && { resetsAt: count.resetsAt }),
      ...(unit && { unit }),
    };
  });
}

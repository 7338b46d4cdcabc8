/**
 * The periods the meter's figures cover ("today", "this month", "since a quota's day", "in the
 * last minute"), as the UTC days `Rollups.sum` takes or as a test on a request's time.
 *
 * Each period has an end. A record is timed by the clock of the machine that wrote it, and a
 * machine sharing the folder may run ahead (or a line be garbled): such a record counts in the
 * day and month its time falls in, when they come, never in the current ones, and in no rolling
 * window before its time. Otherwise one line dated next year would count against this month's
 * budget now, and block until then.
 */
import { utcDay } from './rollups';

const MINUTE_MS = 60_000;

/** UTC days, both ends included. */
export interface DaySpan {
  fromDay: string;
  toDay: string;
}

/** Today (UTC). */
export function todaySpan(now: number): DaySpan {
  const day = utcDay(now);
  return { fromDay: day, toDay: day };
}

/** This calendar month (UTC). */
export function monthSpan(now: number): DaySpan {
  const date = new Date(now);
  const [year, month] = [date.getUTCFullYear(), date.getUTCMonth()];
  // Day 0 of the next month is this month's last.
  return { fromDay: utcDay(Date.UTC(year, month, 1)), toDay: utcDay(Date.UTC(year, month + 1, 0)) };
}

/** From `fromDay` to today (UTC). */
export function sinceSpan(fromDay: string, now: number): DaySpan {
  return { fromDay, toDay: utcDay(now) };
}

/** Whether a request that finished at `time` is one of the last minute's at `now`. */
export function inLastMinute(time: number, now: number): boolean {
  return time > now - MINUTE_MS && time <= now;
}

/**
 * Whether to keep a request's time for the last-minute count: one in it, or due in it within the
 * minute (a clock a few seconds ahead); one further ahead would be held forever, for nothing.
 */
export function keepForLastMinute(time: number, now: number): boolean {
  return time > now - MINUTE_MS && time <= now + MINUTE_MS;
}

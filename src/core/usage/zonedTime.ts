/**
 * Wall-clock time in a named time zone (IANA, e.g. "Asia/Shanghai"), for limits that reset at a
 * fixed local time. Built on Intl, so daylight-saving rules come from the runtime's ICU data.
 */

export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** True when the runtime knows the zone; settings are checked with this before any use. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `epoch` (ms). */
export function wallTime(epoch: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epoch))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return {
    year,
    month,
    day,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** How far the zone's clock is ahead of UTC at `epoch`, in ms. */
function offsetAt(epoch: number, timeZone: string): number {
  const wall = wallTime(epoch, timeZone);
  const seconds = Math.floor(epoch / 1000) * 1000;
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    new Date(seconds).getUTCSeconds(),
  );
  return asUtc - seconds;
}

/**
 * The instant a wall-clock time happens in `timeZone`. Out-of-range days and months roll over
 * (day 0 is the last day of the month before). A time skipped by a daylight-saving jump lands
 * one jump later (02:30 becomes 03:30); a time that happens twice is its first occurrence.
 */
export function zonedEpoch(timeZone: string, year: number, month: number, day: number, hour = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  // The zone's offsets a day either side of the guess and at it: the instant is the guess less one
  // of them. Both sides are needed: west of UTC the instant comes after the guess, east before it,
  // and a change of offset can fall between the guess and the instant.
  const tries = [asUtc - 86_400_000, asUtc, asUtc + 86_400_000].map((at) => asUtc - offsetAt(at, timeZone));
  const candidates = tries.filter((epoch) => {
    const wall = wallTime(epoch, timeZone);
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) === asUtc;
  });
  if (candidates.length) return Math.min(...candidates);
  // Skipped (spring forward): that reading never shows on the clock; the earlier offset puts it
  // one jump later.
  return Math.max(...tries);
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

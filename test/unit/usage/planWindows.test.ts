import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../harness/fakeClock';
import {
  countWindow,
  fixedBounds,
  nearestWindowText,
  planStatusText,
  windowPhrase,
  type PlanWindow,
  type WindowCount,
} from '../../../src/core/usage/planWindows';
import { zonedEpoch } from '../../../src/core/usage/zonedTime';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Alibaba's Coding Plan Pro: 6,000 / 5 h, 45,000 / week from Monday 00:00 UTC+8, 90,000 / month. */
const ROLLING: PlanWindow = { kind: 'rolling', hours: 5, limit: 6000 };
const WEEKLY: PlanWindow = { kind: 'weekly', limit: 45_000, reset: { weekday: 1, hour: 0, timeZone: 'Asia/Shanghai' } };
const MONTHLY: PlanWindow = { kind: 'monthly', limit: 90_000, reset: { day: 1, hour: 0, timeZone: 'Asia/Shanghai' } };

describe('plan windows: rolling 5 hours on a fake clock', () => {
  it('counts what finished in the last five hours and lets the oldest fall out', async () => {
    const clock = new FakeClock(undefined, at('2026-12-05T09:00:00Z'));
    const times: number[] = [];
    // One request every 30 minutes for 6 hours: 13 requests, from 09:00 to 15:00.
    for (let i = 0; i <= 12; i++) {
      times.push(clock.now());
      if (i < 12) await clock.advance(30 * MINUTE);
    }
    const now = clock.now();
    const count = countWindow(ROLLING, times, now);
    // 10:00 (exactly five hours back) is out; 10:30 … 15:00 are in.
    assert.equal(count.used, 10);
    assert.equal(count.start, now - 5 * HOUR);
    assert.equal(count.resetsAt, at('2026-12-05T10:30:00Z') + 5 * HOUR, 'the oldest counted request leaves at 15:30');
    await clock.advance(30 * MINUTE);
    assert.equal(countWindow(ROLLING, times, clock.now()).used, 9);
  });

  it('across midnight and a day boundary nothing resets: the window slides', () => {
    const times = [at('2026-12-05T22:00:00Z'), at('2026-12-05T23:59:00Z'), at('2026-12-06T00:01:00Z')];
    assert.equal(countWindow(ROLLING, times, at('2026-12-06T02:00:00Z')).used, 3);
    assert.equal(countWindow(ROLLING, times, at('2026-12-06T03:00:00Z')).used, 2);
  });

  it('at the limit, "resets" is when one request can go again', () => {
    const window: PlanWindow = { kind: 'rolling', hours: 5, limit: 3 };
    const times = [0, 1, 2, 3, 4].map((i) => at('2026-12-05T08:00:00Z') + i * HOUR);
    const count = countWindow(window, times, at('2026-12-05T12:30:00Z'));
    assert.equal(count.used, 5);
    assert.ok(count.fraction > 1);
    // Five in the window, three allowed: the third oldest (10:00) must leave first, at 15:00.
    assert.equal(count.resetsAt, at('2026-12-05T15:00:00Z'));
  });

  it('an empty window is 0 with no reset time', () => {
    const count = countWindow(ROLLING, [], at('2026-12-05T12:00:00Z'));
    assert.equal(count.used, 0);
    assert.equal(count.fraction, 0);
    assert.equal(count.resetsAt, undefined);
  });
});

describe('plan windows: the week resets Monday 00:00 in Asia/Shanghai (UTC+8)', () => {
  it('a request on Sunday 15:59 UTC is last week; one at 16:00 UTC (Monday 00:00 in Beijing) is this week', () => {
    // 2026-12-06 is a Sunday; Monday 00:00 UTC+8 is Sunday 16:00 UTC.
    const times = [at('2026-12-06T15:59:00Z'), at('2026-12-06T16:00:00Z'), at('2026-12-07T03:00:00Z')];
    const now = at('2026-12-07T04:00:00Z');
    const count = countWindow(WEEKLY, times, now);
    assert.equal(count.start, at('2026-12-06T16:00:00Z'));
    assert.equal(count.resetsAt, at('2026-12-13T16:00:00Z'));
    assert.equal(count.used, 2);
  });

  it('just before the reset the whole week counts; at the reset it starts again', async () => {
    const clock = new FakeClock(undefined, at('2026-12-06T15:00:00Z'));
    const times = [at('2026-11-30T00:00:00Z'), at('2026-12-03T12:00:00Z'), at('2026-12-06T14:00:00Z')];
    assert.equal(countWindow(WEEKLY, times, clock.now()).used, 3);
    await clock.advance(HOUR);
    assert.equal(countWindow(WEEKLY, times, clock.now()).used, 0);
  });

  it('in a zone with daylight saving, a week spanning the change is 167 or 169 hours', () => {
    const newYork: PlanWindow = {
      kind: 'weekly',
      limit: 100,
      reset: { weekday: 1, hour: 0, timeZone: 'America/New_York' },
    };
    // Clocks go forward on Sunday 2026-03-08: the week from Monday 03-02 is an hour short.
    const spring = fixedBounds(newYork, at('2026-03-07T12:00:00Z'));
    assert.equal(spring.start, at('2026-03-02T05:00:00Z'));
    assert.equal(spring.end, at('2026-03-09T04:00:00Z'));
    assert.equal(spring.end - spring.start, 167 * HOUR);
    // Back on Sunday 2026-11-01: the week from Monday 10-26 is an hour long.
    const autumn = fixedBounds(newYork, at('2026-10-30T12:00:00Z'));
    assert.equal(autumn.end - autumn.start, 169 * HOUR);
    assert.equal(autumn.end, at('2026-11-02T05:00:00Z'));
  });

  it('a reset at an hour the spring change skips still happens once, after the jump', () => {
    const window: PlanWindow = {
      kind: 'weekly',
      limit: 10,
      reset: { weekday: 0, hour: 2, timeZone: 'America/New_York' },
    };
    const bounds = fixedBounds(window, at('2026-03-08T12:00:00Z'));
    // 02:00 does not exist that Sunday; the reset is at 03:00 EDT (07:00 UTC).
    assert.equal(bounds.start, at('2026-03-08T07:00:00Z'));
    assert.equal(bounds.end, at('2026-03-15T06:00:00Z'));
  });
});

describe('plan windows: the month', () => {
  it('resets on the first at 00:00 in the plan zone, across the year end', () => {
    const times = [at('2026-12-31T15:59:00Z'), at('2026-12-31T16:00:00Z')];
    // 2027-01-01 00:00 in Beijing is 2026-12-31 16:00 UTC.
    const count = countWindow(MONTHLY, times, at('2026-12-31T18:00:00Z'));
    assert.equal(count.start, at('2026-12-31T16:00:00Z'));
    assert.equal(count.resetsAt, at('2027-01-31T16:00:00Z'));
    assert.equal(count.used, 1);
  });

  it('a reset day past the month end falls on its last day', () => {
    const window: PlanWindow = { kind: 'monthly', limit: 10, reset: { day: 31, hour: 0, timeZone: 'UTC' } };
    const bounds = fixedBounds(window, at('2027-03-10T00:00:00Z'));
    assert.equal(bounds.start, at('2027-02-28T00:00:00Z'));
    assert.equal(bounds.end, at('2027-03-31T00:00:00Z'));
  });

  it('a month across the autumn change in Europe/Berlin is 31 days and one hour', () => {
    const window: PlanWindow = { kind: 'monthly', limit: 10, reset: { day: 15, hour: 9, timeZone: 'Europe/Berlin' } };
    const bounds = fixedBounds(window, at('2026-10-20T00:00:00Z'));
    assert.equal(bounds.start, at('2026-10-15T07:00:00Z'));
    assert.equal(bounds.end, at('2026-11-15T08:00:00Z'));
  });
});

describe('zonedEpoch', () => {
  it('an hour that happens twice is its first occurrence', () => {
    assert.equal(zonedEpoch('America/New_York', 2026, 11, 1, 1), at('2026-11-01T05:00:00Z'));
  });

  it('gives the asked wall hour on every hour of the days the clocks change, east and west of UTC', () => {
    const zones = ['America/Los_Angeles', 'America/New_York', 'America/Santiago', 'Europe/Berlin', 'Australia/Sydney'];
    const hourThere = (epoch: number, timeZone: string) =>
      Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(epoch));
    const wrong: string[] = [];
    for (const timeZone of zones)
      for (let month = 1; month <= 12; month++)
        for (let day = 1; day <= 31; day++)
          for (let hour = 0; hour < 24; hour++) {
            const epoch = zonedEpoch(timeZone, 2026, month, day, hour);
            // A skipped hour (spring forward) lands one hour later, as documented.
            const shown = hourThere(epoch, timeZone);
            const before = hourThere(epoch - HOUR, timeZone);
            const skipped = shown === (hour + 1) % 24 && before !== hour && hourThere(epoch - 1, timeZone) !== hour;
            if (shown !== hour && !skipped) wrong.push(`${timeZone} 2026-${month}-${day} ${hour}:00 -> ${shown}:00`);
          }
    assert.deepEqual(wrong, []);
  });

  it('a weekly reset at 09:00 Los Angeles time on the day summer time starts is at 09:00 PDT (16:00Z)', () => {
    // Sunday 2026-03-08: clocks went forward at 02:00; the reset hour itself is not skipped.
    assert.equal(zonedEpoch('America/Los_Angeles', 2026, 3, 8, 9), at('2026-03-08T16:00:00Z'));
    assert.equal(zonedEpoch('America/Los_Angeles', 2026, 11, 1, 5), at('2026-11-01T13:00:00Z'));
    // 02:30 does not happen that day: it lands an hour later, at 03:30 PDT.
    assert.equal(zonedEpoch('America/Los_Angeles', 2026, 3, 8, 2), at('2026-03-08T10:00:00Z'));
  });
});

const asReading = (count: WindowCount) => ({ ...count, window: windowPhrase(count) });

describe('nearestWindowText', () => {
  it('shows the window closest to its limit in local time', () => {
    const now = at('2026-12-05T10:00:00Z');
    const counts: WindowCount[] = [
      countWindow(
        ROLLING,
        Array.from({ length: 312 }, (_, i) => now - 60 * MINUTE + i),
        now,
      ),
      countWindow(
        WEEKLY,
        Array.from({ length: 312 }, (_, i) => now - 60 * MINUTE + i),
        now,
      ),
    ];
    const text = nearestWindowText('Coding Plan', counts.map(asReading), now, 'Europe/Berlin');
    // 312 requests from 09:00 UTC leave the 5 h window from 14:00 UTC, 15:00 in Berlin.
    assert.equal(text, 'Coding Plan · 312 / 6,000 in 5 h · resets 15:00');
  });

  it('a far reset names the day', () => {
    const now = at('2026-12-07T00:00:00Z');
    const counts = [countWindow({ ...WEEKLY, limit: 10 }, [now - 1000, now - 500, now - 100], now)];
    assert.equal(
      nearestWindowText('Coding Plan', counts.map(asReading), now, 'UTC'),
      'Coding Plan · 3 / 10 this week · resets Sun 13 Dec 16:00',
    );
  });
});

describe('nearestWindowText with a provider-told share', () => {
  it('shows the percentage when only a share is known', () => {
    const now = at('2026-12-05T10:00:00Z');
    const text = nearestWindowText(
      'GLM Coding Plan',
      [{ window: 'in 5 h', used: 32, limit: 100, fraction: 0.32, resetsAt: now + 2 * HOUR, unit: 'percent' }],
      now,
      'UTC',
    );
    assert.equal(text, 'GLM Coding Plan · 32% in 5 h · resets 12:00');
  });
});

describe('the nearest window with nothing used yet', () => {
  it('is the shortest one, the 5 hours', () => {
    const now = at('2026-12-05T10:00:00Z');
    const readings = [ROLLING, WEEKLY, MONTHLY].map((window) => asReading(countWindow(window, [], now)));
    assert.equal(nearestWindowText('Coding Plan', readings, now, 'UTC'), 'Coding Plan · 0 / 6,000 in 5 h');
  });
});

describe("the plan's status text after the server refused its quota", () => {
  const now = at('2026-12-05T10:00:00Z');
  const readings = () => [asReading(countWindow(ROLLING, [now - 60 * MINUTE, now - 30 * MINUTE], now))];

  it('says used up where the local count is below the limit: the server counts use elsewhere too', () => {
    const failure = { kind: 'quota-exhausted' };
    assert.equal(planStatusText('Coding Plan', readings(), failure, now, 'UTC'), 'Coding Plan · quota used up');
    // With the reset the server gave, that reset, not the local window's.
    assert.equal(
      planStatusText('Coding Plan', readings(), { ...failure, resetsAt: now + 2 * HOUR }, now, 'UTC'),
      'Coding Plan · quota used up · resets 12:00',
    );
  });

  it('keeps the window where the local count agrees, and says nothing of a plan whose key was refused', () => {
    const full = [asReading(countWindow({ ...ROLLING, limit: 2 }, [now - 60 * MINUTE, now - 30 * MINUTE], now))];
    assert.equal(
      planStatusText('Coding Plan', full, { kind: 'quota-exhausted' }, now, 'UTC'),
      'Coding Plan · 2 / 2 in 5 h · resets 14:00',
    );
    assert.equal(planStatusText('Coding Plan', readings(), { kind: 'auth' }, now, 'UTC'), undefined);
    assert.equal(
      planStatusText('Coding Plan', readings(), undefined, now, 'UTC'),
      'Coding Plan · 2 / 6,000 in 5 h · resets 14:00',
    );
  });
});

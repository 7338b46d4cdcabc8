import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionBackend,
} from '../../../src/core/completion/engine';
import {
  CompletionThrottle,
  DEFAULT_THROTTLE_SETTINGS,
  MAX_PAUSE_MS,
  SLOWED_PAUSE_MS,
  decideGear,
  gearText,
  type ThrottleSettings,
} from '../../../src/core/completion/throttle';
import type { LimitReading } from '../../../src/core/usage/limits';
import type { FimRequest } from '../../../src/core/providers/types';
import { FakeClock } from '../../harness/fakeClock';

/** 10:00:00 UTC on a Monday: minutes and days are whole. */
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

/** A per-minute window of `limit` requests with `used` spent, resetting at the next clock minute. */
function perMinute(used: number, now: number, limit = 30, kind: LimitReading['kind'] = 'requests-per-minute') {
  const reading: LimitReading = {
    kind,
    used,
    limit,
    fraction: used / limit,
    source: kind === 'server-requests' ? 'server' : 'preset',
    resetsAt: Math.floor(now / 60_000) * 60_000 + 60_000,
  };
  return reading;
}

const settings = (over: Partial<ThrottleSettings> = {}): ThrottleSettings => ({
  ...DEFAULT_THROTTLE_SETTINGS,
  ...over,
});

/** `count` request times spread evenly over the `spanMs` before `now`, the last at `now - 1`. */
function sentBefore(now: number, count: number, spanMs: number): number[] {
  return Array.from({ length: count }, (_, i) => now - 1 - Math.round((spanMs * i) / Math.max(1, count)));
}

describe('completion gears', () => {
  it('stays at full speed below the threshold when the pace lasts until the reset', () => {
    const now = T0 + 20_000;
    const decision = decideGear([perMinute(10, now)], now, sentBefore(now, 10, 20_000), settings());
    assert.equal(decision.gear, 'full');
    assert.equal(decision.pauseMs, 0);
    assert.equal(gearText(decision), undefined);
  });

  it('slows down before the threshold when the pace would eat into chat\u2019s share before the reset', () => {
    const now = T0 + 20_000;
    // 14 of 30 used, 40 s left; completion sent 20 in the last minute: at that pace 13 more, but only
    // 24 - 14 = 10 are completion's.
    const recent = sentBefore(now, 20, 59_000);
    const decision = decideGear([perMinute(14, now)], now, recent, settings());
    assert.equal(decision.gear, 'slowed');
    assert.equal(decision.why, 'pace');
    // The 10 left are spread over the 40 s: one every 4 s after the last request.
    assert.equal(decision.pauseMs, 4_000 - 1);
    assert.equal(gearText(decision), 'completion slowed · 46% of 30/min used');
    // Ten requests a minute at the same point lasts: full speed.
    assert.equal(decideGear([perMinute(14, now)], now, sentBefore(now, 10, 59_000), settings()).gear, 'full');
  });

  it('in a window longer than a quarter hour, asks about the pace only from half the threshold on', () => {
    const now = T0;
    const plan = (used: number): LimitReading => ({
      kind: 'plan-window',
      used,
      limit: 1_000,
      fraction: used / 1_000,
      source: 'preset',
      resetsAt: now + 3 * 3_600_000,
      window: 'in 5 h',
      unit: 'requests',
    });
    // A hundred requests in the last quarter hour would be 1,200 more by the reset.
    const burst = sentBefore(now, 100, 15 * 60_000 - 1_000);
    assert.equal(decideGear([plan(390)], now, burst, settings()).gear, 'full', '39% is below 40%');
    const decision = decideGear([plan(400)], now, burst, settings());
    assert.equal(decision.gear, 'slowed');
    assert.equal(decision.intervalMs, 27_000, '400 requests over 3 hours');
    // A minute's window is all lookback: its pace counts from the start.
    const later = now + 20_000;
    assert.equal(decideGear([perMinute(5, later)], later, sentBefore(later, 40, 59_000), settings()).gear, 'slowed');
  });

  it('never yields with switchboard.completion.yieldToChat off', () => {
    const now = T0 + 20_000;
    const off = settings({ enabled: false });
    assert.equal(decideGear([perMinute(29, now)], now, sentBefore(now, 40, 59_000), off).gear, 'full');
    assert.equal(gearText(decideGear([perMinute(29, now)], now, [], off)), undefined);
  });

  it('slows down past the threshold whatever the pace, keeping at least the least pause', () => {
    const now = T0 + 20_000;
    const chat10 = settings({ chatShare: 0.1 });
    assert.equal(decideGear([perMinute(23, now)], now, [], chat10).gear, 'full', '77% is below 80%');
    const decision = decideGear([perMinute(24, now)], now, [], chat10);
    assert.equal(decision.gear, 'slowed');
    assert.equal(decision.why, 'threshold');
    assert.equal(decision.pauseMs, SLOWED_PAUSE_MS);
    assert.equal(gearText(decision), 'completion slowed · 80% of 30/min used');
    // A lower threshold slows earlier.
    assert.equal(decideGear([perMinute(18, now)], now, [], settings({ threshold: 0.6 })).gear, 'slowed');
  });

  it('goes manual-only once only chat\u2019s share of the window is left', () => {
    const now = T0 + 20_000;
    assert.equal(decideGear([perMinute(23, now)], now, [], settings()).gear, 'full');
    const decision = decideGear([perMinute(24, now)], now, [], settings());
    assert.equal(decision.gear, 'manual');
    assert.equal(decision.why, 'reserve');
    assert.equal(gearText(decision), 'completion on Alt+\\ only · 80% of 30/min used');
    // A larger share for chat stops completion earlier.
    assert.equal(decideGear([perMinute(18, now)], now, [], settings({ chatShare: 0.4 })).gear, 'manual');
    // A spent window, of course.
    assert.equal(decideGear([perMinute(30, now)], now, [], settings({ chatShare: 0 })).gear, 'manual');
  });

  it('counts its own requests sent since the server last told its count: one in flight spends the window too', () => {
    const now = T0 + 20_000;
    // 15 of 20 used, as the last response said at now − 300 ms; one completion request left since.
    const reading = { ...perMinute(15, now, 20, 'server-requests'), observedAt: now - 300 };
    const sentSince = [now - 100];
    assert.equal(decideGear([reading], now, sentSince, settings()).gear, 'manual', "16 of 20: only chat's share left");
    assert.equal(decideGear([reading], now, [now - 400], settings()).gear !== 'manual', true, 'already counted');
  });

  it('goes manual-only when the spacing the window needs is longer than anyone waits', () => {
    const now = T0;
    const day: LimitReading = {
      kind: 'requests-per-day',
      used: 20,
      limit: 50,
      fraction: 0.4,
      source: 'preset',
      resetsAt: T0 + 14 * 3_600_000,
    };
    // Twenty requests in the last quarter hour would spend the day's 50 in minutes.
    const decision = decideGear([day], now, sentBefore(now, 20, 15 * 60_000), settings());
    assert.equal(decision.gear, 'manual');
    assert.equal(decision.why, 'pace');
    assert.equal(gearText(decision), 'completion on Alt+\\ only · 40% of 50/day used');
    // No requests lately: nothing to project.
    assert.equal(decideGear([day], now, [], settings()).gear, 'full');
  });

  it('moves to the local backend instead of slowing or stopping when one is set', () => {
    const now = T0 + 20_000;
    const local = settings({ hasLowQuotaBackend: true });
    assert.equal(decideGear([perMinute(10, now)], now, [], local).gear, 'full');
    const manual = decideGear([perMinute(24, now)], now, [], local);
    assert.equal(manual.gear, 'local');
    assert.equal(gearText(manual, 'Ollama (local)'), 'completion on Ollama (local) · 80% of 30/min used');
    const slowed = decideGear([perMinute(14, now)], now, sentBefore(now, 20, 59_000), local);
    assert.equal(slowed.gear, 'local');
  });

  it('reads rate-limit headers, plan windows and free daily counts; ignores tokens, money and expired windows', () => {
    const now = T0 + 20_000;
    const server = decideGear([perMinute(25, now, 30, 'server-requests')], now, [], settings());
    assert.equal(server.gear, 'manual');
    assert.equal(gearText(server), 'completion on Alt+\\ only · 83% of 30 requests used');
    const plan: LimitReading = {
      kind: 'plan-window',
      used: 5_000,
      limit: 6_000,
      fraction: 5_000 / 6_000,
      source: 'preset',
      resetsAt: now + 3_600_000,
      window: 'in 5 h',
      unit: 'requests',
    };
    assert.equal(
      gearText(decideGear([plan], now, [], settings())),
      'completion on Alt+\\ only · 83% of 6,000 in 5 h used',
    );
    const free: LimitReading = { ...plan, kind: 'free-requests-per-day', used: 41, limit: 50, fraction: 0.82 };
    assert.equal(decideGear([free], now, [], settings()).gear, 'manual');
    const tokens: LimitReading = { ...perMinute(29, now), kind: 'server-tokens' };
    const budget: LimitReading = { ...perMinute(29, now), kind: 'usd-per-day' };
    const tokenPlan: LimitReading = { ...plan, unit: 'tokens' };
    assert.equal(decideGear([tokens, budget, tokenPlan], now, [], settings()).gear, 'full');
    const expired = { ...perMinute(29, now), resetsAt: now };
    assert.equal(decideGear([expired], now, [], settings()).gear, 'full');
  });

  it('takes the most held-back gear over all the readings', () => {
    const now = T0 + 20_000;
    const day: LimitReading = {
      kind: 'requests-per-day',
      used: 900,
      limit: 1_000,
      fraction: 0.9,
      source: 'preset',
      resetsAt: T0 + 14 * 3_600_000,
    };
    const decision = decideGear([perMinute(2, now), day], now, [], settings());
    assert.equal(decision.gear, 'manual');
    assert.equal(decision.reading?.kind, 'requests-per-day');
  });

  it('goes back to full speed when the window resets', () => {
    const clock = new FakeClock(undefined, T0 + 50_000);
    let used = 24;
    const throttle = new CompletionThrottle(
      clock,
      () => [perMinute(used, T0 + 50_000)],
      () => settings(),
    );
    assert.equal(throttle.decide().gear, 'manual');
    clock.now = () => T0 + 60_000;
    used = 0;
    assert.equal(throttle.decide().gear, 'full');
  });
});

describe('the throttle holds automatic requests to the gear', () => {
  function setup(used: () => number, over: Partial<ThrottleSettings> = {}) {
    const clock = new FakeClock(undefined, T0 + 10_000);
    const throttle = new CompletionThrottle(
      clock,
      () => [perMinute(used(), clock.now())],
      () => settings(over),
    );
    return { clock, throttle };
  }

  it('lets a request through at once at full speed and counts it for the pace', async () => {
    const { throttle } = setup(() => 5);
    assert.equal(await throttle.admit(new AbortController().signal), true);
  });

  it('waits the pause in slowed gear; a newer keystroke during the wait sends nothing', async () => {
    const { clock, throttle } = setup(() => 24, { chatShare: 0.1 });
    let admitted: boolean | undefined;
    void throttle.admit(new AbortController().signal).then((ok) => (admitted = ok));
    await clock.advance(SLOWED_PAUSE_MS - 1);
    assert.equal(admitted, undefined, 'still waiting');
    await clock.advance(1);
    assert.equal(admitted, true);

    const cancel = new AbortController();
    let second: boolean | undefined;
    void throttle.admit(cancel.signal).then((ok) => (second = ok));
    await clock.advance(100);
    cancel.abort();
    await clock.advance(0);
    assert.equal(second, false);
  });

  it('holds a request whose turn is further off than anyone waits, and stays in slowed gear', async () => {
    // 25 of 30 used with 10% for chat: 2 left over the 50 s to the reset, one every 25 s.
    const { clock, throttle } = setup(() => 25, { chatShare: 0.1 });
    const first = throttle.admit(new AbortController().signal);
    await clock.advance(SLOWED_PAUSE_MS);
    assert.equal(await first, true);
    assert.equal(await throttle.admit(new AbortController().signal), false, 'held at once, no 25 s wait');
    const decision = throttle.decide();
    assert.equal(decision.gear, 'slowed');
    assert.equal(decision.intervalMs, 24_500, '49 s left after the first pause, for 2 requests');
    // Its turn comes: the next pause sends it.
    await clock.advance(24_000 - SLOWED_PAUSE_MS);
    const later = throttle.admit(new AbortController().signal);
    await clock.advance(SLOWED_PAUSE_MS);
    assert.equal(await later, true);
  });

  it('sends nothing automatically in manual gear', async () => {
    const { throttle } = setup(() => 24);
    assert.equal(await throttle.admit(new AbortController().signal), false);
  });

  it('drops a waiting request when chat spends the window meanwhile', async () => {
    let used = 24;
    const { clock, throttle } = setup(() => used, { chatShare: 0.1 });
    let admitted: boolean | undefined;
    void throttle.admit(new AbortController().signal).then((ok) => (admitted = ok));
    await clock.advance(500);
    used = 27;
    await clock.advance(MAX_PAUSE_MS);
    assert.equal(admitted, false);
  });

  it('Completion at Full Speed lifts the gear until the window resets, then it yields again', async () => {
    let used = 24;
    const { clock, throttle } = setup(() => used);
    assert.equal(throttle.decide().gear, 'manual');
    const until = throttle.fullSpeed();
    assert.equal(until, T0 + 60_000);
    const decision = throttle.decide();
    assert.equal(decision.gear, 'full');
    assert.equal(decision.overridden, true);
    assert.equal(gearText(decision), 'completion at full speed · 80% of 30/min used');
    assert.equal(await throttle.admit(new AbortController().signal), true);
    // The next window runs low too: the choice was for the last one only.
    await clock.advance(until - clock.now() + 20_000);
    used = 25;
    assert.equal(throttle.decide().gear, 'manual');
    assert.equal(throttle.overriddenUntil, 0);
    // And it can be ended early.
    throttle.fullSpeed();
    throttle.yieldAgain();
    assert.equal(throttle.decide().gear, 'manual');
  });

  it('has nothing to lift at full speed', () => {
    const { throttle } = setup(() => 3);
    assert.equal(throttle.fullSpeed(), 0);
  });
});

describe('the engine asks the throttle before an automatic request only', () => {
  it('in manual gear no automatic request goes out, but Alt+\\ and type-ahead still work', async () => {
    const clock = new FakeClock(undefined, T0 + 10_000);
    const requests: FimRequest[] = [];
    const backend: CompletionBackend = {
      id: 'limited',
      model: 'coder',
      fim: async (request) => {
        requests.push(request);
        return {
          text: 'return a + b;',
          model: 'coder',
          route: 'completions-suffix',
          usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
        };
      },
    };
    let used = 24;
    const throttle = new CompletionThrottle(
      clock,
      () => [perMinute(used, clock.now())],
      () => settings(),
    );
    const engine = new CompletionEngine({
      settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 100, manualCandidates: 1 }),
      clock,
      beforeRequest: (_backend, signal) => throttle.admit(signal),
    });
    const at = (text: string, trigger: 'automatic' | 'invoke' = 'automatic') => ({
      documentId: 'a.ts',
      text,
      offset: text.length,
      languageId: 'typescript',
      trigger,
    });
    const signal = new AbortController().signal;
    const held = engine.complete(at('function add(a, b) {\n  '), backend, signal);
    await clock.advance(200);
    assert.deepEqual(await held, []);
    assert.equal(requests.length, 0, 'manual gear: nothing sent');

    const invoked = await engine.complete(at('function add(a, b) {\n  ', 'invoke'), backend, signal);
    assert.equal(invoked[0]?.insertText, 'return a + b;');
    assert.equal(requests.length, 1, 'Alt+\\ is the user asking: it goes out');

    const typed = await engine.complete(at('function add(a, b) {\n  ret'), backend, signal);
    assert.equal(typed[0]?.insertText, 'urn a + b;');
    assert.equal(typed[0]?.source, 'type-ahead');
    assert.equal(requests.length, 1, 'type-ahead costs nothing');

    used = 5;
    const freed = engine.complete(at('function sub(a, b) {\n  '), backend, signal);
    await clock.advance(200);
    assert.equal((await freed).length, 1);
    assert.equal(requests.length, 2, 'full speed again: automatic requests go out');
  });
});

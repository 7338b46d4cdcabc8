import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLimits, type LimitInputs } from '../../../src/core/usage/limits';
import { failureFigure, limitFigure, rolesLabel } from '../../../src/core/usage/statusSummary';
import {
  closestReading,
  describeRemaining,
  describeState,
  formatReset,
  serverWords,
  StateAnnouncer,
} from '../../../src/core/usage/switchAdvice';

const NOON = Date.UTC(2026, 10, 22, 12, 0, 0);
const usage = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };
const inputs = (over: Partial<LimitInputs>): LimitInputs => ({ limits: {}, usage, now: NOON, ...over });
const quota = { kind: 'quota-exhausted' as const, message: 'Free allocated quota exceeded.', at: NOON };

describe('one notification per event', () => {
  it('running out by the limit, then by the server quota, is announced once', () => {
    const announcer = new StateAnnouncer();
    const limits = { requestsPerDay: 5 };
    const warned = evaluateLimits(inputs({ limits, usage: { ...usage, requestsToday: 4 } }));
    const limitReached = evaluateLimits(inputs({ limits, usage: { ...usage, requestsToday: 5 } }));
    const quotaRefused = evaluateLimits(inputs({ limits, usage: { ...usage, requestsToday: 6 }, failure: quota }));
    const seen = [warned, limitReached, quotaRefused, limitReached, quotaRefused].map((state) =>
      announcer.shouldAnnounce('qwen', state),
    );
    assert.deepEqual(seen, [true, true, false, false, false]);
  });

  it('the server quota first, then the limit, is announced once too; a refused key is news', () => {
    const announcer = new StateAnnouncer();
    const limits = { requestsPerDay: 4 };
    const quotaRefused = evaluateLimits(inputs({ limits, usage: { ...usage, requestsToday: 2 }, failure: quota }));
    const limitReached = evaluateLimits(inputs({ limits, usage: { ...usage, requestsToday: 4 } }));
    const keyRefused = evaluateLimits(
      inputs({ failure: { kind: 'auth', message: 'Incorrect API key provided.', at: NOON } }),
    );
    const seen = [quotaRefused, limitReached, keyRefused].map((state) => announcer.shouldAnnounce('qwen', state));
    assert.deepEqual(seen, [true, false, true]);
  });

  it('a budget raised and reached again is news; its pass back under 100% is not', () => {
    const announcer = new StateAnnouncer();
    const spent = (micros: number, usdPerDay: number) =>
      evaluateLimits(inputs({ limits: { usdPerDay }, usage: { ...usage, costToday: { USD: micros } } }));
    const seen = [
      spent(1_020_000, 1), // reached
      spent(1_020_000, 1.2), // "Raise budget…" to $1.20: 85%, a warning
      spent(1_100_000, 1.2),
      spent(1_210_000, 1.2), // the raised budget reached
      spent(1_300_000, 1.2),
    ].map((state) => announcer.shouldAnnounce('qwen', state));
    assert.deepEqual(seen, [true, false, false, true, false]);
  });

  it('a budget removed and set again, still reached, is news again', () => {
    const announcer = new StateAnnouncer();
    const reached = evaluateLimits(
      inputs({ limits: { usdPerDay: 1 }, usage: { ...usage, costToday: { USD: 1_500_000 } } }),
    );
    assert.equal(announcer.shouldAnnounce('*all*', reached), true);
    assert.equal(announcer.shouldAnnounce('*all*', reached), false, 'not again while it holds');
    announcer.forget('*all*'); // the budget removed from settings
    assert.equal(announcer.shouldAnnounce('*all*', reached), true, 'set again: the user hears it is reached');
  });

  it('says it in one sentence, with the server’s words apart rather than in parentheses', () => {
    const state = evaluateLimits(inputs({ failure: { ...quota, resetsAt: Date.UTC(2026, 10, 23) } }));
    const sentence = describeState('Qwen (demo)', state, NOON, 'UTC');
    assert.equal(sentence, 'Qwen (demo) has used up its quota until 00:00 UTC.');
    assert.doesNotMatch(sentence ?? '', /Free allocated/);
    assert.equal(serverWords(state), 'Free allocated quota exceeded.');
    // A failure's message starts with Switchboard's own headline: only the server's part is quoted.
    const told = (message: string) =>
      serverWords(evaluateLimits(inputs({ failure: { ...quota, message } }))) ?? 'nothing';
    assert.equal(
      told('Quota exhausted (coding-plan-intl 429): Allocated quota exceeded, please increase your quota limit.'),
      'Allocated quota exceeded, please increase your quota limit.',
    );
    assert.equal(told('Authentication failed (deepseek 401).'), 'nothing', 'a headline alone quotes nothing');
    assert.equal(
      told(
        'Free quota used up (qwen 403): "Free Quota Only" is on, so Model Studio stops the calls instead of billing them; turn it off in the Model Studio console to continue at pay-as-you-go prices. The free tier of this model is exhausted.',
      ),
      'The free tier of this model is exhausted.',
      'nor is an explanation of our own',
    );
    assert.equal(
      describeState('Qwen', evaluateLimits(inputs({ failure: { ...quota, kind: 'auth' } })), NOON),
      'Qwen refused the key: set a new key or switch.',
    );
  });
});

describe('times in the user’s own zone', () => {
  it('names the zone, and the date only when it is not the same day there', () => {
    const midnightUtc = Date.UTC(2026, 10, 23);
    assert.equal(formatReset(midnightUtc, NOON, 'UTC'), '00:00 UTC');
    assert.equal(formatReset(midnightUtc, NOON, 'Europe/Berlin'), 'Nov 23, 01:00 GMT+1');
    assert.equal(formatReset(midnightUtc, NOON, 'America/New_York'), '19:00 EST');
    assert.equal(formatReset(midnightUtc, NOON, 'Asia/Shanghai'), 'Nov 23, 08:00 GMT+8');
    assert.equal(formatReset(Date.UTC(2026, 11, 1), NOON, 'UTC'), 'Dec 1, 00:00 UTC');
  });
});

describe('what remains, and the status bar’s words', () => {
  it('the remaining column shows what is left, not used of limit', () => {
    const state = evaluateLimits(inputs({ limits: { requestsPerDay: 5 }, usage: { ...usage, requestsToday: 4 } }));
    const reading = closestReading(state);
    assert.ok(reading);
    assert.equal(describeRemaining(reading), '1 request today');
    const spent = evaluateLimits(
      inputs({ limits: { usdPerDay: 2 }, usage: { ...usage, costToday: { USD: 1_600_000 } } }),
    ).worst;
    assert.ok(spent);
    assert.equal(describeRemaining(spent), '$0.40 today');
    const over = evaluateLimits(inputs({ limits: { requestsPerDay: 5 }, usage: { ...usage, requestsToday: 7 } }));
    assert.equal(describeRemaining(closestReading(over)!), '0 requests today', 'never a negative count');
  });

  it('at an equal share, shows the limit that lasts longest: the day, not the minute that refills at once', () => {
    // OpenRouter's :free models: 20 a minute and 50 a day, nothing used yet.
    const state = evaluateLimits(
      inputs({ limits: { requestsPerMinute: 20, requestsPerDay: 50 }, usage: { ...usage, requestsToday: 0 } }),
    );
    assert.equal(describeRemaining(closestReading(state)!), '50 requests today');
    // Nearer its limit, the minute is what matters.
    const busy = evaluateLimits(
      inputs({
        limits: { requestsPerMinute: 20, requestsPerDay: 50 },
        usage: { ...usage, requestsLastMinute: 18, requestsToday: 18 },
      }),
    );
    assert.equal(describeRemaining(closestReading(busy)!), '2 requests this minute');
  });

  it('names both roles when chat and completion differ, one label when they do not', () => {
    assert.equal(rolesLabel('Qwen (demo)', 'Qwen (demo)'), 'Qwen (demo)');
    assert.equal(rolesLabel('Qwen (demo)', 'Backup (demo)'), 'Qwen (demo) · chat: Backup (demo)');
    // A role pinned to a removed backend serves nothing, and says so: not read as served by the other.
    assert.equal(rolesLabel(undefined, 'Backup'), 'completion: none · chat: Backup');
    assert.equal(rolesLabel('Qwen (demo)', undefined), 'Qwen (demo) · chat: none');
    assert.equal(rolesLabel(undefined, undefined), 'Switchboard: no backend');
    assert.ok(rolesLabel('A very long name for a gateway', 'Another very long backend name').length <= 41);
  });

  it('the one figure says what it counts', () => {
    const state = evaluateLimits(inputs({ limits: { requestsPerDay: 5 }, usage: { ...usage, requestsToday: 4 } }));
    assert.equal(limitFigure(state.worst!), '4/5 requests today');
    const budget = evaluateLimits(
      inputs({ limits: { usdPerDay: 2 }, usage: { ...usage, costToday: { USD: 1_900_000 } } }),
    );
    // "Spent", not left: the figure rises as the budget runs out.
    assert.equal(limitFigure(budget.worst!), '95% of today’s budget spent');
    assert.equal(failureFigure(evaluateLimits(inputs({ failure: quota }))), 'quota used up');
    assert.equal(failureFigure(state), undefined);
  });

  it('a key’s budget reads as spent, with whose budget it is, in the status bar and its tooltip', () => {
    // A LiteLLM key with max_budget $50, $41.20 spent. "82% of the balance" read as 82% left.
    const state = evaluateLimits(
      inputs({
        balance: {
          source: 'litellm',
          currency: 'USD',
          used: 41.2,
          limit: 50,
          remaining: 8.8,
          available: true,
          fetchedAt: NOON,
        },
      }),
    );
    assert.equal(limitFigure(state.worst!), '82% of key budget spent');
    assert.equal(
      describeState('litellm', state, NOON),
      "litellm is at 82% of a limit: $41.20 of the key's $50.00 budget spent.",
    );
    assert.equal(describeRemaining(closestReading(state)!), '$8.80 of key budget');
  });
});

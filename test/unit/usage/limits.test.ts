import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLimits, projectExhaustion, type LimitInputs } from '../../../src/core/usage/limits';
import {
  describeState,
  rankAlternatives,
  StateAnnouncer,
  stillSentNote,
  type Candidate,
} from '../../../src/core/usage/switchAdvice';

const NOON = Date.UTC(2026, 10, 22, 12, 0, 0);
const usage = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };
const inputs = (over: Partial<LimitInputs>): LimitInputs => ({ limits: {}, usage, now: NOON, ...over });

describe('limits', () => {
  it('is ok below 80% of every limit, warns from 80%, is exhausted at 100%', () => {
    const at = (requestsToday: number) =>
      evaluateLimits(inputs({ limits: { requestsPerDay: 100 }, usage: { ...usage, requestsToday } })).level;
    assert.equal(at(79), 'ok');
    assert.equal(at(80), 'warning');
    assert.equal(at(100), 'exhausted');
  });

  it('takes the worst of requests, dollars per day and month, and the server window', () => {
    const state = evaluateLimits(
      inputs({
        limits: { requestsPerDay: 1000, usdPerDay: 2, usdPerMonth: 20 },
        usage: {
          requestsLastMinute: 1,
          requestsToday: 10,
          costToday: { USD: 1_700_000 },
          costMonth: { USD: 5_000_000 },
        },
        rateLimit: { observedAt: NOON, requests: { limit: 60, remaining: 30, resetAt: NOON + 30_000 } },
      }),
    );
    assert.equal(state.level, 'warning');
    assert.equal(state.worst?.kind, 'usd-per-day');
    assert.deepEqual(
      state.readings.map((r) => r.kind),
      ['requests-per-day', 'usd-per-day', 'usd-per-month', 'server-requests'],
    );
    assert.equal(state.readings.find((r) => r.kind === 'usd-per-day')?.resetsAt, Date.UTC(2026, 10, 23));
    assert.equal(state.readings.find((r) => r.kind === 'usd-per-month')?.resetsAt, Date.UTC(2026, 11, 1));
  });

  it("uses the preset's published quota when the user set none, and the user's when they did", () => {
    const preset = { requestsPerDay: 50, requestsPerMinute: 20 };
    const fromPreset = evaluateLimits(inputs({ presetQuota: preset, usage: { ...usage, requestsToday: 45 } }));
    assert.equal(fromPreset.level, 'warning');
    assert.equal(fromPreset.worst?.source, 'preset');
    const own = evaluateLimits(
      inputs({ presetQuota: preset, limits: { requestsPerDay: 1000 }, usage: { ...usage, requestsToday: 45 } }),
    );
    assert.equal(own.level, 'ok');
  });

  it('says a request limit of your own stops nothing, only where completion still asks at every pause', () => {
    const at = (over: Partial<LimitInputs>) => evaluateLimits(inputs(over));
    const ownDay = { limits: { requestsPerDay: 10 }, usage: { ...usage, requestsToday: 10 } };
    assert.match(stillSentNote(at(ownDay), true) ?? '', /^Completion still asks it at every pause until you switch/);
    const ownMinute = { limits: { requestsPerMinute: 5 }, usage: { ...usage, requestsLastMinute: 5 } };
    assert.match(stillSentNote(at(ownMinute), true) ?? '', /^Completion still asks it/);
    // Completion yields to chat (or goes elsewhere), below 100%, a preset's count (the server
    // decides), a refusal, or a budget reached: no such note.
    assert.equal(stillSentNote(at(ownDay), false), undefined);
    assert.equal(stillSentNote(at({ ...ownDay, usage: { ...usage, requestsToday: 9 } }), true), undefined);
    assert.equal(stillSentNote(at({ presetQuota: { requestsPerDay: 10 }, usage: ownDay.usage }), true), undefined);
    const failure = { kind: 'quota-exhausted' as const, message: 'quota', at: NOON };
    assert.equal(stillSentNote(at({ ...ownDay, failure }), true), undefined);
    const ownBudget = at({
      limits: { requestsPerDay: 10, usdPerDay: 1 },
      usage: { ...usage, requestsToday: 12, costToday: { USD: 1_000_000 } },
    });
    assert.equal(stillSentNote(ownBudget, true), undefined);
    const overall = at({ limits: { usdPerDay: 1 }, usage: { ...usage, costToday: { USD: 1_000_000 } } });
    assert.equal(stillSentNote(at(ownDay), true, overall), undefined);
    assert.match(stillSentNote(at(ownDay), true, at({ limits: { usdPerDay: 5 } })) ?? '', /^Completion still asks/);
  });

  it('ignores a server window that has already reset', () => {
    const state = evaluateLimits(
      inputs({
        rateLimit: { observedAt: NOON - 120_000, requests: { limit: 60, remaining: 0, resetAt: NOON - 60_000 } },
      }),
    );
    assert.equal(state.level, 'ok');
  });

  it('a quota, balance or auth failure from the server exhausts the backend until it resets', () => {
    const failure = {
      kind: 'quota-exhausted' as const,
      message: 'Free allocated quota exceeded.',
      at: NOON,
      resetsAt: Date.UTC(2026, 10, 23),
    };
    assert.equal(evaluateLimits(inputs({ failure })).level, 'exhausted');
    assert.equal(evaluateLimits(inputs({ failure, now: Date.UTC(2026, 10, 23, 0, 0, 1) })).level, 'ok');
    assert.equal(
      evaluateLimits(inputs({ failure: { ...failure, kind: 'rate-limited' } })).level,
      'ok',
      'a rate limit passes by itself',
    );
  });

  it('projects when a daily quota runs out at the current pace', () => {
    const state = evaluateLimits(
      inputs({ limits: { requestsPerDay: 2000 }, usage: { ...usage, requestsToday: 1000 } }),
    );
    const reading = state.readings[0];
    assert.ok(reading);
    // 1,000 requests in the 12 hours since midnight: the next 1,000 take another 12, past the reset.
    assert.equal(projectExhaustion(reading, Date.UTC(2026, 10, 22), NOON), undefined);
    const faster = { ...reading, used: 1600, fraction: 0.8 };
    assert.equal(projectExhaustion(faster, Date.UTC(2026, 10, 22), NOON), Date.UTC(2026, 10, 22, 15, 0, 0));
  });
});

describe('switch advice', () => {
  it('says what happened, whose limit and when it resets, in plain words', () => {
    const failure = {
      kind: 'quota-exhausted' as const,
      message: 'Free allocated quota exceeded.',
      at: NOON,
      resetsAt: Date.UTC(2026, 10, 23),
    };
    assert.equal(
      describeState('Qwen (Model Studio)', evaluateLimits(inputs({ failure })), NOON, 'UTC'),
      'Qwen (Model Studio) has used up its quota until 00:00 UTC.',
    );
    const warning = evaluateLimits(
      inputs({ limits: { requestsPerDay: 2000 }, usage: { ...usage, requestsToday: 1700 } }),
    );
    assert.equal(
      describeState('Qwen', warning, NOON, 'UTC'),
      'Qwen is at 85% of a limit: 1,700 of 2,000 requests today; it resets at 00:00 UTC.',
    );
    assert.equal(describeState('Qwen', evaluateLimits(inputs({})), NOON), undefined);
  });

  it('announces each change of state once: no storm while a backend stays out', () => {
    const announcer = new StateAnnouncer();
    const warn = evaluateLimits(inputs({ limits: { requestsPerDay: 10 }, usage: { ...usage, requestsToday: 8 } }));
    const out = evaluateLimits(inputs({ limits: { requestsPerDay: 10 }, usage: { ...usage, requestsToday: 10 } }));
    const ok = evaluateLimits(inputs({}));
    const seen = [warn, warn, out, out, out, ok, out].map((state) => announcer.shouldAnnounce('qwen', state));
    assert.deepEqual(seen, [true, false, true, false, false, false, true]);
    assert.equal(announcer.shouldAnnounce('other', out), true, 'each backend has its own state');
  });

  it('offers configured healthy backends first, then the cheapest, and always a local one', () => {
    const c = (over: Partial<Candidate> & { id: string }): Candidate => ({
      name: over.id,
      level: 'ok',
      ready: true,
      local: false,
      configured: true,
      ...over,
    });
    const ranked = rankAlternatives('qwen', [
      c({ id: 'qwen' }),
      c({ id: 'pricey', pricePerMTok: 18 }),
      c({ id: 'cheap', pricePerMTok: 0.7 }),
      c({ id: 'nokey', ready: false, pricePerMTok: 0.1 }),
      c({ id: 'out', level: 'exhausted', pricePerMTok: 0.1 }),
      c({ id: 'detected', configured: false, pricePerMTok: 0.1 }),
      c({ id: 'ollama', local: true, configured: false }),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ['cheap', 'pricey', 'ollama'],
    );
  });
});

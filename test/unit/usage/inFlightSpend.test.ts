import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLimits, type Budgets } from '../../../src/core/usage/limits';
import { decideBudgets, type BudgetScope } from '../../../src/core/usage/budgetAction';
import { chatQuestion, pausedFigure, pausedTooltip } from '../../../src/core/usage/budgetText';
import {
  CHAT_RESERVED_OUTPUT_TOKENS,
  InFlightSpend,
  reservationOf,
  worstCaseUsage,
} from '../../../src/core/usage/inFlightSpend';
import type { Amounts } from '../../../src/core/usage/money';

/** 20:00 UTC on Jan 30: the day resets in 4 hours. */
const NOW = Date.UTC(2027, 0, 30, 20);

/** A scope as the limit monitor evaluates it from what was spent (and recorded) today, in micro-units. */
function scope(budgets: Budgets, spent: Amounts, backend?: string): BudgetScope {
  const state = evaluateLimits({
    limits: budgets,
    usage: { requestsLastMinute: 0, requestsToday: 0, costToday: spent, costMonth: spent },
    now: NOW,
  });
  return {
    ...(backend !== undefined && { backend }),
    name: backend ?? 'all backends',
    action: 'pause',
    readings: state.readings,
  };
}

describe('a budget counts the requests under way', () => {
  it('holds the next request when what was spent and what is under way reach the budget together', () => {
    const inFlight = new InFlightSpend();
    const scopes = [scope({ usdPerDay: 1 }, { USD: 600_000 }, 'qwen')];
    const decide = () =>
      decideBudgets({
        scopes,
        backend: 'qwen',
        spend: 'USD',
        now: NOW,
        inFlight: (backend) => inFlight.reserved(backend),
      });
    assert.equal(decide().completion, undefined, '$0.60 of $1.00 spent, nothing under way: completion goes');

    // A chat answer streams, at most $0.45; a completion at most $0.02. Neither is recorded yet.
    const releaseChat = inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 450_000 });
    const releaseCompletion = inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 20_000 });
    const held = decide();
    assert.equal(held.completion?.reading.kind, 'usd-per-day', 'automatic completion waits');
    assert.equal(held.chat?.reading.kind, 'usd-per-day', 'a chat request asks first');
    assert.equal(held.completion?.inFlight, 470_000, 'what is under way, beside what was spent');
    assert.equal(held.completion?.reading.used, 600_000, 'what was spent stays what was recorded');

    releaseChat();
    assert.equal(decide().completion, undefined, 'the answer ended: $0.62 of $1.00 leaves room again');
    releaseCompletion();
    releaseCompletion();
    assert.equal(inFlight.size, 0, 'a release called twice releases once');
    assert.deepEqual(inFlight.reserved(), {});
  });

  it('lets a single request go however large its own worst case, when nothing else is under way', () => {
    // The rule: the next request is weighed against what others may still cost, never against its own
    // worst case, or a $0.10 budget would refuse every chat request to an expensive model.
    const decision = decideBudgets({
      scopes: [scope({ usdPerDay: 0.1 }, { USD: 90_000 }, 'opus')],
      backend: 'opus',
      spend: 'USD',
      now: NOW,
      inFlight: () => ({}),
    });
    assert.equal(decision.completion, undefined);
    assert.equal(decision.chat, undefined);
  });

  it("weighs a backend's own budget with its own requests, and the budget over all with every backend's in its currency", () => {
    const inFlight = new InFlightSpend();
    inFlight.hold({ backend: 'deepseek', currency: 'USD', micros: 500_000 });
    inFlight.hold({ backend: 'moonshot', currency: 'CNY', micros: 9_000_000 });
    const input = { now: NOW, inFlight: (backend: string | undefined) => inFlight.reserved(backend) };

    const own = [scope({ usdPerDay: 1 }, { USD: 600_000 }, 'qwen')];
    assert.equal(
      decideBudgets({ ...input, scopes: own, backend: 'qwen', spend: 'USD' }).completion,
      undefined,
      "DeepSeek's answer under way is not Qwen's to count",
    );

    const overall = [scope({ usdPerDay: 1, cnyPerDay: 10 }, { USD: 600_000, CNY: 1_000_000 })];
    const dollars = decideBudgets({ ...input, scopes: overall, backend: 'qwen', spend: 'USD' });
    assert.equal(dollars.completion?.reading.kind, 'usd-per-day', "the budget over all counts DeepSeek's answer");
    const yuan = decideBudgets({ ...input, scopes: overall, backend: 'kimi', spend: 'CNY' });
    assert.equal(yuan.completion?.reading.kind, 'cny-per-day', '¥1.00 spent and ¥9.00 under way reach ¥10');
    assert.equal(yuan.completion?.inFlight, 9_000_000, 'dollars under way never count against yuan');

    assert.equal(
      decideBudgets({ ...input, scopes: overall, backend: 'ollama', spend: 'nothing' }).completion,
      undefined,
      'a backend that spends nothing is never held',
    );
  });

  it('prefers a budget really spent to one reached only with what is under way', () => {
    const inFlight = new InFlightSpend();
    inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 5_000_000 });
    const decision = decideBudgets({
      scopes: [scope({ usdPerDay: 1, usdPerMonth: 20 }, { USD: 1_000_000 }, 'qwen')],
      backend: 'qwen',
      spend: 'USD',
      now: NOW,
      inFlight: (backend) => inFlight.reserved(backend),
    });
    assert.equal(decision.completion?.reading.kind, 'usd-per-day');
    assert.equal(decision.completion?.inFlight, undefined);
  });

  it('says what is under way apart from what was spent', () => {
    const inFlight = new InFlightSpend();
    inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 450_000 });
    const hold = decideBudgets({
      scopes: [scope({ usdPerDay: 1 }, { USD: 600_000 }, 'qwen')],
      backend: 'qwen',
      spend: 'USD',
      now: NOW,
      inFlight: (backend) => inFlight.reserved(backend),
    }).chat;
    assert.ok(hold);
    assert.equal(pausedFigure(hold, NOW, 'UTC'), 'completion paused · budget · requests under way');
    const tooltip = pausedTooltip(hold, '$0.60', NOW, 'UTC');
    assert.match(tooltip, /while the requests under way may reach it/);
    assert.match(tooltip, /\$0\.60 of today's \$1\.00 budget; up to \$0\.45 more under way; spent today: \$0\.60/);
    const question = chatQuestion(hold, '$0.60', NOW, 'UTC');
    assert.match(question, /^qwen may reach, with the requests under way, today's \$1\.00 budget/);
    assert.match(question, /Spent today: \$0\.60\. Send this chat request anyway\?/);
  });
});

describe("a request's worst case", () => {
  it('is the prompt at the input price and every output token it may write at the output price', () => {
    const usage = worstCaseUsage('x'.repeat(4_000), 128);
    assert.equal(usage.inputTokens, 1_000);
    assert.equal(usage.outputTokens, 128);
    assert.equal(usage.reported, false);
    assert.ok(CHAT_RESERVED_OUTPUT_TOKENS > 0);
  });

  it('holds nothing at an unknown price, for a plan, or where a request costs nothing', () => {
    assert.equal(reservationOf('custom', { micros: null, source: 'unknown' }), undefined, 'money is never made up');
    assert.equal(reservationOf('coding-plan', { micros: 0, currency: 'USD', source: 'plan' }), undefined);
    assert.equal(reservationOf('ollama', { micros: 0, currency: 'USD', source: 'local' }), undefined);
    assert.deepEqual(reservationOf('kimi', { micros: 1_234, currency: 'CNY', source: 'dataset' }), {
      backend: 'kimi',
      currency: 'CNY',
      micros: 1_234,
    });
    const inFlight = new InFlightSpend();
    inFlight.hold(undefined)();
    assert.equal(inFlight.size, 0);
  });

  it('tells each hold and release, and the same figures held twice are two requests', () => {
    let changes = 0;
    const inFlight = new InFlightSpend(() => changes++);
    const one = inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 10 });
    const two = inFlight.hold({ backend: 'qwen', currency: 'USD', micros: 10 });
    assert.deepEqual(inFlight.reserved('qwen'), { USD: 20 });
    one();
    one();
    assert.deepEqual(inFlight.reserved(), { USD: 10 });
    two();
    assert.equal(changes, 4, 'two holds and two releases');
  });
});

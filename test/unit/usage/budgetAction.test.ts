import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../harness/fakeClock';
import { runLedgerWriters } from '../../harness/ledgerFixtures';
import { evaluateLimits, type Budgets } from '../../../src/core/usage/limits';
import {
  budgetActionOf,
  decideBudgets,
  nearestBudget,
  storedManualHolds,
  uncountedBudgets,
  type BudgetAction,
  type BudgetHold,
  type BudgetScope,
} from '../../../src/core/usage/budgetAction';
import type { Amounts } from '../../../src/core/usage/money';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { utcDay } from '../../../src/core/usage/rollups';
import {
  chatQuestion,
  parseBudget,
  pausedFigure,
  pausedNote,
  pausedTooltip,
  spentTodayText,
  uncountedBudgetNote,
} from '../../../src/core/usage/budgetText';

const HOUR = 3_600_000;
/** 20:00 UTC on Jan 30: the day resets in 4 hours, the month two days later. */
const START = Date.UTC(2027, 0, 30, 20);

/** A scope as the limit monitor evaluates it, from what was spent today and this month (micro-units). */
function scope(
  budgets: Budgets,
  spent: { today: Amounts; month?: Amounts },
  now: number,
  options: { backend?: string; action?: BudgetAction } = {},
): BudgetScope {
  const state = evaluateLimits({
    limits: budgets,
    usage: { requestsLastMinute: 0, requestsToday: 0, costToday: spent.today, costMonth: spent.month ?? spent.today },
    now,
  });
  return {
    ...(options.backend !== undefined && { backend: options.backend }),
    name: options.backend ?? 'all backends',
    action: options.action ?? 'pause',
    readings: state.readings,
  };
}

describe('a budget that holds', () => {
  it('at 80% lets completion and chat go: the warning is the status bar, not a stop', () => {
    const clock = new FakeClock(undefined, START);
    for (const backend of [undefined, 'qwen']) {
      const decision = decideBudgets({
        scopes: [scope({ usdPerDay: 1 }, { today: { USD: 800_000 } }, clock.now(), { backend })],
        backend: 'qwen',
        spend: 'USD',
        now: clock.now(),
      });
      assert.equal(decision.completion, undefined);
      assert.equal(decision.chat, undefined);
    }
  });

  it('at 100% pauses automatic completion until the next UTC midnight and makes chat ask', () => {
    const clock = new FakeClock(undefined, START);
    const decision = decideBudgets({
      scopes: [scope({ usdPerDay: 1 }, { today: { USD: 1_000_000 } }, clock.now(), { backend: 'qwen' })],
      backend: 'qwen',
      spend: 'USD',
      now: clock.now(),
    });
    assert.equal(decision.completion?.until, Date.UTC(2027, 0, 31));
    assert.equal(decision.chat?.reading.kind, 'usd-per-day');
    assert.equal(decision.completion?.backend, 'qwen');
  });

  it('with "warn" only warns, at 100% too', () => {
    const now = START;
    const decision = decideBudgets({
      scopes: [scope({ usdPerDay: 1 }, { today: { USD: 1_500_000 } }, now, { action: 'warn' })],
      backend: 'qwen',
      spend: 'USD',
      now,
    });
    assert.equal(decision.completion, undefined);
    assert.equal(decision.chat, undefined);
    assert.equal(decision.warnOnly.length, 1);
  });

  it('a typo in action never turns a budget off', () => {
    assert.equal(budgetActionOf('warn'), 'warn');
    assert.equal(budgetActionOf('Warn '), 'pause');
    assert.equal(budgetActionOf(undefined), 'pause');
  });

  it('lifts at the day reset, even before the spend is counted again', async () => {
    const clock = new FakeClock(undefined, START);
    // The state was evaluated before midnight; nothing re-evaluated it yet.
    const stale = scope({ usdPerDay: 1 }, { today: { USD: 1_200_000 } }, clock.now());
    const at = (now: number) => decideBudgets({ scopes: [stale], backend: 'qwen', spend: 'USD', now });
    assert.ok(at(clock.now()).completion);
    await clock.advance(4 * HOUR - 1);
    assert.ok(at(clock.now()).completion, 'still paused a millisecond before midnight');
    await clock.advance(1);
    assert.equal(at(clock.now()).completion, undefined, 'completion goes again at 00:00 UTC');
    assert.equal(at(clock.now()).chat, undefined);
    // The new day's spend starts from nothing.
    const fresh = scope({ usdPerDay: 1 }, { today: {}, month: { USD: 1_200_000 } }, clock.now());
    assert.equal(
      decideBudgets({ scopes: [fresh], backend: 'qwen', spend: 'USD', now: clock.now() }).completion,
      undefined,
    );
  });

  it('a monthly budget holds across the day reset and lifts on the first of the month', async () => {
    const clock = new FakeClock(undefined, START);
    const budgets = { usdPerDay: 5, usdPerMonth: 20 };
    const decide = () =>
      decideBudgets({
        scopes: [scope(budgets, { today: {}, month: { USD: 20_000_000 } }, clock.now())],
        backend: 'qwen',
        spend: 'USD',
        now: clock.now(),
      });
    assert.equal(decide().completion?.until, Date.UTC(2027, 1, 1));
    await clock.advance(4 * HOUR);
    assert.equal(decide().completion?.reading.kind, 'usd-per-month', 'a new day does not lift the month');
    assert.equal(decide().chat?.reading.kind, 'usd-per-month');
    await clock.advance(24 * HOUR);
    // Feb 1: the month's spend is counted afresh.
    const feb = decideBudgets({
      scopes: [scope(budgets, { today: {}, month: {} }, clock.now())],
      backend: 'qwen',
      spend: 'USD',
      now: clock.now(),
    });
    assert.equal(feb.completion, undefined);
  });

  it('the overall budget holds every backend that spends its currency, never a local or plan one', () => {
    const now = START;
    const scopes = [scope({ usdPerDay: 1 }, { today: { USD: 1_000_000, CNY: 5_000_000 } }, now)];
    const held = (backend: string, spend: 'USD' | 'CNY' | 'nothing' | undefined) =>
      decideBudgets({ scopes, backend, spend, now }).completion !== undefined;
    assert.equal(held('deepseek', 'USD'), true);
    assert.equal(held('qwen-cn', 'CNY'), false, 'yuan do not count against a dollar budget');
    assert.equal(held('ollama', 'nothing'), false, 'the local backend still completes: it costs nothing');
    assert.equal(held('unpriced', undefined), true, 'unknown price is never free');
  });

  it("a backend's own budget holds only that backend", () => {
    const now = START;
    const scopes = [scope({ cnyPerDay: 10 }, { today: { CNY: 10_000_000 } }, now, { backend: 'qwen-cn' })];
    assert.ok(decideBudgets({ scopes, backend: 'qwen-cn', spend: 'CNY', now }).completion);
    assert.equal(decideBudgets({ scopes, backend: 'deepseek', spend: 'USD', now }).completion, undefined);
  });

  it('a budget of 0 holds from the first request: no paid request goes, local ones do', () => {
    const now = START;
    for (const backend of [undefined, 'deepseek']) {
      const scopes = [scope({ usdPerDay: 0 }, { today: {} }, now, { backend })];
      const decision = decideBudgets({ scopes, backend: 'deepseek', spend: 'USD', now });
      assert.equal(decision.completion?.reading.kind, 'usd-per-day', 'completion is paused before anything is spent');
      assert.ok(decision.chat, 'a chat request asks first');
      assert.equal(decideBudgets({ scopes, backend: 'ollama', spend: 'nothing', now }).completion, undefined);
    }
  });

  it('a pause chosen at 80% holds completion until the reset, and lets chat go without asking', async () => {
    const clock = new FakeClock(undefined, START);
    const warned = scope({ usdPerDay: 1 }, { today: { USD: 850_000 } }, clock.now(), { backend: 'qwen' });
    const reading = nearestBudget(warned);
    assert.ok(reading?.resetsAt);
    const manual: BudgetHold[] = [
      { backend: 'qwen', name: 'qwen', reading, action: 'pause', until: reading.resetsAt, manual: true },
    ];
    const decide = () => decideBudgets({ scopes: [warned], manual, backend: 'qwen', spend: 'USD', now: clock.now() });
    assert.equal(decide().completion?.manual, true);
    assert.equal(decide().chat, undefined);
    await clock.advance(4 * HOUR);
    assert.equal(decide().completion, undefined, 'the pause ends with the day');
  });

  it("counts every window's spend: several processes' ledgers together reach the budget", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-budget-'));
    try {
      const writers = 3;
      const each = 40;
      // Each writer records `each` requests of 7 micro-dollars to the same backend.
      await runLedgerWriters(dir, writers, each, 'qwen');
      const ledger = await UsageLedger.open({ dir });
      const now = Date.now();
      const day = utcDay(now);
      const today = ledger.rollups.sum({ fromDay: day, toDay: day, backend: 'qwen' }).cost;
      await ledger.close();
      const total = writers * each * 7;
      assert.equal(today.USD, total);
      // A budget one window's share would not reach, all of them do.
      const budget = { usdPerDay: (each * 7 * 2) / 1_000_000 };
      const decision = decideBudgets({
        scopes: [scope(budget, { today }, now, { backend: 'qwen' })],
        backend: 'qwen',
        spend: 'USD',
        now,
      });
      assert.ok(decision.completion, 'completion is paused');
      assert.ok(decision.chat, 'chat asks');
      const oneWindow = decideBudgets({
        scopes: [scope(budget, { today: { USD: each * 7 } }, now, { backend: 'qwen' })],
        backend: 'qwen',
        spend: 'USD',
        now,
      });
      assert.equal(oneWindow.completion, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a backend's own budget that cannot count what it spends", () => {
  it('a dollar budget on a backend billed in yuan reads 0% however much is spent, and is named as such', () => {
    const clock = new FakeClock(undefined, START);
    // ¥50 spent today on Moonshot .cn; its own budget is $1 a day.
    const moonshot = scope({ usdPerDay: 1 }, { today: { CNY: 50_000_000 } }, clock.now(), { backend: 'moonshot' });
    const decision = decideBudgets({ scopes: [moonshot], backend: 'moonshot', spend: 'CNY', now: clock.now() });
    assert.equal(decision.completion, undefined, 'nothing it spends reaches a dollar budget');
    const [uncounted] = uncountedBudgets(moonshot.readings, ['CNY', 'CNY']);
    assert.equal(uncounted?.spend, 'CNY');
    assert.equal(
      uncountedBudgetNote('Moonshot', uncounted!),
      'Moonshot bills in yuan: its limits.usdPerDay ($1.00) counts nothing it spends and never pauses it (there is no exchange rate). Set limits.cnyPerDay for a budget in yuan.',
    );
  });

  it('any budget on a backend whose price is unknown counts nothing, and says how to give it a price', () => {
    const clock = new FakeClock(undefined, START);
    const gateway = scope({ cnyPerMonth: 20 }, { today: {} }, clock.now(), { backend: 'gateway' });
    const [uncounted] = uncountedBudgets(gateway.readings, ['CNY', undefined]);
    assert.equal(uncounted?.spend, undefined, 'the unknown role decides: its spend is never counted');
    assert.match(
      uncountedBudgetNote('Gateway', uncounted!),
      /^Gateway's price is unknown: its limits\.cnyPerMonth \(¥20\.00\) counts nothing.*Set Price…/,
    );
  });

  it('a budget in the currency the backend bills in, or on one that spends nothing, is not named', () => {
    const clock = new FakeClock(undefined, START);
    const readings = scope({ usdPerDay: 1, cnyPerDay: 5 }, { today: {} }, clock.now(), { backend: 'b' }).readings;
    assert.deepEqual(
      uncountedBudgets(readings, ['USD', 'USD']).map((found) => found.reading.kind),
      ['cny-per-day'],
    );
    assert.deepEqual(uncountedBudgets(readings, ['nothing', 'nothing']), []);
    assert.deepEqual(
      uncountedBudgets(readings, ['USD', 'CNY']).map((found) => [found.reading.kind, found.spend]),
      [
        ['usd-per-day', 'CNY'],
        ['cny-per-day', 'USD'],
      ],
      'a chat model billed in yuan escapes the dollar budget, a completion model in dollars the yuan one',
    );
  });
});

describe('the words of a budget that holds', () => {
  const now = START;
  const [hold] = [
    decideBudgets({
      scopes: [scope({ usdPerDay: 0.5 }, { today: { USD: 520_000 } }, now, { backend: 'qwen' })],
      backend: 'qwen',
      spend: 'USD',
      now,
    }).completion,
  ];

  it('the status bar says paused, by a budget, and until when', () => {
    assert.ok(hold);
    assert.equal(pausedFigure(hold, now, 'UTC'), 'completion paused · budget · until 00:00');
    const tooltip = pausedTooltip(hold, '$0.52', now, 'UTC');
    assert.match(tooltip, /qwen's today's \$0\.50 budget/);
    assert.match(tooltip, /spent today: \$0\.52/);
  });

  it("the status bar names the clock time the budget resets at in the user's zone, never a bare date that reads as its midnight", () => {
    // 10:00 in Tokyo: the UTC day resets at 09:00 tomorrow there, not at Tokyo's midnight.
    const tokyoMorning = Date.UTC(2027, 0, 30, 1);
    const day = decideBudgets({
      scopes: [scope({ usdPerDay: 0.5 }, { today: { USD: 520_000 } }, tokyoMorning)],
      backend: 'qwen',
      spend: 'USD',
      now: tokyoMorning,
    }).completion;
    assert.ok(day);
    assert.equal(pausedFigure(day, tokyoMorning, 'Asia/Tokyo'), 'completion paused · budget · until 09:00');
    // The monthly budget resets on Feb 1 at 00:00 UTC: still Jan 31, 16:00, in Los Angeles.
    const month = decideBudgets({
      scopes: [scope({ usdPerMonth: 0.5 }, { today: { USD: 520_000 } }, now)],
      backend: 'qwen',
      spend: 'USD',
      now,
    }).completion;
    assert.ok(month);
    assert.equal(pausedFigure(month, now, 'America/Los_Angeles'), 'completion paused · budget · until Jan 31 16:00');
    assert.equal(pausedFigure(month, now, 'UTC'), 'completion paused · budget · until Feb 1');
  });

  it('the notification says the pause is on, naming the reset once', () => {
    assert.ok(hold);
    assert.equal(pausedNote(hold, now, true, 'UTC'), 'Automatic completion is paused until then; Alt+\\ still asks.');
    assert.match(pausedNote(hold, now, false, 'UTC'), /paused until 00:00 UTC;/);
  });

  it('names the overall budget as such', () => {
    const overall = decideBudgets({
      scopes: [scope({ usdPerDay: 0.5 }, { today: { USD: 520_000 } }, now)],
      backend: 'qwen',
      spend: 'USD',
      now,
    }).completion;
    assert.ok(overall);
    assert.match(
      pausedTooltip(overall, '$0.52', now, 'UTC'),
      /paused by today's \$0\.50 budget over all backends, until 00:00 UTC/,
    );
  });

  it("the chat's question shows today's spend", () => {
    assert.ok(hold);
    assert.match(chatQuestion(hold, '$0.52', now, 'UTC'), /Spent today: \$0\.52\. Send this chat request anyway\?/);
  });

  it("today's spend says what it could not price: the requests with no known price are not $0", () => {
    assert.ok(hold);
    const totals = { cost: { USD: 520_000 }, unpricedRequests: 3 };
    assert.match(chatQuestion(hold, spentTodayText(totals), now, 'UTC'), /Spent today: \$0\.52 \+ 3 unpriced\./);
    assert.equal(spentTodayText(undefined), '$0.00');
    assert.equal(
      spentTodayText(totals, 'the usage ledger could not be opened'),
      'unknown (the usage ledger could not be opened)',
    );
  });

  it('a raised budget must be a number above what is spent', () => {
    assert.ok(hold);
    assert.deepEqual(parseBudget('2.50', hold.reading), { amount: 2.5 });
    assert.deepEqual(parseBudget(' $3 ', hold.reading), { amount: 3 });
    assert.match(parseBudget('0.5', hold.reading).error ?? '', /more than what is already spent \(\$0\.52\)/);
    for (const bad of ['', 'abc', '-1', '1e9', 'Infinity', '5; rm -rf'])
      assert.ok(parseBudget(bad, hold.reading).error, `"${bad}" is refused`);
  });
});

describe('pauses chosen by hand, as kept in global state', () => {
  const NOW = Date.UTC(2026, 11, 5, 12);
  const hold = {
    backend: 'qwen',
    name: 'Qwen',
    reading: {
      kind: 'usd-per-day',
      used: 1_600_000,
      limit: 2_000_000,
      fraction: 0.8,
      source: 'settings',
      currency: 'USD',
      resetsAt: NOW + 3_600_000,
    },
    action: 'pause',
    until: NOW + 3_600_000,
    manual: true,
  };

  it('reads back a pause until its reset, and then no more', () => {
    const [read] = storedManualHolds([hold], NOW);
    assert.equal(read?.backend, 'qwen');
    assert.equal(read?.until, NOW + 3_600_000);
    assert.equal(read?.manual, true);
    assert.equal(read?.reading.currency, 'USD');
    const decision = decideBudgets({
      scopes: [],
      manual: storedManualHolds([hold], NOW),
      backend: 'qwen',
      spend: 'USD',
      now: NOW,
    });
    assert.equal(decision.completion?.name, 'Qwen', 'completion stays paused');
    assert.deepEqual(storedManualHolds([hold], NOW + 3_600_000), [], 'the pause ends at the reset');
  });

  it('drops whatever is not a pause on a budget: nothing malformed can hold or lift completion', () => {
    const bad = [
      null,
      'pause',
      { ...hold, until: 'tomorrow' },
      { ...hold, until: Number.POSITIVE_INFINITY },
      { ...hold, backend: 7 },
      { ...hold, name: undefined },
      { ...hold, reading: { ...hold.reading, kind: 'requests-per-day' } },
      { ...hold, reading: { ...hold.reading, used: Number.NaN } },
      { ...hold, reading: null },
    ];
    assert.deepEqual(storedManualHolds(bad, NOW), []);
    assert.deepEqual(storedManualHolds({ 0: hold }, NOW), []);
    assert.equal(
      storedManualHolds(
        Array.from({ length: 1_000 }, () => hold),
        NOW,
      ).length,
      32,
      'bounded',
    );
  });
});

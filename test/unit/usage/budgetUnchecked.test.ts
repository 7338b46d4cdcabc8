import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLimits, type Budgets } from '../../../src/core/usage/limits';
import { decideBudgets, type BudgetAction, type BudgetScope } from '../../../src/core/usage/budgetAction';
import { chatQuestion, manualTriggerNote, pausedFigure, pausedTooltip } from '../../../src/core/usage/budgetText';

/** 20:00 UTC on Jan 30. */
const NOW = Date.UTC(2027, 0, 30, 20);

/** A scope as the limit monitor evaluates it when the ledger never opened: nothing counted. */
function scope(budgets: Budgets, options: { backend?: string; action?: BudgetAction } = {}): BudgetScope {
  const state = evaluateLimits({
    limits: budgets,
    usage: { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} },
    now: NOW,
  });
  return {
    ...(options.backend !== undefined && { backend: options.backend }),
    name: options.backend ?? 'all backends',
    action: options.action ?? 'pause',
    readings: state.readings,
  };
}

describe('a budget when what was spent cannot be known (the usage ledger could not be opened)', () => {
  it('holds automatic completion and makes chat ask on every backend it covers, as if reached', () => {
    for (const backend of [undefined, 'deepseek']) {
      const decision = decideBudgets({
        scopes: [scope({ usdPerDay: 5 }, { backend })],
        backend: 'deepseek',
        spend: 'USD',
        now: NOW,
        spentUnknown: true,
      });
      assert.equal(decision.completion?.unchecked, true, 'automatic completion waits');
      assert.equal(decision.chat?.unchecked, true, 'chat asks first');
    }
  });

  it('never holds what costs nothing, another backend, or a budget in a currency the backend does not spend', () => {
    const scopes = [scope({ usdPerDay: 5 }), scope({ cnyPerDay: 10 }, { backend: 'qwen-cn' })];
    const held = (backend: string, spend: 'USD' | 'CNY' | 'nothing' | undefined) =>
      decideBudgets({ scopes, backend, spend, now: NOW, spentUnknown: true }).completion !== undefined;
    assert.equal(held('ollama', 'nothing'), false, 'a local backend completes: it spends nothing');
    assert.equal(held('deepseek', 'USD'), true);
    assert.equal(held('unpriced', undefined), true, 'an unknown price is never free');
    assert.equal(held('qwen-cn', 'CNY'), true, 'its own yuan budget');
    assert.equal(held('moonshot', 'CNY'), false, 'no budget covers its yuan');
  });

  it('with no budget set, or with "warn", nothing is held: no promise to stop was made', () => {
    assert.deepEqual(decideBudgets({ scopes: [], backend: 'deepseek', spend: 'USD', now: NOW, spentUnknown: true }), {
      warnOnly: [],
    });
    const warned = decideBudgets({
      scopes: [scope({ usdPerDay: 5 }, { action: 'warn' })],
      backend: 'deepseek',
      spend: 'USD',
      now: NOW,
      spentUnknown: true,
    });
    assert.equal(warned.completion, undefined);
    assert.equal(warned.chat, undefined);
  });

  it('says the budget cannot be checked and why, never a reset it is waiting for nor a spend of $0.00', () => {
    const hold = decideBudgets({
      scopes: [scope({ usdPerDay: 5 }, { backend: 'deepseek' })],
      backend: 'deepseek',
      spend: 'USD',
      now: NOW,
      spentUnknown: true,
    }).completion;
    assert.ok(hold);
    const named = { ...hold, name: 'DeepSeek' };
    assert.equal(pausedFigure(named, NOW, 'UTC'), 'completion paused · budget cannot be checked');
    const tooltip = pausedTooltip(named, 'unknown', NOW, 'UTC');
    assert.match(tooltip, /DeepSeek's today's \$5\.00 budget cannot be checked: the usage ledger could not be opened/);
    assert.match(tooltip, /Alt\+\\ still asks/);
    assert.doesNotMatch(tooltip, /\$0\.00|until 00:00/);
    const question = chatQuestion(named, 'unknown', NOW, 'UTC');
    assert.match(
      question,
      /^DeepSeek's today's \$5\.00 budget cannot be checked: the usage ledger could not be opened/,
    );
    assert.match(question, /Send this chat request anyway\?$/);
    assert.doesNotMatch(question, /\$0\.00|resets/);
    assert.match(
      manualTriggerNote(named, '$0.01'),
      /cannot be checked; this request you asked for costs up to \$0\.01/,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetProblems } from '../../../src/core/settings/budgetSettings';

const messages = (budget: unknown, fallbackBudget?: unknown) =>
  budgetProblems(budget, fallbackBudget).map((problem) => problem.message);

describe('a budget setting that caps nothing is said', () => {
  it('an amount typed as text, below zero or under a misspelt key names the setting and what it does meanwhile', () => {
    assert.deepEqual(messages({ usdPerDay: '5' }), [
      'switchboard.budget.usdPerDay must be a number of US dollars; that budget caps nothing until it is fixed.',
    ]);
    assert.deepEqual(messages({ cnyPerMonth: -20 }), [
      'switchboard.budget.cnyPerMonth must not be negative; that budget caps nothing until it is fixed.',
    ]);
    assert.deepEqual(messages({ usdPerDy: 5 }), [
      'switchboard.budget has "usdPerDy", which is not one of usdPerDay, usdPerMonth, cnyPerDay, cnyPerMonth, action; it caps nothing.',
    ]);
    assert.deepEqual(messages(undefined, { usdPerMonth: 3 }), [
      'switchboard.fallbackBudget has "usdPerMonth", which is not one of usdPerDay, cnyPerDay; it caps nothing.',
    ]);
    assert.match(messages(5)[0] ?? '', /^switchboard\.budget must be an object like \{ "usdPerDay": 5 \}/);
    assert.match(messages({}, ['x'])[0] ?? '', /^switchboard\.fallbackBudget must be an object/);
  });

  it('a setting pulled in by a missing closing brace is named, with the likely cause', () => {
    // `"switchboard.budget": { "usdPerMonth": 5,` and no `}`: the next setting reads as a key of the budget.
    assert.deepEqual(messages({ usdPerMonth: 5, 'workbench.startupEditor': 'none' }), [
      'switchboard.budget has "workbench.startupEditor", which is not one of usdPerDay, usdPerMonth, cnyPerDay, cnyPerMonth, action; it caps nothing. It reads as a setting of its own: is a closing brace missing before it?',
    ]);
  });

  it('a misspelt action says that reached budgets still pause', () => {
    assert.deepEqual(messages({ usdPerDay: 5, action: 'wran' }), [
      'switchboard.budget.action must be "pause" or "warn"; reached budgets pause completion until it is fixed.',
    ]);
  });

  it('unset or sound budgets have no problem, and a key that could be markup is not repeated', () => {
    assert.deepEqual(messages(undefined, undefined), []);
    assert.deepEqual(messages({}, {}), []);
    assert.deepEqual(messages({ usdPerDay: 0, cnyPerMonth: 300, action: 'warn' }, { usdPerDay: 1.5 }), []);
    assert.match(messages({ '[x](command:evil)': 1 })[0] ?? '', /has a key, which/);
  });
});

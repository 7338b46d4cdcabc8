import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newBackendBudget, parseNewBudget } from '../../../src/core/usage/newBudget';

describe('the budget Add Provider offers', () => {
  it('is a daily budget in the currency the new backend bills in', () => {
    assert.deepEqual(newBackendBudget(['USD', 'USD'], {}), { key: 'usdPerDay', currency: 'USD' });
    // Model Studio Beijing bills in yuan: a dollar budget would never count it.
    assert.deepEqual(newBackendBudget(['CNY', 'CNY'], {}), { key: 'cnyPerDay', currency: 'CNY' });
    // A free completion model beside a paid chat model: chat spends, so a budget is due.
    assert.deepEqual(newBackendBudget(['USD', 'nothing'], {}), { key: 'usdPerDay', currency: 'USD' });
  });

  it('is not offered where nothing would count it, or an overall budget already does', () => {
    assert.equal(newBackendBudget(['nothing', 'nothing'], {}), undefined, 'local, free or plan');
    assert.equal(newBackendBudget([undefined, undefined], {}), undefined, 'a price nobody knows');
    assert.equal(newBackendBudget(['USD'], { usdPerMonth: 20 }), undefined);
    assert.equal(newBackendBudget(['USD'], { usdPerDay: 0 }), undefined, 'a budget of 0 covers it too');
    // An overall budget in yuan does not cover a backend billed in dollars.
    assert.deepEqual(newBackendBudget(['USD'], { cnyPerDay: 10 }), { key: 'usdPerDay', currency: 'USD' });
    assert.deepEqual(newBackendBudget(['USD'], { usdPerDay: 'lots' }), { key: 'usdPerDay', currency: 'USD' });
  });

  it('reads an amount, or nothing typed as no budget', () => {
    assert.deepEqual(parseNewBudget(''), {});
    assert.deepEqual(parseNewBudget('  '), {});
    assert.deepEqual(parseNewBudget('2'), { amount: 2 });
    assert.deepEqual(parseNewBudget('$0.50'), { amount: 0.5 });
    assert.deepEqual(parseNewBudget('¥ 30'), { amount: 30 });
    for (const bad of ['0', '0.00', '-1', 'two', '1e3', '2,50', '1.1234567'])
      assert.match(parseNewBudget(bad).error ?? '', /above 0/, bad);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { freeLocal } from '../../../src/core/usage/costClass';
import { emptyTotals, type Totals } from '../../../src/core/usage/rollups';
import { spendText } from '../../../src/core/usage/spendWords';

const totals = (over: Partial<Totals>): Totals => ({ ...emptyTotals(), ...over });

describe('the status bar’s spend words', () => {
  it('a local backend reads free, never "$0.00" as if it were metered', () => {
    assert.equal(spendText(totals({ requests: 12 }), { local: true }), 'free (local)');
    assert.equal(spendText(totals({}), { local: true }), 'free (local)');
  });

  it('a paid backend that really spent nothing still reads $0.00; an unpriced one unknown', () => {
    assert.equal(spendText(totals({ requests: 3 })), '$0.00');
    assert.equal(spendText(totals({ requests: 3, unpricedRequests: 3 })), 'price unknown');
    assert.equal(spendText(totals({ requests: 3, unpricedRequests: 1, cost: { USD: 420_000 } })), '$0.42 + 1 unpriced');
    assert.equal(spendText(totals({})), 'no cost');
  });

  it('a local server the user priced (a rented GPU) shows what it cost', () => {
    assert.equal(spendText(totals({ requests: 2, cost: { USD: 30_000 } }), { local: true }), '$0.03');
  });

  it('a plan backend with metered spend earlier says both, never "included in plan" alone', () => {
    const month = totals({ requests: 50, planRequests: 40, cost: { USD: 1_200_000 } });
    assert.equal(spendText(month, { plan: true }), '$1.20 + 40 in plan');
    assert.equal(spendText(totals({ requests: 40, planRequests: 40 }), { plan: true }), 'included in plan');
    assert.equal(spendText(totals({}), { plan: true }), 'included in plan');
  });
});

describe('which backends read "free (local)"', () => {
  const config = (entry: Record<string, unknown>) => {
    const { providers, problems } = parseProviders([entry]);
    assert.deepEqual(problems, []);
    return providers[0]!;
  };
  it('a local server nobody priced; not one the user priced, nor any remote one', () => {
    assert.equal(freeLocal(config({ id: 'o', preset: 'ollama' })), true);
    assert.equal(freeLocal(config({ id: 'l', preset: 'lmstudio' })), true);
    const priced = { '*': { inputPerMTok: 1, outputPerMTok: 5 } };
    assert.equal(freeLocal(config({ id: 'g', preset: 'ollama', prices: priced })), false);
    assert.equal(freeLocal(config({ id: 'd', preset: 'deepseek' })), false);
    assert.equal(freeLocal(config({ id: 'c', preset: 'custom', baseUrl: 'http://127.0.0.1:4000/v1' })), false);
  });
});

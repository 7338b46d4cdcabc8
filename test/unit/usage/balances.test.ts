import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  fetchBalance,
  parseDeepSeekBalance,
  parseLiteLlmKeyInfo,
  parseOpenRouterKey,
} from '../../../src/core/usage/balances';
import { evaluateLimits } from '../../../src/core/usage/limits';
import { describeState } from '../../../src/core/usage/switchAdvice';
import { startEmulator, type Emulator } from '../../emulator/server';

const NOW = Date.UTC(2026, 10, 22, 12);
const usage = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };

describe('balances', () => {
  it('reads an OpenRouter key with a limit as spent-of-limit', () => {
    const balance = parseOpenRouterKey(
      { data: { label: 'k', usage: 8.5, limit: 10, limit_remaining: 1.5, is_free_tier: false } },
      NOW,
    );
    assert.deepEqual(
      { ...balance },
      { source: 'openrouter', currency: 'USD', limit: 10, used: 8.5, remaining: 1.5, available: true, fetchedAt: NOW },
    );
    const state = evaluateLimits({ limits: {}, usage, balance, now: NOW });
    assert.equal(state.level, 'warning');
    assert.equal(
      describeState('OpenRouter', state, NOW),
      "OpenRouter is at 85% of a limit: $8.50 of the key's $10.00 budget spent.",
    );
  });

  it('reads a DeepSeek balance (amounts are strings) and stops at zero', () => {
    const low = parseDeepSeekBalance(
      {
        is_available: true,
        balance_infos: [{ currency: 'CNY', total_balance: '0.60', granted_balance: '0.00', topped_up_balance: '0.60' }],
      },
      NOW,
    );
    assert.equal(low?.remaining, 0.6);
    assert.equal(evaluateLimits({ limits: {}, usage, balance: low, now: NOW }).level, 'warning');
    assert.equal(
      describeState('DeepSeek', evaluateLimits({ limits: {}, usage, balance: low, now: NOW }), NOW),
      'DeepSeek is at 80% of a limit: ¥0.60 balance left.',
    );
    const empty = parseDeepSeekBalance(
      { is_available: false, balance_infos: [{ currency: 'USD', total_balance: '0.00' }] },
      NOW,
    );
    assert.equal(evaluateLimits({ limits: {}, usage, balance: empty, now: NOW }).level, 'exhausted');
    const plenty = parseDeepSeekBalance(
      { is_available: true, balance_infos: [{ currency: 'USD', total_balance: '25.00' }] },
      NOW,
    );
    assert.equal(evaluateLimits({ limits: {}, usage, balance: plenty, now: NOW }).level, 'ok');
  });

  it('a DeepSeek account holding yuan beside an empty dollar entry is funded, and shows the yuan', () => {
    const both = parseDeepSeekBalance(
      {
        is_available: true,
        balance_infos: [
          { currency: 'USD', total_balance: '0.00' },
          { currency: 'CNY', total_balance: '42.50' },
        ],
      },
      NOW,
    );
    assert.equal(both?.currency, 'CNY');
    assert.equal(both?.remaining, 42.5);
    assert.equal(evaluateLimits({ limits: {}, usage, balance: both, now: NOW }).level, 'ok');
    // An entry whose currency is not an ISO code is skipped, not the whole answer.
    const odd = parseDeepSeekBalance(
      {
        balance_infos: [
          { currency: '<b>x</b>', total_balance: '9' },
          { currency: 'USD', total_balance: '3.00' },
        ],
      },
      NOW,
    );
    assert.equal(odd?.currency, 'USD');
    assert.equal(odd?.remaining, 3);
  });

  it('reads a LiteLLM team budget and when it resets', () => {
    const budget = parseLiteLlmKeyInfo(
      { key: 'hash', info: { spend: 100, max_budget: 100, budget_reset_at: '2026-12-01T00:00:00Z' } },
      NOW,
    );
    assert.equal(budget?.available, false);
    assert.equal(budget?.resetsAt, Date.UTC(2026, 11, 1));
    const state = evaluateLimits({ limits: {}, usage, balance: budget, now: NOW });
    assert.equal(state.level, 'exhausted');
    assert.match(
      describeState('Team gateway', state, NOW, 'UTC') ?? '',
      /^Team gateway reached its limit: \$100\.00 of the key's \$100\.00 budget spent; it resets at Dec 1, 00:00 UTC\.$/,
    );
  });

  it('returns undefined for shapes it does not know, never throws', () => {
    assert.equal(parseOpenRouterKey({ nope: 1 }, NOW), undefined);
    assert.equal(parseDeepSeekBalance('<html>', NOW), undefined);
    assert.equal(parseLiteLlmKeyInfo(null, NOW), undefined);
  });
});

describe('balances from the emulator over HTTP', () => {
  const key = 'sk-balance-test-0123456789abcdef';
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      apiKey: key,
      deepseek: { currency: 'USD', grantedBalance: 0, toppedUpBalance: 3.5 },
      openrouter: { usage: 2, limit: 5 },
    });
  });
  after(() => emulator.close());

  it('fetches OpenRouter, DeepSeek and LiteLLM balances from their endpoints', async () => {
    const openrouter = await fetchBalance('openrouter', {
      providerId: 'or',
      baseUrl: emulator.baseUrls.openrouter,
      apiKey: key,
    });
    assert.equal(openrouter?.remaining, 3);
    const deepseek = await fetchBalance('deepseek', {
      providerId: 'ds',
      baseUrl: `${emulator.baseUrls.deepseek}/v1`,
      apiKey: key,
    });
    assert.equal(deepseek?.remaining, 3.5);
    const litellm = await fetchBalance('litellm', {
      providerId: 'team',
      baseUrl: `${emulator.baseUrls.litellm}/v1`,
      apiKey: key,
    });
    assert.equal(litellm?.source, 'litellm');
    assert.ok(
      emulator.count('/user/balance') === 1 && emulator.count('/api/v1/key') === 1 && emulator.count('/key/info') === 1,
    );
  });
});

/**
 * Switchboard's own clients against the emulator's plan endpoints, over real sockets: the Coding
 * Plan's spent window becomes a quota failure (not a retry loop), Z.ai's quota endpoint becomes
 * plan windows, and OpenRouter's key endpoint the free-model allowance.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { ProviderError } from '../../../src/core/providers/providerError';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { fetchBalance } from '../../../src/core/usage/balances';
import { evaluateLimits } from '../../../src/core/usage/limits';
import { fetchPlanQuota } from '../../../src/core/usage/planQuota';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-sp-emu-0123456789abcdefghijkl';
const IDLE = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };

async function ask(entry: Record<string, unknown>): Promise<void> {
  const { providers, problems } = parseProviders([{ id: 'plan', ...entry }]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  const provider = createProvider(providers[0], KEY);
  for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 50 }))
    void event;
}

describe('plan endpoints through Switchboard’s clients', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, tokensPerSecond: 0 });
  });
  after(() => emulator.close());

  it('a spent Coding Plan window is a quota failure that is not retried', async () => {
    emulator.configure({ quotas: { 'coding-plan': { requestsPer5h: 2 } } });
    const entry = { preset: 'coding-plan-intl', baseUrl: emulator.baseUrls.codingPlan };
    await ask(entry);
    await ask(entry);
    const before = emulator.count('/coding/v1/chat/completions');
    await assert.rejects(ask(entry), (error: unknown) => {
      assert.ok(ProviderError.is(error));
      assert.equal(error.kind, 'quota-exhausted');
      assert.equal(error.retryable, false);
      return true;
    });
    assert.equal(emulator.count('/coding/v1/chat/completions') - before, 1, 'asked once, not in a loop');
  });

  it("Z.ai's quota endpoint is read into the plan's windows, preferred to the local count", async () => {
    emulator.configure({ zai: { level: 'lite', tokensPer5h: 200 } });
    await ask({ preset: 'zai-coding-plan', baseUrl: emulator.baseUrls.zaiCodingPlan, chatModel: 'glm-5.1' });
    const quota = await fetchPlanQuota({ providerId: 'zai', baseUrl: emulator.baseUrls.zaiCodingPlan, apiKey: KEY });
    assert.equal(quota?.level, 'lite');
    const window = quota?.windows[0];
    assert.equal(window?.window, 'in 5 h');
    assert.equal(window?.unit, 'tokens');
    assert.ok((window?.used ?? 0) > 0);
    const state = evaluateLimits({
      limits: {},
      usage: IDLE,
      planWindows: quota?.windows,
      planSource: 'server',
      now: Date.now(),
    });
    assert.equal(state.readings[0]?.source, 'server');
  });

  it("OpenRouter's key endpoint tells the day's free-model requests", async () => {
    emulator.configure({ openrouter: { credits: 0, creditsPurchased: 0 } });
    await ask({ preset: 'openrouter', baseUrl: emulator.baseUrls.openrouter });
    const balance = await fetchBalance('openrouter', {
      providerId: 'or',
      baseUrl: emulator.baseUrls.openrouter,
      apiKey: KEY,
    });
    assert.equal(balance?.freeDaily?.limit, 50);
    assert.equal(balance?.freeDaily?.used, 1);
  });
});

/**
 * Cache hits the backend reports reach our usage, so the ledger bills them at the cache rate:
 * DeepSeek's own counter, OpenAI-style prompt_tokens_details (Model Studio), over real sockets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { priceRequest } from '../../../src/core/usage/pricing';
import { createProvider } from '../../../src/backends/providerRuntime';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-PLANTEDKEY-cache-0123456789abc';

function provider(entry: Record<string, unknown>): Provider {
  const { providers, problems } = parseProviders([{ id: 'p', ...entry }]);
  assert.deepEqual(problems, []);
  assert.ok(providers[0]);
  return createProvider(providers[0], KEY);
}

// Long enough for every backend's minimum (DeepSeek 64 tokens, Model Studio 256).
const FILE = Array.from({ length: 80 }, (_, i) => `export const value${i} = compute(${i});`).join('\n');

describe('cache hits in reported usage', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ apiKey: KEY, implicitPrefixCache: true });
  });
  after(() => emulator.close());

  it('DeepSeek FIM: prompt_cache_hit_tokens become cache reads, billed at the cache-hit rate', async () => {
    const deepseek = provider({
      preset: 'deepseek',
      baseUrl: emulator.baseUrls.openai,
      fimBaseUrl: emulator.baseUrls.deepseekBeta,
    });
    await deepseek.fim({ prefix: `${FILE}\nexport const next`, suffix: '\n', maxTokens: 16 });
    const second = await deepseek.fim({ prefix: `${FILE}\nexport const next =`, suffix: '\n', maxTokens: 16 });
    const { usage } = second;
    assert.equal(usage.reported, true);
    assert.ok(usage.cacheReadTokens > 0, `cache reads ${usage.cacheReadTokens}`);
    assert.equal(usage.cacheReadTokens % 64, 0, "DeepSeek's 64-token units");
    assert.ok(usage.cacheReadTokens <= usage.inputTokens);

    const at = new Date('2026-10-01T12:00:00Z');
    const price = (cacheReadTokens: number) =>
      priceRequest({
        presetId: 'deepseek',
        local: false,
        model: 'deepseek-v4-flash',
        usage: { ...usage, cacheReadTokens },
        at,
      });
    const billed = price(usage.cacheReadTokens);
    const uncached = price(0);
    assert.ok(billed.micros !== null && uncached.micros !== null);
    assert.ok(billed.micros < uncached.micros, `${billed.micros} < ${uncached.micros}`);
  });

  it('Model Studio over chat: prompt_tokens_details.cached_tokens become cache reads', async () => {
    const studio = provider({ preset: 'dashscope-intl', baseUrl: emulator.baseUrls.dashscope });
    await studio.fim({ prefix: `${FILE}\nexport const last`, suffix: '\n', maxTokens: 16 });
    const { usage } = await studio.fim({ prefix: `${FILE}\nexport const last =`, suffix: '\n', maxTokens: 16 });
    assert.ok(usage.cacheReadTokens >= 256, `cache reads ${usage.cacheReadTokens}`);
    assert.ok(usage.cacheReadTokens <= usage.inputTokens);
  });
});

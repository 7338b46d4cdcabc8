/**
 * Cache hits the backend reports reach our usage, so the ledger bills them at the cache rate:
 * DeepSeek's own counter, OpenAI-style prompt_tokens_details (Model Studio), over real sockets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Provider } from '../../../src/core/providers/types';
import { PromptCacheMemory } from '../../../src/core/providers/usage';
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

  // A completion stream closed once the engine has enough never gets the server's count, which
  // comes at the end: its estimate counts the cache read this backend's last report let it count
  // on, rather than pricing the whole prompt as uncached (several times its cost here).
  for (const [name, entry] of [
    ['DeepSeek FIM', { preset: 'deepseek', fimBaseUrl: 'deepseekBeta', baseUrl: 'openai' }],
    ['Model Studio over chat', { preset: 'dashscope-intl', baseUrl: 'dashscope' }],
  ] as const) {
    it(`${name}: a stream closed early is estimated with the cache read the last report shows, when it starts with all of it`, async () => {
      const urls = emulator.baseUrls as unknown as Record<string, string>;
      const backend = provider({
        preset: entry.preset,
        baseUrl: urls[entry.baseUrl],
        ...('fimBaseUrl' in entry && { fimBaseUrl: urls[entry.fimBaseUrl] }),
      });
      const closedEarly = (prefix: string) =>
        backend.fim({
          prefix,
          suffix: '\n',
          maxTokens: 64,
          onText: (text) => (text.includes('\n') ? 'enough' : undefined),
        });
      emulator.configure({ fimResponder: () => ' compute(80);\nexport const more = 1;\n'.repeat(4) });
      try {
        // Nothing reported yet for this model: the estimate counts no cache read.
        const first = await closedEarly(`${FILE}\nexport const a =`);
        assert.equal(first.stoppedEarly, true);
        assert.equal(first.usage.cacheReadTokens, 0);
        // A single line comes whole, with the server's count.
        const reported = await backend.fim({ prefix: `${FILE}\nexport const b`, suffix: '\n', maxTokens: 16 });
        assert.equal(reported.usage.reported, true);
        assert.ok(reported.usage.cacheReadTokens > 0);
        const stopped = await closedEarly(`${FILE}\nexport const b =`);
        assert.equal(stopped.stoppedEarly, true);
        assert.equal(stopped.usage.reported, false, 'still an estimate, and marked as one');
        assert.ok(stopped.usage.cacheReadTokens > 0, 'the shared start counts as read from the cache');
        assert.equal(stopped.usage.cacheReadTokens, reported.usage.cacheReadTokens, 'what was read then is read again');
        // A request cut short while it streamed (cancelled) is estimated the same way by its provider.
        const cut = backend.estimateFimUsage?.({ prefix: `${FILE}\nexport const b = c`, suffix: '\n' }, ' compute');
        assert.equal(cut?.cacheReadTokens, reported.usage.cacheReadTokens);
        assert.equal(cut?.reported, false);
        assert.equal(cut?.outputTokens, 2);
        // A prompt that shares less than that with the last one counts none.
        const elsewhere = await closedEarly(`// another file\n${FILE.split('\n').reverse().join('\n')}\nx =`);
        assert.equal(elsewhere.usage.cacheReadTokens, 0);
      } finally {
        emulator.configure({ fimResponder: undefined });
      }
    });
  }
});

describe('estimating the cache read of a request whose report never came', () => {
  const reported = (inputTokens: number, cacheReadTokens: number) => ({
    inputTokens,
    outputTokens: 10,
    cacheReadTokens,
    cacheWriteTokens: 0,
    reported: true,
  });
  const start = 'x'.repeat(4_000);

  it('counts what was read last time when the prompt starts with all of it, and never more than its input', () => {
    const memory = new PromptCacheMemory();
    assert.equal(memory.estimate('m', `${start}a`, 'out').cacheReadTokens, 0, 'nothing reported yet');
    memory.remember('m', `${start}a`, reported(1_001, 900));
    const estimate = memory.estimate('m', `${start}b`, 'out');
    assert.deepEqual(estimate, {
      inputTokens: 1_001,
      outputTokens: 1,
      cacheReadTokens: 900,
      cacheWriteTokens: 0,
      reported: false,
    });
    memory.remember('m', `${start}a`, reported(1_001, 1_000));
    assert.equal(memory.estimate('m', 'x'.repeat(3_900), '').cacheReadTokens, 975, 'at most its input');
  });

  it('counts none when the prompt shares less than was read, for another model, or after an estimate', () => {
    const memory = new PromptCacheMemory();
    memory.remember('m', `${start}a`, reported(1_001, 900));
    assert.equal(memory.estimate('m', `${'x'.repeat(2_000)}y${start}`, '').cacheReadTokens, 0);
    assert.equal(memory.estimate('other', `${start}b`, '').cacheReadTokens, 0);
    memory.remember('m', `${start}a`, { ...reported(1_001, 0), reported: false });
    assert.equal(memory.estimate('m', `${start}b`, '').cacheReadTokens, 900, 'an estimate teaches nothing');
    memory.remember('m', `${start}a`, reported(1_001, 0));
    assert.equal(memory.estimate('m', `${start}b`, '').cacheReadTokens, 0, 'the last report read nothing');
    // A server's count is checked before it shapes an estimate: none that no server could mean.
    for (const bogus of [-5, 2_000, 1.5, Number.NaN, '700' as unknown as number]) {
      memory.remember('m', `${start}a`, reported(1_001, bogus));
      assert.equal(memory.estimate('m', `${start}b`, '').cacheReadTokens, 0, String(bogus));
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { PRESETS } from '../../../src/core/providers/presets';
import type { Usage } from '../../../src/core/providers/types';
import type { Price, PriceInput } from '../../../src/core/usage/pricing';
import { billingCurrencyOf } from '../../../src/core/usage/priceList';
import { DATASET_PROVIDER_BY_PRESET, pricePerMTok, priceRequest } from '../../../src/core/usage/pricing';

// Expected figures are tokens × USD-per-1M, which is micro-dollars; rates are the bundled
// dataset's (@pydantic/genai-prices 0.1.8). A fixed time keeps dated and time-of-day prices still.
const AT = new Date('2026-10-01T12:00:00Z');

function usage(inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0): Usage {
  return { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reported: true };
}

function price(presetId: string, model: string, tokens: Usage, extra: Partial<PriceInput> = {}): Price {
  return priceRequest({ presetId, local: false, model, usage: tokens, at: AT, ...extra });
}

const UNKNOWN: Price = { micros: null, source: 'unknown' };

// Pricing must work offline: the dataset's optional auto-update is the only thing that could fetch.
const realFetch = globalThis.fetch;
let fetches = 0;
before(() => {
  globalThis.fetch = (() => {
    fetches += 1;
    return Promise.reject(new Error('pricing must not fetch'));
  }) as typeof fetch;
});
after(() => {
  globalThis.fetch = realFetch;
  assert.equal(fetches, 0, 'pricing called fetch');
});

describe('priceRequest from the dataset', () => {
  it('prices Claude Sonnet 4.6 at $3 / $15 per 1M', () => {
    // 12,345 × 3 + 678 × 15 = 37,035 + 10,170
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-6', usage(12_345, 678)), {
      micros: 47_205,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('prices gpt-4.1-mini at $0.40 / $1.60 per 1M', () => {
    // 1,000,000 × 0.4 + 250,000 × 1.6
    assert.deepEqual(price('openai', 'gpt-4.1-mini', usage(1_000_000, 250_000)), {
      micros: 800_000,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('prices deepseek-v4-flash at the rate in force at the request time', () => {
    const tokens = usage(10_000, 2_000, 4_000);
    // Off-peak since 2026-08-17: $0.22 / $0.66, cache hit $0.007: 6,000 × 0.22 + 4,000 × 0.007 + 2,000 × 0.66.
    assert.deepEqual(price('deepseek', 'deepseek-v4-flash', tokens), {
      micros: 2_668,
      currency: 'USD',
      source: 'dataset',
    });
    // Peak (UTC 01:00–04:00) doubles every rate: 6,000 × 0.44 + 4,000 × 0.014 + 2,000 × 1.32.
    const peak = new Date('2026-10-01T02:00:00Z');
    assert.deepEqual(price('deepseek', 'deepseek-v4-flash', tokens, { at: peak }), {
      micros: 5_336,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('maps the gemini preset to the dataset provider "google"', () => {
    // gemini-3.7-flash: $0.75 / $3.75. 1,000 × 0.75 + 1,000 × 3.75
    assert.deepEqual(price('gemini', 'gemini-3.7-flash', usage(1_000, 1_000)), {
      micros: 4_500,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('maps the codestral preset to Mistral: Codestral $0.30 / $0.90', () => {
    // 10,000 × 0.3 + 1,000 × 0.9
    assert.deepEqual(price('codestral', 'codestral-latest', usage(10_000, 1_000)), {
      micros: 3_900,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('finds a model by its dated id', () => {
    const dated = price('anthropic', 'claude-sonnet-4-5-20250929', usage(1_000, 0));
    assert.deepEqual(dated, { micros: 3_000, currency: 'USD', source: 'dataset' });
  });
});

describe('tiered prices', () => {
  // Alibaba's qwen3-coder-plus tiers are not in the dataset (it has no Alibaba provider), so
  // these use models whose long-context tier it does carry.
  it('prices every token of Claude Sonnet 4.5 at the long-context rate once input exceeds 200K', () => {
    // 200,000 is not over the threshold: $3 / $15. 200,000 × 3 + 1,000 × 15
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-5', usage(200_000, 1_000)), {
      micros: 615_000,
      currency: 'USD',
      source: 'dataset',
    });
    // 200,001: $6 / $22.50 for the whole request. 200,001 × 6 + 1,000 × 22.5
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-5', usage(200_001, 1_000)), {
      micros: 1_222_506,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('picks the tier by total input, cache reads included', () => {
    // 250,000 input of which 200,000 cached: over 200K, so $6 input, $0.60 cache read, $22.50 output.
    // 50,000 × 6 + 200,000 × 0.6 + 100 × 22.5 = 300,000 + 120,000 + 2,250
    const tokens = usage(250_000, 100, 200_000);
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-5', tokens), {
      micros: 422_250,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('applies Gemini 3.1 Pro tiers: $2 / $12 up to 200K input, $4 / $18 above', () => {
    assert.deepEqual(price('gemini', 'gemini-3.1-pro-preview', usage(100_000, 1_000)), {
      micros: 212_000,
      currency: 'USD',
      source: 'dataset',
    });
    assert.deepEqual(price('gemini', 'gemini-3.1-pro-preview', usage(300_000, 1_000)), {
      micros: 1_218_000,
      currency: 'USD',
      source: 'dataset',
    });
  });
});

describe('cache tokens', () => {
  it('bills cache reads at the cache rate (gpt-4.1-mini: $0.10 instead of $0.40)', () => {
    // 20,000 × 0.4 + 80,000 × 0.1; all at the input rate it would be 40,000.
    assert.deepEqual(price('openai', 'gpt-4.1-mini', usage(100_000, 0, 80_000)), {
      micros: 16_000,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('bills cache writes at the write rate (Claude Sonnet 4.6: $3.75)', () => {
    // 2,000 × 3 + 8,000 × 3.75 + 1,000 × 0.3 (reads) = 6,000 + 30,000 + 300
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-6', usage(11_000, 0, 1_000, 8_000)), {
      micros: 36_300,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('bills cache reads at the input rate when the model has no cache price (Codestral)', () => {
    // 1,000 × 0.3, the same as without the cache.
    assert.deepEqual(price('mistral', 'codestral-latest', usage(1_000, 0, 600)), {
      micros: 300,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('is unknown when cache tokens exceed the input they are part of', () => {
    // Anthropic reports input_tokens without the cache; such usage must be summed before pricing.
    assert.deepEqual(price('anthropic', 'claude-sonnet-4-6', usage(50, 10, 10_000)), UNKNOWN);
  });

  it('is unknown for counts that are not whole non-negative numbers', () => {
    for (const bad of [usage(-1, 0), usage(1.5, 0), usage(Number.NaN, 0), usage(0, Infinity)]) {
      assert.deepEqual(price('openai', 'gpt-4.1-mini', bad), UNKNOWN);
    }
  });

  it('is unknown, never an inexact number, for a cost past Number.MAX_SAFE_INTEGER micros', () => {
    // 9e15 prompt tokens at gpt-4.1's $2 per 1M: 18,000,000,000,000,080 micros, not a safe integer.
    assert.deepEqual(price('openai', 'gpt-4.1', usage(9_000_000_000_000_000, 10)), UNKNOWN);
    // The same count at gpt-4.1-mini's $0.40 is 3,600,000,000,000,016 micros: exact, and kept.
    assert.deepEqual(price('openai', 'gpt-4.1-mini', usage(9_000_000_000_000_000, 10)), {
      micros: 3_600_000_000_000_016,
      currency: 'USD',
      source: 'dataset',
    });
  });
});

describe('overrides, local backends and unknown models', () => {
  const override = { inputPerMTok: 1, outputPerMTok: 5, cacheReadPerMTok: 0.1 };

  it('lets an override win over the dataset', () => {
    // 10,000 × 1 + 2,000 × 5 (the dataset would give 4,000 + 3,200)
    assert.deepEqual(price('openai', 'gpt-4.1-mini', usage(10_000, 2_000), { override }), {
      micros: 20_000,
      currency: 'USD',
      source: 'override',
    });
  });

  it('prices an override where the dataset knows nothing (Qwen on Model Studio)', () => {
    // 32,000 input of which 12,000 cached, 1,000 output: 20,000 × 1 + 12,000 × 0.1 + 1,000 × 5
    assert.deepEqual(price('dashscope-intl', 'qwen3-coder-plus', usage(32_000, 1_000, 12_000), { override }), {
      micros: 26_200,
      currency: 'USD',
      source: 'override',
    });
  });

  it('bills cache tokens at the override input rate when it gives no cache rates', () => {
    const flat = { inputPerMTok: 2, outputPerMTok: 8 };
    assert.deepEqual(price('custom', 'default', usage(1_000, 0, 400, 100), { override: flat }), {
      micros: 2_000,
      currency: 'USD',
      source: 'override',
    });
  });

  it('lets an override win over the local flag', () => {
    const remoteGpu = price('vllm', 'Qwen/Qwen2.5-Coder-7B-Instruct', usage(1_000, 1_000), { local: true, override });
    assert.deepEqual(remoteGpu, { micros: 6_000, currency: 'USD', source: 'override' });
  });

  it('is unknown, not a guess, for an override with an unusable rate', () => {
    const broken = { inputPerMTok: -1, outputPerMTok: 5 };
    assert.deepEqual(price('openai', 'gpt-4.1-mini', usage(1_000, 1_000), { override: broken }), UNKNOWN);
  });

  it('costs a local backend nothing, whatever the model', () => {
    assert.deepEqual(price('ollama', 'qwen2.5-coder:7b', usage(5_000_000, 1_000_000), { local: true }), {
      micros: 0,
      currency: 'USD',
      source: 'local',
    });
  });

  it('is unknown (null), never 0, for a model the dataset lacks', () => {
    const result = price('openai', 'gpt-nonexistent-9', usage(1_000, 1_000));
    assert.deepEqual(result, UNKNOWN);
    assert.notEqual(result.micros, 0);
  });

  it('is unknown where neither the dataset nor our own table has a price', () => {
    // prices-research.json: no source for this model on siliconflow.com.
    assert.deepEqual(price('siliconflow', 'Qwen/Qwen2.5-Coder-7B-Instruct', usage(1_000, 1_000)), UNKNOWN);
    assert.deepEqual(price('dashscope-intl', 'qwen3-coder-next', usage(1_000, 1_000)), UNKNOWN);
    // A custom server may be named after a paid model; its price is still the user's to give.
    assert.deepEqual(price('custom', 'gpt-4.1-mini', usage(1_000, 1_000)), UNKNOWN);
  });

  it('does not borrow another provider’s price for the same model name', () => {
    // Together has no openai/gpt-oss-120b entry; OpenRouter and Groq do, at other prices.
    assert.deepEqual(price('together', 'openai/gpt-oss-120b', usage(1_000, 1_000)), UNKNOWN);
    // Groq's own: $0.15 / $0.60.
    assert.deepEqual(price('groq', 'openai/gpt-oss-120b', usage(1_000, 1_000)), {
      micros: 750,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('lets LiteLLM name the provider in the model, and stays unknown for a bare alias', () => {
    assert.deepEqual(price('litellm', 'openai/gpt-4.1-mini', usage(1_000_000, 0)), {
      micros: 400_000,
      currency: 'USD',
      source: 'dataset',
    });
    assert.deepEqual(price('litellm', 'default', usage(1_000, 1_000)), UNKNOWN);
  });
});

describe('mainland China hosts of international presets', () => {
  // api.moonshot.cn and open.bigmodel.cn serve mainland accounts, billed in yuan (the presets'
  // own notes; Moonshot's balance is read as CNY there). No yuan list for them is bundled: their
  // requests are unknown, never priced in dollars that no yuan budget would count.
  const usage: Usage = {
    inputTokens: 1_000_000,
    outputTokens: 200_000,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
  };
  const price = (presetId: string, baseUrl: string, model: string) =>
    priceRequest({ presetId, baseUrl, local: false, model, usage, at: AT });

  it('prices Moonshot on api.moonshot.cn and Zhipu on open.bigmodel.cn as unknown, not in dollars', () => {
    assert.deepEqual(price('moonshot', 'https://api.moonshot.cn/v1', 'kimi-k2.6'), UNKNOWN);
    assert.deepEqual(price('zhipu', 'https://open.bigmodel.cn/api/paas/v4', 'glm-4.7'), UNKNOWN);
    assert.equal(pricePerMTok('moonshot', 'kimi-k2.6', false, 'https://api.moonshot.cn/v1'), undefined);
    assert.equal(pricePerMTok('zhipu', 'glm-4.7', false, 'https://open.bigmodel.cn/api/paas/v4'), undefined);
  });

  it('asks the user for a price there in yuan, and elsewhere in dollars', () => {
    assert.equal(billingCurrencyOf('moonshot', 'https://api.moonshot.cn/v1'), 'CNY');
    assert.equal(billingCurrencyOf('zhipu', 'https://open.bigmodel.cn/api/paas/v4'), 'CNY');
    assert.equal(billingCurrencyOf('moonshot', 'https://api.moonshot.ai/v1'), 'USD');
    assert.equal(billingCurrencyOf('custom', 'https://gateway.example.cn/v1'), 'USD');
  });

  it('keeps pricing the international hosts in dollars', () => {
    const moonshot = price('moonshot', 'https://api.moonshot.ai/v1', 'kimi-k2.6');
    assert.equal(moonshot.micros !== null && moonshot.currency, 'USD');
    const zai = price('zhipu', 'https://api.z.ai/api/paas/v4', 'glm-4.7');
    assert.equal(zai.micros !== null && zai.currency, 'USD');
  });
});

describe('OpenRouter :free variants', () => {
  it('costs qwen/qwen3-coder:free nothing (listed in the dataset with empty prices)', () => {
    assert.deepEqual(price('openrouter', 'qwen/qwen3-coder:free', usage(50_000, 5_000)), {
      micros: 0,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('costs a :free variant the dataset does not list yet nothing', () => {
    assert.deepEqual(price('openrouter', 'newlab/new-model:free', usage(50_000, 5_000)), {
      micros: 0,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('keeps the paid variant paid: qwen/qwen3-coder $0.22 / $1.80', () => {
    // 50,000 × 0.22 + 5,000 × 1.8
    assert.deepEqual(price('openrouter', 'qwen/qwen3-coder', usage(50_000, 5_000)), {
      micros: 20_000,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('applies the :free rule to OpenRouter only', () => {
    assert.deepEqual(price('groq', 'newlab/new-model:free', usage(1_000, 1_000)), UNKNOWN);
  });
});

describe('rounding to whole micro-dollars', () => {
  it('rounds half up', () => {
    // deepseek-v4-flash cache hits at $0.007: 500 × 0.007 = 3.5 → 4; 499 × 0.007 = 3.493 → 3.
    assert.deepEqual(price('deepseek', 'deepseek-v4-flash', usage(500, 0, 500)), {
      micros: 4,
      currency: 'USD',
      source: 'dataset',
    });
    assert.deepEqual(price('deepseek', 'deepseek-v4-flash', usage(499, 0, 499)), {
      micros: 3,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('rounds exactly where floating point would not', () => {
    // Opus 4.8 cache reads at $0.50: 249 × 0.5 = 124.5 → 125. In floating point 0.5 × 249 / 1e6
    // dollars is 124.49999999999999 micros, which Math.round takes to 124.
    assert.deepEqual(price('anthropic', 'claude-opus-4-8', usage(249, 0, 249)), {
      micros: 125,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('rounds once, after summing', () => {
    // llama-3.1-8b-instant $0.05 / $0.08: 9 × 0.05 + 1 × 0.08 = 0.53 → 1 (each part alone rounds to 0).
    assert.deepEqual(price('groq', 'llama-3.1-8b-instant', usage(9, 1)), {
      micros: 1,
      currency: 'USD',
      source: 'dataset',
    });
    assert.deepEqual(price('groq', 'llama-3.1-8b-instant', usage(9, 0)), {
      micros: 0,
      currency: 'USD',
      source: 'dataset',
    });
  });

  it('returns integers for fractional per-token prices', () => {
    const { micros } = price('deepseek', 'deepseek-v4-flash', usage(12_347, 3_331, 1_111));
    assert.ok(Number.isInteger(micros), `got ${micros}`);
    // 11,236 × 0.22 + 1,111 × 0.007 + 3,331 × 0.66 = 2,471.92 + 7.777 + 2,198.46 = 4,678.157
    assert.equal(micros, 4_678);
  });

  it('agrees with the dataset’s own arithmetic to within rounding, for every model of every mapped provider', () => {
    const shapes = [usage(1_234_567, 7_654), usage(300_000, 1_000, 100_000, 50_000), usage(7, 3, 2, 1)];
    const presetFor = new Map<string, string>();
    for (const [presetId, providerId] of DATASET_PROVIDER_BY_PRESET) {
      if (providerId && providerId !== 'litellm' && !presetFor.has(providerId)) presetFor.set(providerId, presetId);
    }
    let compared = 0;
    for (const [providerId, presetId] of presetFor) {
      const provider = findProvider({ providerId });
      assert.ok(provider, `dataset provider ${providerId} is gone`);
      for (const model of provider.models) {
        for (const tokens of shapes) {
          const theirs = calcPrice(
            {
              input_tokens: tokens.inputTokens,
              output_tokens: tokens.outputTokens,
              cache_read_tokens: tokens.cacheReadTokens,
              cache_write_tokens: tokens.cacheWriteTokens,
            },
            model.id,
            { providerId, timestamp: AT },
          );
          if (!theirs) continue;
          const ours = price(presetId, model.id, tokens);
          assert.equal(ours.source, 'dataset', `${providerId}/${model.id}`);
          const diff = Math.abs((ours.micros ?? Number.NaN) - theirs.total_price * 1e6);
          assert.ok(
            diff <= 0.5 + 1e-6,
            `${providerId}/${model.id}: ours ${ours.micros}, theirs ${theirs.total_price * 1e6}`,
          );
          compared += 1;
        }
      }
    }
    assert.ok(compared > 1_000, `only ${compared} comparisons`);
  });
});

describe('pricePerMTok', () => {
  it('gives input and output rates per 1M tokens', () => {
    assert.deepEqual(pricePerMTok('openai', 'gpt-4.1-mini', false), { input: 0.4, output: 1.6, currency: 'USD' });
  });

  it('gives the first tier of a tiered price', () => {
    assert.deepEqual(pricePerMTok('anthropic', 'claude-sonnet-4-5', false), { input: 3, output: 15, currency: 'USD' });
  });

  it('is zero for local backends and :free variants', () => {
    assert.deepEqual(pricePerMTok('ollama', 'qwen2.5-coder:7b', true), { input: 0, output: 0, currency: 'USD' });
    assert.deepEqual(pricePerMTok('openrouter', 'qwen/qwen3-coder:free', false), {
      input: 0,
      output: 0,
      currency: 'USD',
    });
  });

  it('is undefined when unknown', () => {
    assert.equal(pricePerMTok('openai', 'gpt-nonexistent-9', false), undefined);
    assert.equal(pricePerMTok('dashscope-intl', 'qwen3-coder-next', false), undefined);
  });

  it('gives the first tier of our own table, in its currency, by the region the host names', () => {
    assert.deepEqual(pricePerMTok('dashscope-intl', 'qwen3-coder-plus', false), {
      input: 1,
      output: 5,
      currency: 'USD',
    });
    assert.deepEqual(
      pricePerMTok('dashscope-intl', 'qwen3-coder-plus', false, 'https://dashscope.aliyuncs.com/compatible-mode/v1'),
      { input: 4, output: 16, currency: 'CNY' },
    );
  });
});

describe('preset coverage', () => {
  it('classifies every preset: local, or mapped to a dataset provider (or to none, on purpose)', () => {
    for (const preset of PRESETS) {
      assert.ok(
        preset.local === true || DATASET_PROVIDER_BY_PRESET.has(preset.id),
        `${preset.id} has no pricing decision`,
      );
    }
  });

  it('maps only to providers the dataset has', () => {
    for (const [presetId, providerId] of DATASET_PROVIDER_BY_PRESET) {
      if (providerId && providerId !== 'litellm')
        assert.ok(findProvider({ providerId }), `${presetId} → ${providerId}`);
    }
  });
});

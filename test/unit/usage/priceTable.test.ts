import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Usage } from '../../../src/core/providers/types';
import { priceListFor } from '../../../src/core/usage/priceList';
import { priceRequest, type Price } from '../../../src/core/usage/pricing';
import { PRICE_ROWS } from '../../../src/core/usage/priceTable';

const AT = new Date('2026-10-01T12:00:00Z');
const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0): Usage => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens: 0,
  reported: true,
});
const price = (presetId: string, model: string, tokens: Usage, baseUrl?: string): Price =>
  priceRequest({ presetId, baseUrl, local: false, model, usage: tokens, at: AT });

describe("Switchboard's own price table", () => {
  // qwen3-coder-plus, Singapore, USD per 1M: ≤32K 1/5, ≤128K 1.8/9, ≤256K 3/15, above 6/60.
  const plus = (input: number, output = 1_000) => price('dashscope-intl', 'qwen3-coder-plus', usage(input, output));

  it('bills the whole request at the tier its input size falls in, at and around each boundary', () => {
    const cases: [number, number][] = [
      // input tokens → micros (input × rate + 1,000 output × rate)
      [1_000, 1_000 * 1 + 1_000 * 5],
      [32_000, 32_000 * 1 + 1_000 * 5],
      [32_001, 32_001 * 1.8 + 1_000 * 9],
      [128_000, 128_000 * 1.8 + 1_000 * 9],
      [128_001, 128_001 * 3 + 1_000 * 15],
      [256_000, 256_000 * 3 + 1_000 * 15],
      [256_001, 256_001 * 6 + 1_000 * 60],
      [900_000, 900_000 * 6 + 1_000 * 60],
    ];
    for (const [input, micros] of cases) {
      assert.deepEqual(
        plus(input),
        { micros: Math.round(micros), currency: 'USD', source: 'table' },
        `${input} tokens`,
      );
    }
  });

  it('prices cache hits at the cache-hit rate and the rest of the input at the input rate', () => {
    // 10,000 input of which 8,000 cache hits: 2,000 × 1 + 8,000 × 0.2 + 500 × 5.
    assert.deepEqual(price('dashscope-intl', 'qwen3-coder-plus', usage(10_000, 500, 8_000)), {
      micros: 2_000 + 1_600 + 2_500,
      currency: 'USD',
      source: 'table',
    });
    // The tier is still chosen by the whole input, cached tokens included: 40,000 → ≤128K.
    // 10,000 × 1.8 + 30,000 × 0.36 + 0 output.
    assert.deepEqual(price('dashscope-intl', 'qwen3-coder-plus', usage(40_000, 0, 30_000)), {
      micros: 18_000 + 10_800,
      currency: 'USD',
      source: 'table',
    });
    // Without a cache rate (Beijing's qwen3-coder-plus) cached tokens bill at the input rate: 10,000 × 4 + 500 × 16.
    assert.deepEqual(price('dashscope-cn', 'qwen3-coder-plus', usage(10_000, 500, 8_000)), {
      micros: 48_000,
      currency: 'CNY',
      source: 'table',
    });
  });

  it('bills Beijing and siliconflow.cn in yuan, chosen by the host', () => {
    assert.deepEqual(price('dashscope-cn', 'qwen3-coder-flash', usage(1_000, 1_000)), {
      // 1,000 × 1 + 1,000 × 4 yuan per 1M
      micros: 5_000,
      currency: 'CNY',
      source: 'table',
    });
    // The Singapore preset pointed at Beijing's host bills as Beijing.
    assert.equal(priceListFor('dashscope-intl', 'https://dashscope.aliyuncs.com/compatible-mode/v1'), 'dashscope-cn');
    assert.equal(
      priceListFor('dashscope-cn', 'https://ws-1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1'),
      'dashscope-intl',
    );
    // A proxy or a test server keeps its preset's list.
    assert.equal(priceListFor('dashscope-intl', 'http://127.0.0.1:4000/v1'), 'dashscope-intl');
    assert.deepEqual(
      price(
        'siliconflow',
        'Qwen/Qwen3-Coder-30B-A3B-Instruct',
        usage(1_000_000, 1_000_000),
        'https://api.siliconflow.cn/v1',
      ),
      { micros: 3_500_000, currency: 'CNY', source: 'table' },
    );
    assert.deepEqual(price('siliconflow', 'Qwen/Qwen3-Coder-30B-A3B-Instruct', usage(1_000_000, 1_000_000)), {
      micros: 350_000,
      currency: 'USD',
      source: 'table',
    });
  });

  it('prices Z.ai and Together models the dataset lacks', () => {
    // glm-5.1: $1.4 / $4.4, cache 0.26.
    assert.deepEqual(price('zhipu', 'glm-5.1', usage(10_000, 1_000, 5_000)), {
      micros: 5_000 * 1.4 + 5_000 * 0.26 + 1_000 * 4.4,
      currency: 'USD',
      source: 'table',
    });
    assert.deepEqual(price('zhipu', 'glm-4.7-flash', usage(10_000, 1_000)), {
      micros: 0,
      currency: 'USD',
      source: 'table',
    });
    assert.deepEqual(price('together', 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8', usage(1_000, 1_000)), {
      micros: 4_000,
      currency: 'USD',
      source: 'table',
    });
  });

  it("bills a thinking answer's output at the thinking-mode rate where Alibaba sets one", () => {
    const thought = (tokens: Usage, reasoningTokens: number): Usage => ({ ...tokens, reasoningTokens });
    // qwen-plus, Singapore: 0.4 in, 1.2 out, 4 out when it thinks (prices-research.json).
    // 2,000 in, 3,000 out of which 2,500 reasoning: 2,000 × 0.4 + 3,000 × 4.
    assert.deepEqual(price('dashscope-intl', 'qwen-plus', thought(usage(2_000, 3_000), 2_500)), {
      micros: 800 + 12_000,
      currency: 'USD',
      source: 'table',
    });
    // The same request without thinking: 2,000 × 0.4 + 3,000 × 1.2.
    assert.deepEqual(price('dashscope-intl', 'qwen-plus', usage(2_000, 3_000)), {
      micros: 800 + 3_600,
      currency: 'USD',
      source: 'table',
    });
    // Beijing, in yuan, in its ≤128K tier: 2,000 × 0.8 + 3,000 × 8.
    assert.deepEqual(price('dashscope-cn', 'qwen-plus', thought(usage(2_000, 3_000), 100)), {
      micros: 1_600 + 24_000,
      currency: 'CNY',
      source: 'table',
    });
    // The tier still follows the input: Virginia's global qwen-plus above 128K thinks at 3.441.
    assert.deepEqual(price('dashscope-us', 'qwen-plus', thought(usage(200_000, 1_000), 10)), {
      micros: 200_000 * 0.345 + 1_000 * 3.441,
      currency: 'USD',
      source: 'table',
    });
    assert.deepEqual(price('dashscope-intl', 'qwen-turbo', thought(usage(1_000, 1_000), 500)), {
      micros: 50 + 500,
      currency: 'USD',
      source: 'table',
    });
  });

  it("bills SiliconFlow's GLM-4.7 at its long-answer rate from 200 output tokens on, at up to 32K input", () => {
    const glm = (input: number, output: number, cached = 0) =>
      price('siliconflow', 'Pro/zai-org/GLM-4.7', usage(input, output, cached), 'https://api.siliconflow.cn/v1');
    // Under 200 output tokens: 2 in, 8 out per 1M yuan. 10,000 × 2 + 199 × 8.
    assert.deepEqual(glm(10_000, 199), { micros: 20_000 + 1_592, currency: 'CNY', source: 'table' });
    // From 200 on: 3 in, 14 out, 0.6 cache. 10,000 × 3 + 1,000 × 14.
    assert.deepEqual(glm(10_000, 1_000), { micros: 30_000 + 14_000, currency: 'CNY', source: 'table' });
    // Cache hits at 0.6 there: 2,000 × 3 + 8,000 × 0.6 + 200 × 14.
    assert.deepEqual(glm(10_000, 200, 8_000), { micros: 6_000 + 4_800 + 2_800, currency: 'CNY', source: 'table' });
    // Above 32K input the one rate holds whatever the output: 40,000 × 4 + 1,000 × 16.
    assert.deepEqual(glm(40_000, 1_000), { micros: 160_000 + 16_000, currency: 'CNY', source: 'table' });
  });

  it('never shadows the dataset where it has the model', () => {
    // glm-5.2 and glm-5.3 are in both (the table's rows came from the dataset's own repository);
    // the bundled dataset answers.
    assert.ok(PRICE_ROWS.some((row) => row.list === 'zai' && row.model === 'glm-5.2'));
    assert.equal(price('zhipu', 'glm-5.2', usage(1_000, 1_000)).source, 'dataset');
    assert.equal(price('zhipu', 'glm-5.3', usage(1_000, 1_000)).source, 'dataset');
  });

  it('holds well-formed rows: a source and a date each, ascending tiers ending unbounded, no duplicates', () => {
    const seen = new Set<string>();
    for (const row of PRICE_ROWS) {
      const key = `${row.list}/${row.model.toLowerCase()}`;
      assert.ok(!seen.has(key), `${key} twice`);
      seen.add(key);
      assert.ok(row.source.length > 10, `${key} has no source`);
      assert.match(row.asOf, /^\d{4}-\d{2}-\d{2}/, `${key} has no date`);
      assert.ok(row.tiers.length > 0, key);
      assert.equal(row.tiers.at(-1)!.upTo, null, `${key}: the last tier must be unbounded`);
      for (let i = 1; i < row.tiers.length; i++)
        assert.ok(row.tiers[i]!.upTo === null || row.tiers[i]!.upTo! > row.tiers[i - 1]!.upTo!, key);
      for (const tier of row.tiers) {
        for (const rate of [tier.input, tier.output, tier.cacheRead ?? 0]) assert.ok(rate >= 0, key);
        // Thinking and long answers cost more, never less: a typo here would under-bill.
        if (tier.outputThinking !== undefined) assert.ok(tier.outputThinking >= tier.output, key);
        if (tier.longOutput) assert.ok(tier.longOutput.from > 0 && tier.longOutput.output >= tier.output, key);
      }
    }
  });
});

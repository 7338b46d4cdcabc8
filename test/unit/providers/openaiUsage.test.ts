import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageFromCounts as reportedUsage, type UsageCounts } from '../../../src/core/providers/openaiUsage';
import { formatMoney } from '../../../src/core/usage/formatMoney';
import { priceRequest } from '../../../src/core/usage/pricing';

/** The usage the counts report, which these tests expect there to be. */
function usageFromCounts(counts: UsageCounts) {
  const usage = reportedUsage(counts);
  assert.ok(usage, 'the counts are a report');
  return usage;
}

describe('usage as OpenAI-compatible servers count it', () => {
  it('takes the counts as they are when they add up', () => {
    const usage = usageFromCounts({
      prompt_tokens: 120,
      completion_tokens: 40,
      total_tokens: 160,
      prompt_tokens_details: { cached_tokens: 64 },
      completion_tokens_details: { reasoning_tokens: 12 },
    });
    assert.deepEqual(usage, {
      inputTokens: 120,
      outputTokens: 40,
      cacheReadTokens: 64,
      cacheWriteTokens: 0,
      reported: true,
      reasoningTokens: 12,
    });
  });

  it("bills OpenRouter's reported cache writes at the cache-write rate, not the cheaper input rate", () => {
    // OpenRouter's usage accounting (openrouter.ai/docs/use-cases/usage-accounting): prompt_tokens
    // counts the cache writes, which prompt_tokens_details.cache_write_tokens names.
    const usage = usageFromCounts({
      prompt_tokens: 1_194,
      completion_tokens: 20,
      total_tokens: 1_214,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 1_000 },
    });
    assert.equal(usage.cacheWriteTokens, 1_000);
    // Claude Sonnet 4 on OpenRouter: $3 input, $3.75 cache write, $15 output per 1M.
    // 194 × 3 + 1,000 × 3.75 + 20 × 15 = 582 + 3,750 + 300 micro-dollars.
    const price = priceRequest({ presetId: 'openrouter', local: false, model: 'anthropic/claude-sonnet-4', usage });
    assert.equal(price.micros, 4_632);
    assert.equal(formatMoney(price.micros), '$0.0046');
  });

  it('counts thinking a server left out of completion_tokens but billed in the total (Gemini thoughts, as relays report them)', () => {
    // gemini-2.5-flash: 20 prompt, 151 answer, 382 thought, 553 in all (mozilla-ai/any-llm#1290).
    const usage = usageFromCounts({ prompt_tokens: 20, completion_tokens: 151, total_tokens: 553 });
    assert.equal(usage.outputTokens, 533, 'the thinking is output, and billed as output');
    // Only the thinking, no answer (router-for-me/CLIProxyAPI#5733).
    const thoughtOnly = usageFromCounts({
      prompt_tokens: 21,
      completion_tokens: 0,
      total_tokens: 81,
      completion_tokens_details: { reasoning_tokens: 60 },
    });
    assert.deepEqual([thoughtOnly.outputTokens, thoughtOnly.reasoningTokens], [60, 60]);
  });

  it('counts reasoning reported apart from a smaller completion_tokens, with no total to say so', () => {
    const usage = usageFromCounts({
      prompt_tokens: 20,
      completion_tokens: 151,
      completion_tokens_details: { reasoning_tokens: 382 },
    });
    assert.deepEqual([usage.outputTokens, usage.reasoningTokens], [533, 382]);
  });

  it('ignores counts that are not whole numbers: a total below its parts, a negative or fractional count', () => {
    assert.equal(usageFromCounts({ prompt_tokens: 20, completion_tokens: 30, total_tokens: 10 }).outputTokens, 30);
    assert.equal(usageFromCounts({ prompt_tokens: 20, completion_tokens: 30, total_tokens: 70.5 }).outputTokens, 30);
    const negative = usageFromCounts({
      prompt_tokens: 20,
      completion_tokens: 30,
      completion_tokens_details: { reasoning_tokens: -5 },
    });
    assert.deepEqual([negative.outputTokens, negative.reasoningTokens], [30, undefined]);
  });

  it('is no report without a usable prompt_tokens: nothing is taken out of the total as output', () => {
    const hostile = { prompt_tokens: '1000', completion_tokens: 10, total_tokens: 1010 } as unknown as UsageCounts;
    assert.equal(reportedUsage(hostile), undefined);
    assert.equal(reportedUsage({ completion_tokens: 10, total_tokens: 1010 }), undefined);
    assert.equal(reportedUsage({ prompt_tokens: -1, completion_tokens: 10 }), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meterRequest } from '../../../src/core/usage/meterRequest';
import { priceRequest } from '../../../src/core/usage/pricing';
import type { Usage } from '../../../src/core/providers/types';

const priceOn = (presetId: string, model: string) => (usage: Usage) =>
  priceRequest({ presetId, local: false, model, usage, at: new Date('2026-10-01T12:00:00Z') });

describe('meterRequest', () => {
  it('records a request that never reached the server as free and tokenless, even where prices are unknown', () => {
    // A custom server that is down: the prompt was built, but no connection was ever made.
    const metered = meterRequest(
      { promptText: 'x'.repeat(384), error: { kind: 'network', notSent: true } },
      priceOn('custom', 'default'),
    );
    assert.equal(metered.usage.inputTokens, 0);
    assert.equal(metered.usage.outputTokens, 0);
    assert.equal(metered.price.micros, 0, 'a request the server never saw cost nothing, and is not "unpriced"');
  });

  it('still estimates a network failure after the request was sent: the server may have billed it', () => {
    const metered = meterRequest(
      { promptText: 'x'.repeat(400), outputText: 'y'.repeat(40), error: { kind: 'network' } },
      priceOn('anthropic', 'claude-sonnet-4-6'),
    );
    assert.deepEqual([metered.usage.inputTokens, metered.usage.outputTokens, metered.usage.reported], [100, 10, false]);
    // 100 × 3 + 10 × 15
    assert.deepEqual(metered.price, { micros: 450, currency: 'USD', source: 'dataset' });
  });

  it('records a request the server refused with an error status (a bad key, a rate limit, a spent quota) as free', () => {
    // The server answered 401/402/429/503/404 in place of an answer: it never ran the model, and
    // no vendor bills that. An estimate here would show spend the user never had, count against
    // a budget, and make a backend with unknown prices read "unpriced".
    for (const [kind, status] of [
      ['auth', 401],
      ['insufficient-balance', 402],
      ['quota-exhausted', 429],
      ['rate-limited', 429],
      ['overloaded', 529],
      ['model-not-found', 404],
    ] as const) {
      const metered = meterRequest(
        { promptText: 'x'.repeat(4000), error: { kind, status } },
        priceOn('deepseek', 'deepseek-chat'),
      );
      assert.deepEqual(
        [metered.usage.inputTokens, metered.usage.outputTokens, metered.price.micros],
        [0, 0, 0],
        `${kind} (${status}) cost nothing`,
      );
      assert.equal(metered.price.source, 'refused');
      const unknown = meterRequest({ promptText: 'x'.repeat(4000), error: { kind, status } }, priceOn('custom', 'x'));
      assert.equal(unknown.price.micros, 0, `${kind} is free, not "unpriced", where prices are unknown`);
    }
  });

  it('still estimates failures the server may have billed: in a stream, a server error, a request it judged', () => {
    const estimated = (error: {
      kind: 'rate-limited' | 'server' | 'bad-request' | 'context-too-long';
      status?: number;
    }) =>
      meterRequest(
        { promptText: 'x'.repeat(400), outputText: 'y'.repeat(40), error },
        priceOn('anthropic', 'claude-sonnet-4-6'),
      ).usage;
    // A rate limit sent inside a stream after a 200 (OpenRouter): the model had started.
    assert.equal(estimated({ kind: 'rate-limited' }).inputTokens, 100);
    // A 500 may come after the model ran; some vendors bill a 400 they judged (a content filter).
    assert.equal(estimated({ kind: 'server', status: 500 }).inputTokens, 100);
    assert.equal(estimated({ kind: 'bad-request', status: 400 }).inputTokens, 100);
    assert.equal(estimated({ kind: 'context-too-long', status: 400 }).inputTokens, 100);
  });

  it('estimates a cancelled request from its text', () => {
    const metered = meterRequest(
      { promptText: 'abcd'.repeat(10), error: { kind: 'cancelled' } },
      priceOn('custom', 'x'),
    );
    assert.equal(metered.usage.inputTokens, 10);
    assert.equal(metered.price.micros, null);
  });

  it('counts the reasoning in an estimate, so a thinking answer cut short bills at the thinking rate', () => {
    // qwen-plus, Singapore: 0.4 in, 1.2 out, 4 out when it thinks. Stopped mid-answer, nothing reported.
    const metered = meterRequest(
      {
        promptText: 'p'.repeat(4_000),
        outputText: `${'r'.repeat(3_000)}${'a'.repeat(1_000)}`,
        reasoningText: 'r'.repeat(3_000),
        error: { kind: 'cancelled' },
      },
      priceOn('dashscope-intl', 'qwen-plus'),
    );
    assert.equal(metered.usage.reasoningTokens, 750);
    // 1,000 in × 0.4 + 1,000 out × 4.
    assert.deepEqual(metered.price, { micros: 400 + 4_000, currency: 'USD', source: 'table' });
  });

  it('says when the model never ran (refused, or not sent), so the dashboard leaves it out of latency and spend', () => {
    const price = priceOn('deepseek', 'deepseek-chat');
    const prompt = 'x'.repeat(400);
    assert.equal(
      meterRequest({ promptText: prompt, error: { kind: 'rate-limited', status: 429 } }, price).unserved,
      true,
    );
    assert.equal(meterRequest({ promptText: prompt, error: { kind: 'network', notSent: true } }, price).unserved, true);
    // Inside a stream, after a 200: the model had started.
    assert.equal(meterRequest({ promptText: prompt, error: { kind: 'rate-limited' } }, price).unserved, undefined);
    assert.equal(
      meterRequest({ promptText: prompt, error: { kind: 'server', status: 500 } }, price).unserved,
      undefined,
    );
    assert.equal(meterRequest({ promptText: prompt, outputText: 'y' }, price).unserved, undefined);
  });

  it('keeps reported usage as is', () => {
    const usage: Usage = {
      inputTokens: 1000,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reported: true,
    };
    assert.equal(meterRequest({ usage }, priceOn('anthropic', 'claude-sonnet-4-6')).usage, usage);
  });
});

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

  it('estimates a cancelled request from its text', () => {
    const metered = meterRequest(
      { promptText: 'abcd'.repeat(10), error: { kind: 'cancelled' } },
      priceOn('custom', 'x'),
    );
    assert.equal(metered.usage.inputTokens, 10);
    assert.equal(metered.price.micros, null);
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

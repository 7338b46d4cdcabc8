import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { billingOf, PRESETS } from '../../../src/core/providers/presets';
import { priceRequest } from '../../../src/core/usage/pricing';

/**
 * Default models no source prices, each with why. A row here that gets a price must leave the
 * list (the test says so), so the list never hides a fixed gap.
 */
const KNOWN_GAPS: ReadonlyMap<string, string> = new Map<string, string>([]);

describe('every preset prices its default models', () => {
  for (const preset of PRESETS) {
    for (const model of new Set([preset.chatModel, preset.completionModel])) {
      it(`${preset.id}: ${model}`, () => {
        const billing = billingOf(preset);
        const price = priceRequest({
          presetId: preset.id,
          baseUrl: preset.baseUrl,
          local: preset.local === true,
          model,
          usage: { inputTokens: 1_000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
          at: new Date('2026-10-01T12:00:00Z'),
        });
        const gap = KNOWN_GAPS.get(`${preset.id}/${model}`);
        if (billing !== 'paid') {
          // Local, free, plan-included or the user's own server: not priced by the token on purpose.
          assert.ok(['local', 'free', 'plan', 'user'].includes(billing));
          return;
        }
        if (gap) {
          assert.equal(price.micros, null, `${preset.id}/${model} now has a price: remove it from KNOWN_GAPS`);
          return;
        }
        assert.notEqual(price.micros, null, `${preset.id}/${model} prices as unknown`);
      });
    }
  }
});

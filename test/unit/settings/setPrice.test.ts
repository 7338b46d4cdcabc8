import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPreset } from '../../../src/core/providers/presets';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { parsePerMTok, withPrice } from '../../../src/core/settings/setPrice';
import { needsPrice, presetPriceText } from '../../../src/core/usage/backendPrice';
import { pricePerMTok } from '../../../src/core/usage/pricing';

describe('Set price…', () => {
  it('reads a price per 1M as typed, and refuses anything else', () => {
    assert.equal(parsePerMTok(' 0.3 '), 0.3);
    assert.equal(parsePerMTok('12'), 12);
    for (const bad of ['', '-1', '1e3', 'abc', '0x10', '1,5', '99999999'])
      assert.equal(parsePerMTok(bad), undefined, bad);
  });

  it('writes the model’s price into its entry, keeping everything else, and the result parses', () => {
    const entries = [
      {
        id: 'box',
        preset: 'custom',
        baseUrl: 'http://10.0.0.2:8000/v1',
        prices: { other: { inputPerMTok: 1, outputPerMTok: 2 } },
      },
      { id: 'cn', preset: 'dashscope-cn' },
    ];
    const next = withPrice(entries, 'box', 'default', { inputPerMTok: 0.3, outputPerMTok: 1.2, currency: 'USD' })!;
    assert.deepEqual(next[0], {
      ...entries[0],
      prices: { other: { inputPerMTok: 1, outputPerMTok: 2 }, default: { inputPerMTok: 0.3, outputPerMTok: 1.2 } },
    });
    assert.equal(next[1], entries[1]);
    const yuan = withPrice(next, 'cn', 'qwen-coder-turbo', { inputPerMTok: 2, outputPerMTok: 6, currency: 'CNY' })!;
    const { providers, problems } = parseProviders(yuan);
    assert.deepEqual(problems, []);
    assert.deepEqual(providers[1]?.prices['qwen-coder-turbo'], { currency: 'CNY', inputPerMTok: 2, outputPerMTok: 6 });
    assert.equal(withPrice(entries, 'missing', 'm', { inputPerMTok: 1, outputPerMTok: 1, currency: 'USD' }), undefined);
  });

  it('is offered where a paid or user-priced backend has no price, and not once it has one', () => {
    const { providers } = parseProviders([
      { id: 'box', preset: 'custom' },
      { id: 'priced', preset: 'custom', prices: { '*': { inputPerMTok: 1, outputPerMTok: 1 } } },
      { id: 'sg', preset: 'dashscope-intl' },
      { id: 'home', preset: 'ollama' },
    ]);
    assert.deepEqual(
      providers.map((config) => needsPrice(config, config.chatModel, pricePerMTok)),
      [true, false, false, false],
    );
  });

  it('shows each preset’s price in Add Provider, and says when it is unknown', () => {
    assert.equal(
      presetPriceText(findPreset('dashscope-intl')!, pricePerMTok),
      'qwen3-coder-plus: $1.00 / $5.00 per 1M',
    );
    assert.equal(presetPriceText(findPreset('dashscope-cn')!, pricePerMTok), 'qwen3-coder-plus: ¥4.00 / ¥16.00 per 1M');
    assert.equal(presetPriceText(findPreset('custom')!, pricePerMTok), 'price unknown: yours to set');
    assert.equal(presetPriceText(findPreset('ollama')!, pricePerMTok), 'local, free');
    assert.equal(presetPriceText(findPreset('vscode-lm')!, pricePerMTok), 'included in a plan');
  });

  it('names a plan’s model, so a Qwen Code user who types “qwen” finds the Coding Plan', () => {
    // Add Provider filters on the label and this text: the plan's name says Alibaba, not Qwen.
    for (const id of ['coding-plan-intl', 'coding-plan-cn']) {
      const text = presetPriceText(findPreset(id)!, pricePerMTok);
      assert.equal(text, 'qwen3-coder-plus: included in the plan', id);
    }
  });
});

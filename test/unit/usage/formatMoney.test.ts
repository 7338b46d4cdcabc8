import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatAmounts,
  formatMoney,
  formatPerMTok,
  formatPrice,
  formatSpend,
  formatTotalCost,
  formatUnits,
  plural,
} from '../../../src/core/usage/formatMoney';

describe('formatMoney', () => {
  const cases: [number | null, string][] = [
    [null, 'price unknown'],
    [0, '$0.00'],
    [1, '< $0.0001'],
    [99, '< $0.0001'],
    [100, '$0.0001'],
    [1_300, '$0.0013'],
    [4_250, '$0.0043'],
    [9_949, '$0.0099'],
    [9_950, '$0.01'],
    [14_999, '$0.01'],
    [15_000, '$0.02'],
    [1_200_000, '$1.20'],
    [1_234_567, '$1.23'],
    [1_234_567_890, '$1,234.57'],
    [-1_200_000, '-$1.20'],
  ];
  for (const [micros, text] of cases) {
    it(`shows ${micros} micro-dollars as ${text}`, () => assert.equal(formatMoney(micros), text));
  }

  it('writes yuan with their own sign, at the same precision', () => {
    assert.equal(formatMoney(3_100_000, 'CNY'), '¥3.10');
    assert.equal(formatMoney(1_300, 'CNY'), '¥0.0013');
    assert.equal(formatMoney(50, 'CNY'), '< ¥0.0001');
    assert.equal(formatMoney(null, 'CNY'), 'price unknown');
  });
});

describe('formatAmounts and formatSpend', () => {
  it('shows each currency apart, never a sum', () => {
    assert.equal(formatAmounts({ USD: 420_000, CNY: 3_100_000 }), '$0.42 · ¥3.10');
    assert.equal(formatAmounts({ CNY: 3_100_000 }), '¥3.10');
    assert.equal(formatAmounts({}), '$0.00');
    assert.equal(formatAmounts({ USD: 0, CNY: 10_000 }), '¥0.01');
  });

  it('adds the requests it could not price, and says "price unknown" when none had a price', () => {
    assert.equal(formatSpend({ USD: 420_000 }, 2), '$0.42 + 2 unpriced');
    assert.equal(formatTotalCost({}, 3, 3), 'price unknown');
    assert.equal(formatTotalCost({ CNY: 10_000 }, 3, 1), '¥0.01 + 1 unpriced');
    // A plan's requests are never "$0.00": all of them read "included in plan", some add "+ N in plan".
    assert.equal(formatTotalCost({}, 4, 0, 4), 'included in plan');
    assert.equal(formatTotalCost({ USD: 420_000 }, 5, 0, 3), '$0.42 + 3 in plan');
    assert.equal(formatTotalCost({}, 5, 2, 3), 'price unknown + 3 in plan');
    // Requests the model never ran (refused, not sent) are no spend: 16 with 5 in plan and 11 refused
    // is the plan's, not "$0.00 + 5 in plan"; all of them refused cost "$0.00".
    assert.equal(formatTotalCost({}, 16, 0, 5, 11), 'included in plan');
    assert.equal(formatTotalCost({ USD: 420_000 }, 6, 0, 2, 3), '$0.42 + 2 in plan');
    assert.equal(formatTotalCost({}, 4, 1, 0, 3), 'price unknown');
    assert.equal(formatTotalCost({}, 3, 0, 0, 3), '$0.00');
  });

  it('writes a balance in whole units of a known or foreign currency', () => {
    assert.equal(formatUnits(12.5, 'USD'), '$12.50');
    assert.equal(formatUnits(12.5, 'CNY'), '¥12.50');
    assert.equal(formatUnits(12.5, 'EUR'), '12.50 EUR');
  });
});

describe('formatPerMTok', () => {
  it('writes a price per 1M as its list writes it, in its currency', () => {
    assert.equal(formatPerMTok({ input: 1, output: 5 }), '$1.00 / $5.00 per 1M');
    assert.equal(formatPerMTok({ input: 0.574, output: 2.294, currency: 'USD' }), '$0.574 / $2.294 per 1M');
    assert.equal(formatPerMTok({ input: 4, output: 16, currency: 'CNY' }), '¥4.00 / ¥16.00 per 1M');
    assert.equal(formatPerMTok({ input: 0, output: 0 }), 'free');
  });

  it('groups the thousands of a large price, as every other amount is written', () => {
    assert.equal(formatPerMTok({ input: 300, output: 1500 }), '$300.00 / $1,500.00 per 1M');
    assert.equal(formatPerMTok({ input: 2500.5, output: 12000, currency: 'CNY' }), '¥2,500.50 / ¥12,000.00 per 1M');
  });

  it('never calls an unknown price free', () => {
    assert.equal(formatPrice(undefined), 'price unknown');
  });
});

describe('plural', () => {
  it('counts in words', () => {
    assert.equal(plural(1, 'request'), '1 request');
    assert.equal(plural(0, 'request'), '0 requests');
    assert.equal(plural(1_200, 'request'), '1,200 requests');
    assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  });
});

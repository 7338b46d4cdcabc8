import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type uPlot from 'uplot';
import type { DashboardData } from '../../../src/core/usage/dashboardData';
import { costChart, latencyChart, type Theme } from '../../../src/webview/dashboard/charts';

const theme: Theme = { foreground: '#888', grid: '#444', palette: ['#00f', '#f80'], font: '11px sans-serif' };

function data(currency: 'USD' | 'CNY' = 'USD'): DashboardData {
  const days = ['2026-12-05', '2026-12-06'];
  return {
    range: { from: 0, to: 1 },
    days,
    backends: [
      {
        backend: 'dashscope-intl',
        label: 'dashscope-intl',
        currency,
        requests: [0, 2],
        costMicros: [0, 40],
        unpriced: [0, 0],
        inPlan: [0, 0],
        unserved: [0, 0],
      },
    ],
    daily: {
      requests: [0, 2],
      failures: [0, 0],
      inputTokens: [0, 196],
      outputTokens: [0, 16],
      cacheReadTokens: [0, 0],
      cacheWriteTokens: [0, 0],
      latencyP50: [null, 138],
      latencyP95: [null, 138],
    },
    models: [],
    totals: {
      requests: 2,
      failures: 0,
      inputTokens: 196,
      outputTokens: 16,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cost: { [currency]: 40 },
      unpricedRequests: 0,
      planRequests: 0,
      estimatedRequests: 0,
      unservedRequests: 0,
      latencyP50: 138,
      latencyP95: 138,
    },
    acceptance: [],
  };
}

/** The cost axis's labels for the ticks uPlot picks (multiples of one of its 1, 2, 2.5, 5 steps). */
function costLabels(ticks: number[], currency: 'USD' | 'CNY' = 'USD'): string[] {
  const axis = costChart(data(currency), theme, () => {}).build(800).axes![1]!;
  const values = axis.values as (plot: uPlot, splits: number[]) => string[];
  return values({} as uPlot, ticks);
}

describe('dashboard cost axis', () => {
  it('labels a range under a hundredth of a cent with distinct, readable amounts', () => {
    // What uPlot picks for a day that cost $0.00004 (the walkthrough's: four "< $0.0001" in a row).
    assert.deepEqual(costLabels([0, 0.00001, 0.00002, 0.00003, 0.00004]), [
      '$0',
      '$0.00001',
      '$0.00002',
      '$0.00003',
      '$0.00004',
    ]);
    assert.deepEqual(costLabels([0, 0.000025, 0.00005, 0.000075]), ['$0', '$0.000025', '$0.000050', '$0.000075']);
  });

  it('never repeats a label, whatever the step, and writes whole units without cents', () => {
    const ranges = [
      [0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001],
      [0, 0.0025, 0.005, 0.0075, 0.01],
      [0, 0.5, 1, 1.5, 2],
      [0, 2.5, 5, 7.5, 10],
      [0, 500, 1000, 1500],
    ];
    for (const ticks of ranges) {
      const labels = costLabels(ticks);
      assert.equal(
        new Set(labels).size,
        labels.length,
        `distinct labels for ${ticks.join(', ')}: ${labels.join(', ')}`,
      );
      assert.ok(
        labels.every((label) => /^\$[\d,]+(\.\d+)?$/.test(label)),
        `every label is an amount: ${labels.join(', ')}`,
      );
    }
    assert.deepEqual(costLabels([0, 2.5, 5, 7.5]), ['$0', '$2.50', '$5.00', '$7.50']);
    assert.deepEqual(costLabels([0, 500, 1000, 1500]), ['$0', '$500', '$1,000', '$1,500']);
  });

  it('writes yuan with their own sign', () => {
    assert.deepEqual(costLabels([0, 0.00002, 0.00004], 'CNY'), ['¥0', '¥0.00002', '¥0.00004']);
  });
});

describe('dashboard latency chart', () => {
  it('tells a screen reader that requests the model never ran are left out', () => {
    const refused = data();
    refused.totals.unservedRequests = 11;
    assert.equal(
      latencyChart(refused, theme, () => {}).summary,
      'Over the range: p50 138 ms, p95 138 ms. 11 requests refused or not sent are left out: the model never ran.',
    );
    assert.equal(latencyChart(data(), theme, () => {}).summary, 'Over the range: p50 138 ms, p95 138 ms.');
  });
});

describe('dashboard cost chart summary', () => {
  it('tells a screen reader a plan’s requests are included in it, never that they cost $0.00', () => {
    const plan = data();
    plan.backends[0]!.costMicros = [0, 0];
    plan.backends[0]!.inPlan = [0, 2];
    plan.totals.cost = {};
    plan.totals.planRequests = 2;
    const summary = costChart(plan, theme, () => {}).summary;
    assert.doesNotMatch(summary, /\$0\.00/, summary);
    assert.match(summary, /^included in plan over 2 days across 1 backend\./, summary);
  });

  it('says what was spent, per currency, beside the backends counted', () => {
    assert.match(costChart(data(), theme, () => {}).summary, /^< \$0\.0001 over 2 days across 1 backend\./);
  });
});

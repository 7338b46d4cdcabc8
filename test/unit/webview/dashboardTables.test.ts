import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeDashboard } from '../../../src/core/usage/dashboardData';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';
import { renderTotals } from '../../../src/webview/dashboard/tables';

// The dashboard's text against a DOM without a browser; linkedom is ESM-only, hence the dynamic import.
let doc: Document;
before(async () => {
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML('<!DOCTYPE html><html><body><dl id="totals"></dl></body></html>');
  doc = document as unknown as Document;
  Object.assign(globalThis, { document });
});

const DEC_6 = Date.UTC(2026, 11, 6);
const RANGE = { from: DEC_6, to: DEC_6 + 86_400_000 - 1 };
let sequence = 0;
const record = (over: Partial<UsageRecord>): UsageRecord => ({
  id: `w:${sequence++}`,
  time: DEC_6 + 3_600_000,
  backend: 'coding-plan-intl',
  model: 'qwen3-coder-next',
  feature: 'completion',
  inputTokens: 70,
  outputTokens: 8,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 0,
  currency: 'USD',
  latencyMs: 800,
  outcome: 'ok',
  inPlan: true,
  ...over,
});

/** The walkthrough's 16 requests on a Coding Plan: 5 answered, 11 refused by its rate limit in 20 ms. */
async function walkthroughDay() {
  const answered = [700, 750, 800, 850, 900].map((latencyMs) => record({ latencyMs }));
  const refused = Array.from({ length: 11 }, () =>
    record({ inputTokens: 0, outputTokens: 0, latencyMs: 20, outcome: 'rate-limited', inPlan: false, unserved: true }),
  );
  return computeDashboard(
    (async function* () {
      yield* [...answered, ...refused];
    })(),
    RANGE,
  );
}

/** Each totals card as "term: value (detail)", and its tooltip. */
function cards(): { text: string; title: string }[] {
  return [...doc.querySelectorAll('#totals .total')].map((group) => {
    const [term, value, detail] = [...group.children].map((child) => child.textContent);
    return { text: `${term}: ${value}${detail ? ` (${detail})` : ''}`, title: (group as HTMLElement).title ?? '' };
  });
}

describe('dashboard: requests refused before the model ran', () => {
  it('the latency cards leave them out and say so', async () => {
    renderTotals(doc.getElementById('totals')!, await walkthroughDay());
    const latency = cards().filter((card) => card.text.startsWith('Latency'));
    assert.deepEqual(
      latency.map((card) => card.text),
      [
        'Latency p50: 800 ms (11 refused or not sent left out)',
        'Latency p95: 900 ms (11 refused or not sent left out)',
      ],
    );
    for (const card of latency) assert.match(card.title, /refused .*or never sent.* left out/);
  });
});

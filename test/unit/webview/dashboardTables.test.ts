import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeDashboard } from '../../../src/core/usage/dashboardData';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';
import { costNote, renderModels, renderTotals } from '../../../src/webview/dashboard/tables';

// The dashboard's text against a DOM without a browser; linkedom is ESM-only, hence the dynamic import.
let doc: Document;
before(async () => {
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(
    '<!DOCTYPE html><html><body><dl id="totals"></dl><table id="models"></table></body></html>',
  );
  doc = document as unknown as Document;
  Object.assign(globalThis, { document });
  // linkedom has no insertRow on table sections: the browser's, for <thead> and <tbody>.
  for (const tag of ['thead', 'tbody']) {
    const proto = Object.getPrototypeOf(doc.createElement(tag)) as { insertRow?: () => HTMLTableRowElement };
    proto.insertRow ??= function (this: HTMLElement) {
      return this.appendChild(doc.createElement('tr'));
    };
  }
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
  it('the cost card shows no spend for them, and says how many there were', async () => {
    renderTotals(doc.getElementById('totals')!, await walkthroughDay());
    const [cost, requests] = cards();
    // Not "$0.00 + 5 in plan": the "$0.00" stood for 11 refusals, as if they were metered spend.
    assert.equal(
      cost?.text,
      'Cost: included in plan (5 requests included in a plan · 11 refused or not sent: not billed)',
    );
    assert.equal(requests?.text, 'Requests: 16 (11 failed, all refused or not sent)');
  });

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

  it('the per-model row shows the plan, not "$0.00 + 5 in plan", and the answers’ latency', async () => {
    const table = doc.getElementById('models') as HTMLTableElement;
    renderModels(table, await walkthroughDay());
    const cells = [...table.querySelectorAll('tbody tr')[0]!.children].map((cell) => cell.textContent);
    assert.deepEqual(cells, [
      'coding-plan-intl',
      'qwen3-coder-next',
      'included in plan',
      '16',
      '350',
      '40',
      '800 ms',
      '11',
    ]);
  });

  it('the note under the cost chart explains them once', async () => {
    assert.equal(
      costNote(await walkthroughDay()),
      '5 of 16 requests are included in a subscription plan: they cost nothing more per request and are shown as "included in plan". ' +
        '11 of 16 requests were refused or not sent: the model never ran, nothing was billed, and their latency is left out.',
    );
  });
});

describe('dashboard: spending in two currencies', () => {
  it('the note under the cost chart names the backend whose yuan the dollar chart leaves out, and how much', async () => {
    const data = await computeDashboard(
      (async function* () {
        yield record({ backend: 'alpha', inPlan: false, costMicros: 40_000 });
        yield record({ backend: 'beta', inPlan: false, costMicros: 300_000, currency: 'CNY' });
      })(),
      RANGE,
      (id) => (id === 'beta' ? 'Beta CN' : 'Alpha'),
    );
    assert.equal(
      costNote(data),
      'The chart shows USD only: Beta CN spent ¥0.30 in CNY, which is not in it (nothing is converted).',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeDashboard,
  daysInRange,
  nearestRank,
  percentiles,
  presetRange,
  type DashboardRange,
} from '../../../src/core/usage/dashboardData';
import type { CompletionEvent } from '../../../src/core/usage/completionEvent';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';
import { formatCost, formatCostIn } from '../../../src/webview/dashboard/format';
import { webviewToHost } from '../../../src/protocol/dashboardProtocol';

const DAY = 86_400_000;
const NOV_20 = Date.UTC(2026, 10, 20);
let sequence = 0;

function record(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: `w:${sequence++}`,
    time: NOV_20 + 9 * 3_600_000,
    backend: 'qwen',
    currency: 'USD',
    model: 'qwen3-coder-plus',
    feature: 'completion',
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros: 1_000,
    latencyMs: 100,
    outcome: 'ok',
    ...overrides,
  };
}

async function* stream(records: UsageRecord[]): AsyncIterable<UsageRecord> {
  yield* records;
}

/** Nov 20, 21 and 22 (UTC), whole days. */
const THREE_DAYS: DashboardRange = { from: NOV_20, to: NOV_20 + 3 * DAY - 1 };

describe('dashboard data', () => {
  it('lists every UTC day of the range, including days without requests', async () => {
    assert.deepEqual(daysInRange(THREE_DAYS), ['2026-11-20', '2026-11-21', '2026-11-22']);
    // A range starting mid-day still covers that whole day's bucket.
    assert.deepEqual(daysInRange({ from: NOV_20 + 23 * 3_600_000, to: NOV_20 + DAY + 1 }), [
      '2026-11-20',
      '2026-11-21',
    ]);
    assert.deepEqual(daysInRange({ from: NOV_20 + DAY, to: NOV_20 }), []);
    const data = await computeDashboard(stream([]), THREE_DAYS);
    assert.deepEqual(data.days, ['2026-11-20', '2026-11-21', '2026-11-22']);
    assert.deepEqual(data.daily.requests, [0, 0, 0]);
    assert.deepEqual(data.daily.latencyP50, [null, null, null]);
    assert.deepEqual(data.models, []);
    assert.equal(data.totals.requests, 0);
    assert.equal(data.totals.latencyP95, null);
  });

  it('presets cover whole UTC days up to now', () => {
    const now = NOV_20 + 2 * DAY + 15 * 3_600_000;
    assert.deepEqual(presetRange(1, now), { from: NOV_20 + 2 * DAY, to: now });
    assert.deepEqual(daysInRange(presetRange(7, now)).length, 7);
    assert.equal(daysInRange(presetRange(7, now)).at(-1), '2026-11-22');
    assert.equal(daysInRange(presetRange(30, now))[0], '2026-10-24');
  });

  it('stacks cost per day by backend, in integer micros', async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'qwen', costMicros: 1_500 }),
        record({ backend: 'qwen', costMicros: 2_500 }),
        record({ backend: 'openai', model: 'gpt-5-mini', costMicros: 10_000 }),
        record({ backend: 'qwen', time: NOV_20 + 2 * DAY, costMicros: 700 }),
        record({ backend: 'ollama', model: 'qwen2.5-coder', time: NOV_20 + DAY, costMicros: 0 }),
      ]),
      THREE_DAYS,
    );
    // Highest cost first: that is the order of the stack, bottom up.
    assert.deepEqual(
      data.backends.map((series) => [series.backend, series.costMicros, series.requests]),
      [
        ['openai', [10_000, 0, 0], [1, 0, 0]],
        ['qwen', [4_000, 0, 700], [2, 0, 1]],
        ['ollama', [0, 0, 0], [0, 1, 0]],
      ],
    );
    assert.deepEqual(data.daily.requests, [3, 1, 1]);
    assert.deepEqual(data.totals.cost, { USD: 14_700 });
    for (const series of data.backends) for (const micros of series.costMicros) assert.ok(Number.isInteger(micros));
  });

  it('keeps unpriced requests apart: counted, never priced as 0', async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'dashscope', model: 'qwen3-coder-plus', costMicros: null }),
        record({ backend: 'dashscope', model: 'qwen3-coder-plus', costMicros: null, time: NOV_20 + DAY }),
        record({ backend: 'dashscope', model: 'qwen3-coder-flash', costMicros: 300 }),
      ]),
      THREE_DAYS,
    );
    const [series] = data.backends;
    assert.deepEqual(series?.costMicros, [300, 0, 0]);
    assert.deepEqual(series?.unpriced, [1, 1, 0]);
    assert.deepEqual(data.totals.cost, { USD: 300 });
    assert.equal(data.totals.unpricedRequests, 2);
    const plus = data.models.find((row) => row.model === 'qwen3-coder-plus');
    assert.deepEqual([plus?.requests, plus?.costMicros, plus?.unpricedRequests], [2, 0, 2]);
  });

  it("marks a plan's requests as included in the plan, per day, per model and in total", async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'coding-plan', costMicros: 0, inPlan: true }),
        record({ backend: 'coding-plan', costMicros: 0, inPlan: true, time: NOV_20 + DAY }),
        record({ backend: 'deepseek', model: 'deepseek-chat', costMicros: 420 }),
      ]),
      THREE_DAYS,
    );
    const plan = data.backends.find((series) => series.backend === 'coding-plan');
    assert.deepEqual(plan?.inPlan, [1, 1, 0]);
    assert.equal(data.totals.planRequests, 2);
    const row = data.models.find((entry) => entry.backend === 'coding-plan');
    assert.equal(row?.planRequests, 2);
    assert.equal(
      formatCostIn(row!.currency, row!.costMicros, row!.requests, row!.unpricedRequests, row!.planRequests),
      'included in plan',
    );
    assert.equal(
      formatCost(data.totals.cost, data.totals.requests, data.totals.unpricedRequests, data.totals.planRequests),
      '$0.00042 + 2 in plan',
    );
  });

  it('counts only the records inside the range, both ends inclusive', async () => {
    const range: DashboardRange = { from: NOV_20 + DAY, to: NOV_20 + 2 * DAY };
    const data = await computeDashboard(
      stream([
        record({ time: NOV_20 + DAY - 1 }),
        record({ time: NOV_20 + DAY, inputTokens: 1 }),
        record({ time: NOV_20 + 2 * DAY, inputTokens: 2 }),
        record({ time: NOV_20 + 2 * DAY + 1 }),
      ]),
      range,
    );
    assert.deepEqual(data.days, ['2026-11-21', '2026-11-22']);
    assert.deepEqual(data.daily.requests, [1, 1]);
    assert.deepEqual(data.daily.inputTokens, [1, 2]);
    assert.equal(data.totals.requests, 2);
  });

  it('sums requests and tokens per day', async () => {
    const data = await computeDashboard(
      stream([
        record({ inputTokens: 1_000, outputTokens: 50, cacheReadTokens: 800, cacheWriteTokens: 5 }),
        record({ inputTokens: 200, outputTokens: 20, reported: false, outcome: 'rate-limited' }),
        record({ time: NOV_20 + 2 * DAY, inputTokens: 7, outputTokens: 3 }),
      ]),
      THREE_DAYS,
    );
    assert.deepEqual(data.daily.inputTokens, [1_200, 0, 7]);
    assert.deepEqual(data.daily.outputTokens, [70, 0, 3]);
    assert.deepEqual(data.daily.cacheReadTokens, [800, 0, 0]);
    assert.deepEqual(data.daily.cacheWriteTokens, [5, 0, 0]);
    assert.deepEqual(data.daily.failures, [1, 0, 0]);
    assert.equal(data.totals.estimatedRequests, 1);
    assert.equal(data.totals.failures, 1);
  });

  it('computes exact nearest-rank latency percentiles per day and overall', async () => {
    // Day 1: 1..100 ms, across two models so the merge has more than one array.
    const day1 = Array.from({ length: 100 }, (_, index) =>
      record({ latencyMs: 100 - index, model: index % 2 ? 'a' : 'b' }),
    );
    // Day 3: five samples; p50 is the 3rd smallest, p95 the 5th.
    const day3 = [40, 10, 50, 20, 30].map((latencyMs) => record({ time: NOV_20 + 2 * DAY, latencyMs }));
    const data = await computeDashboard(stream([...day1, ...day3]), THREE_DAYS);
    assert.deepEqual(data.daily.latencyP50, [50, null, 30]);
    assert.deepEqual(data.daily.latencyP95, [95, null, 50]);
    // Overall: 105 samples, 1..100 plus 10, 20, 30, 40, 50. p50 is rank 53: 49 has 49 + 4 samples
    // at or below it. p95 is rank 100: 95 has 95 + 5.
    const all = [...day1, ...day3].map((entry) => entry.latencyMs).sort((a, b) => a - b);
    assert.equal(data.totals.latencyP50, all[nearestRank(all.length, 50) - 1]);
    assert.equal(data.totals.latencyP95, all[nearestRank(all.length, 95) - 1]);
    assert.equal(data.totals.latencyP50, 49);
    assert.equal(data.totals.latencyP95, 95);
  });

  it('leaves requests the model never ran out of latency: a 429 answered in 20 ms is not an answer', async () => {
    // The walkthrough's day: a plan's rate limit refused 11 requests at once; 5 were answered.
    const answered = [700, 800, 900, 750, 850].map((latencyMs) =>
      record({ backend: 'coding-plan', costMicros: 0, inPlan: true, latencyMs }),
    );
    const refused = Array.from({ length: 11 }, () =>
      record({
        backend: 'coding-plan',
        costMicros: 0,
        inputTokens: 0,
        outputTokens: 0,
        latencyMs: 20,
        outcome: 'rate-limited',
        unserved: true,
      }),
    );
    const notSent = record({
      backend: 'local',
      model: 'coder',
      costMicros: 0,
      inputTokens: 0,
      outputTokens: 0,
      latencyMs: 3,
      outcome: 'network',
      unserved: true,
    });
    const data = await computeDashboard(stream([...answered, ...refused, notSent]), THREE_DAYS);
    assert.equal(data.totals.latencyP50, 800);
    assert.equal(data.totals.latencyP95, 900);
    assert.deepEqual(data.daily.latencyP50, [800, null, null]);
    const plan = data.models.find((row) => row.backend === 'coding-plan');
    assert.equal(plan?.latencyP50, 800);
    // Still counted as requests and failures, and said apart.
    assert.deepEqual([plan?.requests, plan?.failures, plan?.unservedRequests], [16, 11, 11]);
    assert.equal(data.totals.unservedRequests, 12);
    assert.deepEqual(data.backends.find((series) => series.backend === 'coding-plan')?.unserved, [11, 0, 0]);
    // A model that never ran has no latency to show, not the refusals' 3 ms.
    assert.equal(data.models.find((row) => row.backend === 'local')?.latencyP50, null);
  });

  it('nearest rank matches a sort on random data, and handles one sample', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 1_000;
    const arrays = Array.from({ length: 9 }, (_, index) =>
      Array.from({ length: index * 13 }, random).sort((a, b) => a - b),
    );
    const all = arrays.flat().sort((a, b) => a - b);
    for (const percentile of [1, 50, 90, 95, 99, 100]) {
      assert.equal(
        percentiles(arrays, [percentile])[0],
        all[nearestRank(all.length, percentile) - 1],
        `p${percentile}`,
      );
    }
    assert.deepEqual(percentiles([[42]], [50, 95]), [42, 42]);
    assert.deepEqual(percentiles([[], []], [50]), [undefined]);
  });

  it('builds the per-model table', async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'qwen', model: 'plus', inputTokens: 10, outputTokens: 1, costMicros: 100, latencyMs: 300 }),
        record({ backend: 'qwen', model: 'plus', inputTokens: 20, outputTokens: 2, costMicros: 200, latencyMs: 100 }),
        record({
          backend: 'qwen',
          currency: 'USD',
          model: 'plus',
          inputTokens: 30,
          outputTokens: 3,
          costMicros: null,
          latencyMs: 200,
          outcome: 'timeout',
          time: NOV_20 + DAY,
        }),
        record({ backend: 'openai', model: 'plus', inputTokens: 5, outputTokens: 5, costMicros: 5_000, latencyMs: 50 }),
        record({ backend: 'ollama', model: 'coder', costMicros: 0, latencyMs: 10 }),
      ]),
      THREE_DAYS,
    );
    assert.deepEqual(data.models, [
      {
        backend: 'openai',
        label: 'openai',
        currency: 'USD',
        model: 'plus',
        requests: 1,
        inputTokens: 5,
        outputTokens: 5,
        costMicros: 5_000,
        unpricedRequests: 0,
        planRequests: 0,
        unservedRequests: 0,
        latencyP50: 50,
        failures: 0,
      },
      {
        backend: 'qwen',
        label: 'qwen',
        currency: 'USD',
        model: 'plus',
        requests: 3,
        inputTokens: 60,
        outputTokens: 6,
        costMicros: 300,
        unpricedRequests: 1,
        planRequests: 0,
        unservedRequests: 0,
        latencyP50: 200,
        failures: 1,
      },
      {
        backend: 'ollama',
        label: 'ollama',
        currency: 'USD',
        model: 'coder',
        requests: 1,
        inputTokens: 100,
        outputTokens: 10,
        costMicros: 0,
        unpricedRequests: 0,
        planRequests: 0,
        unservedRequests: 0,
        latencyP50: 10,
        failures: 0,
      },
    ]);
  });
});

describe('dashboard messages from the webview', () => {
  it('accepts the declared messages and rejects anything else', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'range', days: 30 },
      { type: 'range', from: NOV_20, to: NOV_20 + DAY },
      { type: 'export', format: 'json' },
    ]) {
      assert.equal(webviewToHost.safeParse(message).success, true, JSON.stringify(message));
    }
    for (const message of [
      null,
      'ready',
      { type: 'range', days: 3 },
      { type: 'range', from: NOV_20 + DAY, to: NOV_20 },
      { type: 'range', from: 0, to: 20 * 365 * DAY },
      { type: 'range', days: 7, from: NOV_20, to: NOV_20 },
      { type: 'export', format: 'xlsx' },
      { type: 'export', format: 'csv', path: '/etc/passwd' },
      { type: 'run', command: 'x' },
    ]) {
      assert.equal(webviewToHost.safeParse(message).success, false, JSON.stringify(message));
    }
  });
});

describe('dashboard: what a completion is worth', () => {
  const event = (overrides: Partial<CompletionEvent>): CompletionEvent => ({
    id: `w:${sequence++}`,
    time: NOV_20 + 10 * 3_600_000,
    kind: 'shown',
    backend: 'qwen',
    model: 'qwen3-coder-plus',
    chars: 8,
    ...overrides,
  });
  async function* events(list: CompletionEvent[]): AsyncIterable<CompletionEvent> {
    yield* list;
  }

  it('gives each backend and model its acceptance rate and cost per accepted suggestion, within the range', async () => {
    const data = await computeDashboard(
      stream([
        record(),
        record(),
        record({ backend: 'local', model: 'coder', costMicros: 0 }),
        record({ backend: 'plan', model: 'coder', costMicros: 0, inPlan: true }),
        record({ feature: 'chat', costMicros: 90_000 }),
      ]),
      THREE_DAYS,
      (id) => (id === 'qwen' ? 'Qwen' : id),
      {
        events: events([
          event({}),
          event({}),
          event({ kind: 'accepted', how: 'whole' }),
          event({ kind: 'accepted', how: 'whole', time: NOV_20 + 3 * DAY }),
          event({ backend: 'local', model: 'coder' }),
          event({ backend: 'plan', model: 'coder', kind: 'accepted', how: 'line' }),
        ]),
      },
    );
    assert.deepEqual(
      data.acceptance.map((row) => [
        row.label,
        row.model,
        row.shown,
        row.accepted,
        row.acceptanceRate,
        row.costPerAccepted,
      ]),
      [
        ['Qwen', 'qwen3-coder-plus', 2, 1, 0.5, { kind: 'known', perAccepted: { USD: 2_000 } }],
        ['local', 'coder', 1, 0, 0, { kind: 'none' }],
        ['plan', 'coder', 0, 1, null, { kind: 'included' }],
      ],
    );
    assert.equal(data.acceptance[0]?.requestsPerAccepted, 2, 'the chat request is not a completion request');
  });
});

describe('dashboard: a backend no longer configured', () => {
  const removedOr = (current: Record<string, string>) => (id: string, recorded?: string) =>
    current[id] ?? `${recorded ?? id} (removed)`;

  it('is labelled by the name its latest record in range carries, and keeps all its spend', async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'deepseek-2', backendName: 'DeepSeek', costMicros: 3_000, time: NOV_20 + 1_000 }),
        record({ backend: 'deepseek-2', backendName: 'DeepSeek work', costMicros: 4_000, time: NOV_20 + DAY }),
        record({ backend: 'qwen', backendName: 'Old Qwen name', costMicros: 1_000 }),
      ]),
      THREE_DAYS,
      removedOr({ qwen: 'Qwen' }),
    );
    assert.deepEqual(
      data.backends.map((series) => [series.backend, series.label, series.costMicros]),
      [
        ['deepseek-2', 'DeepSeek work (removed)', [3_000, 4_000, 0]],
        ['qwen', 'Qwen', [1_000, 0, 0]],
      ],
    );
    assert.deepEqual(
      data.models.map((row) => row.label),
      ['DeepSeek work (removed)', 'Qwen'],
    );
    assert.deepEqual(data.totals.cost, { USD: 8_000 });
  });

  it('two backends that would read alike are told apart by their ids', async () => {
    const data = await computeDashboard(
      stream([
        record({ backend: 'deepseek', costMicros: 2_000 }),
        record({ backend: 'deepseek-2', costMicros: 1_000 }),
        record({ backend: 'qwen', costMicros: 500 }),
      ]),
      THREE_DAYS,
      (id) => (id === 'qwen' ? 'Qwen' : 'DeepSeek (removed)'),
    );
    assert.deepEqual(
      data.backends.map((series) => series.label),
      ['DeepSeek (removed) · deepseek', 'DeepSeek (removed) · deepseek-2', 'Qwen'],
    );
  });

  it('labels its completion figures the same way', async () => {
    const data = await computeDashboard(
      stream([record({ backend: 'deepseek-2', backendName: 'DeepSeek work' })]),
      THREE_DAYS,
      removedOr({}),
      {
        events: (async function* () {
          yield {
            id: 'e:1',
            time: NOV_20 + 9 * 3_600_000,
            kind: 'shown',
            backend: 'deepseek-2',
            model: 'qwen3-coder-plus',
            chars: 8,
          } satisfies CompletionEvent;
        })(),
      },
    );
    assert.deepEqual(
      data.acceptance.map((row) => row.label),
      ['DeepSeek work (removed)'],
    );
  });
});

/**
 * The usage dashboard's figures, computed in one pass over the ledger's raw records.
 *
 * Memory: the counters are bounded by days × backends (cost, unpriced) and days (requests,
 * tokens), plus one row per (backend, model). Exact percentiles need every sample, so latencies
 * are kept as one number per record in range that the model ran (see `UsageRecord.unserved`), partitioned by (day, backend, model): each record's
 * latency is held once, and the per-day, per-model and overall percentiles are all read from
 * those same sorted arrays by a k-way merge, without a second copy. Nothing else grows with the
 * number of records.
 */
import { AcceptanceTally, type AcceptanceFigures } from './acceptance';
import type { CompletionEvent } from './completionEvent';
import { addAmount, compareAmounts, type Amounts, type Currency } from './money';
import { utcDay } from './rollups';
import type { UsageRecord } from './usageRecord';

const DAY_MS = 86_400_000;

/** Epoch milliseconds, both ends inclusive (as `UsageLedger.records` filters). */
export interface DashboardRange {
  from: number;
  to: number;
}

/**
 * One backend's cost in one currency, aligned with `DashboardData.days`. A backend billed in two
 * currencies (a price set in yuan for one model) has two series; they are never added up.
 */
export interface BackendSeries {
  /** The backend's id, as the ledger records it. */
  backend: string;
  currency: Currency;
  /**
   * What the user calls it (its entry's name, else its id); once it is no longer configured, what
   * `labelOf` makes of the name its records carry. Two backends never share a label: the id is added.
   */
  label: string;
  requests: number[];
  /** Integer micro-units of `currency` per day over the requests whose price is known. */
  costMicros: number[];
  /** Requests per day whose price is unknown: their cost is in no figure, never counted as 0. */
  unpriced: number[];
  /** Requests per day a subscription plan covers: "included in plan", never "$0.00". */
  inPlan: number[];
  /** Requests per day the model never ran (refused, not sent): no spend, never "$0.00" of it. */
  unserved: number[];
}

/** Per-day figures, each array aligned with `DashboardData.days`. */
export interface DailySeries {
  requests: number[];
  failures: number[];
  inputTokens: number[];
  outputTokens: number[];
  cacheReadTokens: number[];
  cacheWriteTokens: number[];
  /**
   * Nearest-rank percentiles in milliseconds over the requests the model ran: a refusal in 20 ms
   * is no answer's latency. Null on a day without such requests.
   */
  latencyP50: (number | null)[];
  latencyP95: (number | null)[];
}

/** One row of the per-model table. */
export interface ModelRow {
  backend: string;
  /** As `BackendSeries.label`. */
  label: string;
  model: string;
  currency: Currency;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Integer micro-units of `currency` over the requests whose price is known. */
  costMicros: number;
  unpricedRequests: number;
  /** Requests a subscription plan covers. */
  planRequests: number;
  /** Of `failures`, the requests the model never ran (refused, not sent). */
  unservedRequests: number;
  /** Over the requests the model ran; null when it ran none of them. */
  latencyP50: number | null;
  /** Requests whose outcome was not 'ok'. */
  failures: number;
}

export interface DashboardTotals {
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Per currency, never summed across currencies. */
  cost: Amounts;
  unpricedRequests: number;
  /** Requests a subscription plan covers: in `cost` as 0, shown as "included in plan". */
  planRequests: number;
  /** Requests whose token counts were estimated because the backend reported none. */
  estimatedRequests: number;
  /** Of `failures`, the requests the model never ran: refused before serving, or never sent. */
  unservedRequests: number;
  /** As `DailySeries.latencyP50`: over the requests the model ran. */
  latencyP50: number | null;
  latencyP95: number | null;
}

/** What completion was worth on one backend and model over the range. */
export interface AcceptanceRow extends AcceptanceFigures {
  /** As `BackendSeries.label`. */
  label: string;
}

/** Everything the dashboard shows; plain JSON, so it crosses to the webview as is. */
export interface DashboardData {
  range: DashboardRange;
  /** UTC calendar days `YYYY-MM-DD` from the range's first to its last, oldest first. */
  days: string[];
  /** Sorted by cost over the range, highest first, then by label. */
  backends: BackendSeries[];
  daily: DailySeries;
  /** Sorted by cost, then requests, highest first, then by backend and model. */
  models: ModelRow[];
  totals: DashboardTotals;
  /** Per backend and model that had completion requests or suggestions, by label then model. */
  acceptance: AcceptanceRow[];
}

export interface DashboardSources {
  /** Completion events (shown, accepted, kept); none when absent. */
  events?: AsyncIterable<CompletionEvent>;
}

/** Nearest-rank: the smallest sample with at least p% of the samples at or below it. */
export function nearestRank(count: number, percentile: number): number {
  return Math.max(1, Math.ceil((percentile / 100) * count));
}

/** The last `days` UTC days up to `now`: 1 is today since 00:00 UTC, 7 adds the six days before. */
export function presetRange(days: number, now: number): DashboardRange {
  return { from: dayStart(now) - (days - 1) * DAY_MS, to: now };
}

/** The UTC days a range covers, oldest first. */
export function daysInRange(range: DashboardRange): string[] {
  const days: string[] = [];
  if (!(range.to >= range.from)) return days;
  for (let start = dayStart(range.from); start <= range.to; start += DAY_MS) days.push(utcDay(start));
  return days;
}

interface ModelAccumulator {
  row: ModelRow;
  /** Latency samples per day index; each array is sorted once, after the pass. */
  latencies: Map<number, number[]>;
}

/**
 * What a backend is called: its current name, or for one no longer configured, a label made from
 * `recordedName`, the name its latest record in range carries (undefined for older records).
 */
export type LabelOf = (backendId: string, recordedName: string | undefined) => string;

export async function computeDashboard(
  records: AsyncIterable<UsageRecord>,
  range: DashboardRange,
  labelOf: LabelOf = (backendId) => backendId,
  sources: DashboardSources = {},
): Promise<DashboardData> {
  const acceptance = new AcceptanceTally();
  const days = daysInRange(range);
  const first = dayStart(range.from);
  const zeros = () => new Array<number>(days.length).fill(0);
  const daily = {
    requests: zeros(),
    failures: zeros(),
    inputTokens: zeros(),
    outputTokens: zeros(),
    cacheReadTokens: zeros(),
    cacheWriteTokens: zeros(),
  };
  const backends = new Map<string, BackendSeries>();
  const models = new Map<string, ModelAccumulator>();
  /** The name each backend's latest record in range carries, and that record's time. */
  const recordedNames = new Map<string, { name: string | undefined; time: number }>();
  let estimatedRequests = 0;

  for await (const record of records) {
    // The caller may hand a wider stream; only the range counts.
    if (!(record.time >= range.from && record.time <= range.to)) continue;
    const day = Math.floor((record.time - first) / DAY_MS);
    if (day < 0 || day >= days.length) continue;
    acceptance.addRequest(record);
    const named = recordedNames.get(record.backend);
    if (!named || record.time >= named.time)
      recordedNames.set(record.backend, { name: record.backendName ?? named?.name, time: record.time });

    const seriesKey = `${record.backend}\u0000${record.currency}`;
    let series = backends.get(seriesKey);
    if (!series)
      backends.set(
        seriesKey,
        (series = {
          backend: record.backend,
          // Set once every record is read: a later one may carry a newer name.
          label: '',
          currency: record.currency,
          requests: zeros(),
          costMicros: zeros(),
          unpriced: zeros(),
          inPlan: zeros(),
          unserved: zeros(),
        }),
      );
    const key = `${record.backend}\u0000${record.model}\u0000${record.currency}`;
    let model = models.get(key);
    if (!model) {
      const row: ModelRow = {
        backend: record.backend,
        label: '',
        model: record.model,
        currency: record.currency,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        unpricedRequests: 0,
        planRequests: 0,
        unservedRequests: 0,
        latencyP50: null,
        failures: 0,
      };
      models.set(key, (model = { row, latencies: new Map() }));
    }
    const failed = record.outcome !== 'ok';

    daily.requests[day]! += 1;
    series.requests[day]! += 1;
    daily.inputTokens[day]! += record.inputTokens;
    daily.outputTokens[day]! += record.outputTokens;
    daily.cacheReadTokens[day]! += record.cacheReadTokens;
    daily.cacheWriteTokens[day]! += record.cacheWriteTokens;
    if (failed) daily.failures[day]! += 1;
    if (!record.reported) estimatedRequests += 1;

    const row = model.row;
    row.requests += 1;
    row.inputTokens += record.inputTokens;
    row.outputTokens += record.outputTokens;
    if (failed) row.failures += 1;
    if (record.inPlan) {
      series.inPlan[day]! += 1;
      row.planRequests += 1;
    }
    if (record.costMicros === null) {
      series.unpriced[day]! += 1;
      row.unpricedRequests += 1;
    } else {
      series.costMicros[day]! += record.costMicros;
      row.costMicros += record.costMicros;
    }
    if (record.unserved) {
      series.unserved[day]! += 1;
      row.unservedRequests += 1;
      continue;
    }

    let samples = model.latencies.get(day);
    if (!samples) model.latencies.set(day, (samples = []));
    samples.push(record.latencyMs);
  }

  for await (const event of sources.events ?? []) {
    if (event.time >= range.from && event.time <= range.to) acceptance.addEvent(event);
  }
  const figures = acceptance.rows();
  const labels = labelsOf(new Set([...recordedNames.keys(), ...figures.map((row) => row.backend)]), (backend) =>
    labelOf(backend, recordedNames.get(backend)?.name),
  );
  const label = (backend: string) => labels.get(backend) ?? backend;
  for (const entry of backends.values()) entry.label = label(entry.backend);
  for (const model of models.values()) model.row.label = label(model.row.backend);

  // Sort every partition once; all percentiles below merge these sorted arrays.
  const byDay: number[][][] = days.map(() => []);
  const everything: number[][] = [];
  for (const model of models.values()) {
    const own: number[][] = [];
    for (const [day, samples] of model.latencies) {
      samples.sort((a, b) => a - b);
      byDay[day]!.push(samples);
      own.push(samples);
      everything.push(samples);
    }
    model.row.latencyP50 = percentiles(own, [50])[0] ?? null;
  }
  const latencyP50: (number | null)[] = [];
  const latencyP95: (number | null)[] = [];
  for (const partitions of byDay) {
    const [p50, p95] = percentiles(partitions, [50, 95]);
    latencyP50.push(p50 ?? null);
    latencyP95.push(p95 ?? null);
  }
  const [overallP50, overallP95] = percentiles(everything, [50, 95]);

  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const rows = [...models.values()].map((model) => model.row);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const amountOf = (currency: Currency, micros: number): Amounts => ({ [currency]: micros });
  rows.sort(
    (a, b) =>
      compareAmounts(amountOf(b.currency, b.costMicros), amountOf(a.currency, a.costMicros)) ||
      b.requests - a.requests ||
      byName(a.label, b.label) ||
      byName(a.backend, b.backend) ||
      byName(a.model, b.model),
  );
  const series = [...backends.values()];
  const costOf = (entry: BackendSeries) => amountOf(entry.currency, sum(entry.costMicros));
  series.sort(
    (a, b) => compareAmounts(costOf(b), costOf(a)) || byName(a.label, b.label) || byName(a.backend, b.backend),
  );
  const cost: Amounts = {};
  for (const entry of series) addAmount(cost, entry.currency, sum(entry.costMicros));

  const acceptanceRows = figures
    .map((row) => ({ ...row, label: label(row.backend) }))
    .sort((a, b) => byName(a.label, b.label) || byName(a.backend, b.backend) || byName(a.model, b.model));

  return {
    range: { from: range.from, to: range.to },
    days,
    backends: series,
    daily: { ...daily, latencyP50, latencyP95 },
    models: rows,
    totals: {
      requests: sum(daily.requests),
      failures: sum(daily.failures),
      inputTokens: sum(daily.inputTokens),
      outputTokens: sum(daily.outputTokens),
      cacheReadTokens: sum(daily.cacheReadTokens),
      cacheWriteTokens: sum(daily.cacheWriteTokens),
      cost,
      unpricedRequests: sum(series.map((entry) => sum(entry.unpriced))),
      planRequests: sum(series.map((entry) => sum(entry.inPlan))),
      estimatedRequests,
      unservedRequests: sum(series.map((entry) => sum(entry.unserved))),
      latencyP50: overallP50 ?? null,
      latencyP95: overallP95 ?? null,
    },
    acceptance: acceptanceRows,
  };
}

/**
 * Each backend's label, with its id added where two would read alike (two removed DeepSeeks, or a
 * name typed twice): a legend or a table row must never leave the user guessing which was which.
 */
function labelsOf(backends: ReadonlySet<string>, labelOf: (backend: string) => string): Map<string, string> {
  const labels = new Map([...backends].map((backend) => [backend, labelOf(backend)]));
  const uses = new Map<string, number>();
  for (const text of labels.values()) uses.set(text, (uses.get(text) ?? 0) + 1);
  for (const [backend, text] of labels) if ((uses.get(text) ?? 0) > 1) labels.set(backend, `${text} · ${backend}`);
  return labels;
}

/**
 * Nearest-rank percentiles over the union of sorted arrays, by a k-way merge that stops at the
 * highest rank asked for: no merged copy is made. Returns undefined entries when there are no samples.
 */
export function percentiles(sorted: readonly (readonly number[])[], wanted: readonly number[]): (number | undefined)[] {
  const count = sorted.reduce((total, samples) => total + samples.length, 0);
  if (count === 0) return wanted.map(() => undefined);
  const ranks = wanted.map((percentile) => nearestRank(count, percentile));
  const last = Math.max(...ranks);
  const asked = new Set(ranks);
  const found = new Map<number, number>();
  // A binary min-heap of [array index, position]; the number of arrays is days × models at most.
  const heap: [number, number][] = [];
  const valueAt = ([array, position]: [number, number]) => sorted[array]![position]!;
  const less = (a: number, b: number) => valueAt(heap[a]!) < valueAt(heap[b]!);
  const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b]!, heap[a]!]);
  const up = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!less(index, parent)) return;
      swap(index, parent);
      index = parent;
    }
  };
  const down = (index: number) => {
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && less(left, smallest)) smallest = left;
      if (right < heap.length && less(right, smallest)) smallest = right;
      if (smallest === index) return;
      swap(index, smallest);
      index = smallest;
    }
  };
  sorted.forEach((samples, array) => {
    if (samples.length) {
      heap.push([array, 0]);
      up(heap.length - 1);
    }
  });
  for (let rank = 1; rank <= last; rank++) {
    const top = heap[0]!;
    if (asked.has(rank)) found.set(rank, valueAt(top));
    if (top[1] + 1 < sorted[top[0]]!.length) top[1] += 1;
    else {
      const tail = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = tail;
    }
    down(0);
  }
  return ranks.map((rank) => found.get(rank));
}

function dayStart(time: number): number {
  return time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
}

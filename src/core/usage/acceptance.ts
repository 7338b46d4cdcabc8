/**
 * What a completion is worth, per backend and model: how many suggestions were shown and accepted,
 * how many accepted ones were still in the document some seconds later, and what the requests
 * behind them cost. A user can then see whether the cheaper backend is good enough.
 *
 * Cost per accepted suggestion is every completion request's cost (the unaccepted, cancelled and
 * failed ones included: they are what an accepted suggestion costs) over the accepted count. It
 * is per currency, never converted; unknown when any request's price is unknown (never $0); and
 * "included" when every request was included in a plan.
 */
import { addAmount, CURRENCIES, type Amounts } from './money';
import { utcDay } from './rollups';
import type { CompletionEvent } from './completionEvent';
import type { UsageRecord } from './usageRecord';

export interface AcceptanceCounts {
  shown: number;
  /** Suggestions the user took, whole or in part. */
  accepted: number;
  acceptedWhole: number;
  /** Taken a word or a line at a time. */
  acceptedPartial: number;
  /** Accepted suggestions still in the document when checked some seconds later. */
  kept: number;
  /** Accepted suggestions no longer there when checked: undone or rewritten. */
  removed: number;
}

export function emptyCounts(): AcceptanceCounts {
  return { shown: 0, accepted: 0, acceptedWhole: 0, acceptedPartial: 0, kept: 0, removed: 0 };
}

const COUNTERS = Object.keys(emptyCounts()) as (keyof AcceptanceCounts)[];

export function addEvent(counts: AcceptanceCounts, event: Pick<CompletionEvent, 'kind' | 'how'>): void {
  switch (event.kind) {
    case 'shown':
      counts.shown += 1;
      return;
    case 'accepted':
      counts.accepted += 1;
      if (event.how === 'word' || event.how === 'line') counts.acceptedPartial += 1;
      else counts.acceptedWhole += 1;
      return;
    case 'kept':
      counts.kept += 1;
      return;
    case 'removed':
      counts.removed += 1;
      return;
  }
}

function addCounts(into: AcceptanceCounts, from: AcceptanceCounts): void {
  for (const key of COUNTERS) into[key] += from[key];
}

/** The request side of the figures: completion requests of one backend and model. */
export interface RequestTotals {
  requests: number;
  /** Micro-units per currency over the requests whose price is known. */
  cost: Amounts;
  unpricedRequests: number;
  /** Requests included in a plan: nothing more to pay for them. */
  includedRequests: number;
  /** Requests the model never ran (refused, not sent): no spend, in a plan or out of it. */
  unservedRequests?: number;
}

export function emptyRequestTotals(): RequestTotals {
  return { requests: 0, cost: {}, unpricedRequests: 0, includedRequests: 0, unservedRequests: 0 };
}

export type CostPerAccepted =
  /** Nothing accepted yet: no figure to give. */
  | { kind: 'none' }
  /** Every request was included in a plan. */
  | { kind: 'included' }
  /** Some requests had no known price, so neither has the total. */
  | { kind: 'unknown'; unpricedRequests: number }
  /** Micro-units per accepted suggestion, per currency (rounded); plan-included requests add nothing. */
  | { kind: 'known'; perAccepted: Amounts };

export interface AcceptanceFigures extends AcceptanceCounts {
  backend: string;
  model: string;
  requests: number;
  /** accepted / shown; null when nothing was shown. */
  acceptanceRate: number | null;
  /** Completion requests per accepted suggestion; null when nothing was accepted. */
  requestsPerAccepted: number | null;
  /** kept / (kept + removed); null before any accepted suggestion was checked. */
  keptRate: number | null;
  costPerAccepted: CostPerAccepted;
}

export function acceptanceFigures(
  backend: string,
  model: string,
  requests: RequestTotals,
  counts: AcceptanceCounts,
): AcceptanceFigures {
  const checked = counts.kept + counts.removed;
  return {
    backend,
    model,
    requests: requests.requests,
    ...counts,
    acceptanceRate: counts.shown > 0 ? counts.accepted / counts.shown : null,
    requestsPerAccepted: counts.accepted > 0 ? requests.requests / counts.accepted : null,
    keptRate: checked > 0 ? counts.kept / checked : null,
    costPerAccepted: costPerAccepted(requests, counts.accepted),
  };
}

function costPerAccepted(requests: RequestTotals, accepted: number): CostPerAccepted {
  if (accepted === 0) return { kind: 'none' };
  if (requests.unpricedRequests > 0) return { kind: 'unknown', unpricedRequests: requests.unpricedRequests };
  // A plan's requests the server refused (a 429 on a spent window) cost nothing and are no
  // metered spend: were they counted, the plan would read "$0.00" per accepted suggestion.
  const served = requests.requests - (requests.unservedRequests ?? 0);
  if (served > 0 && requests.includedRequests >= served) return { kind: 'included' };
  const perAccepted: Amounts = {};
  for (const currency of CURRENCIES) {
    const micros = requests.cost[currency];
    if (micros !== undefined) perAccepted[currency] = Math.round(micros / accepted);
  }
  return { kind: 'known', perAccepted };
}

const SEP = '\u0000';

function pairKey(backend: string, model: string): string {
  return `${backend}${SEP}${model}`;
}

function sortFigures(rows: AcceptanceFigures[]): AcceptanceFigures[] {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => byName(a.backend, b.backend) || byName(a.model, b.model));
}

/**
 * Figures from raw records and events (the dashboard, the benchmark): feed it both streams, in any
 * order and from any number of windows' files, then read `rows()`.
 */
export class AcceptanceTally {
  private readonly requests = new Map<string, RequestTotals>();
  private readonly counts = new Map<string, AcceptanceCounts>();

  /** Counts a completion request; other features are ignored. */
  addRequest(record: UsageRecord): void {
    const included = record.inPlan === true;
    if (record.feature !== 'completion') return;
    const key = pairKey(record.backend, record.model);
    let totals = this.requests.get(key);
    if (!totals) this.requests.set(key, (totals = emptyRequestTotals()));
    totals.requests += 1;
    if (record.unserved) totals.unservedRequests = (totals.unservedRequests ?? 0) + 1;
    if (included) totals.includedRequests += 1;
    else if (record.costMicros === null) totals.unpricedRequests += 1;
    else addAmount(totals.cost, record.currency, record.costMicros);
  }

  addEvent(event: CompletionEvent): void {
    const key = pairKey(event.backend, event.model);
    let counts = this.counts.get(key);
    if (!counts) this.counts.set(key, (counts = emptyCounts()));
    addEvent(counts, event);
  }

  /** One row per backend and model that had a completion request or a suggestion, by backend then model. */
  rows(): AcceptanceFigures[] {
    const keys = new Set([...this.requests.keys(), ...this.counts.keys()]);
    return sortFigures(
      [...keys].map((key) => {
        const [backend = '', model = ''] = key.split(SEP);
        return acceptanceFigures(
          backend,
          model,
          this.requests.get(key) ?? emptyRequestTotals(),
          this.counts.get(key) ?? emptyCounts(),
        );
      }),
    );
  }
}

/** Bounds on what a checkpoint may hold: a larger figure or key is not one we wrote. */
const MAX_KEY_CHARS = 600;

/**
 * Daily event counts per (day, backend, model), kept with the ledger's rollups and checkpoint so
 * the status bar has today's figures without reading the raw history.
 */
export class AcceptanceRollups {
  readonly byKey = new Map<string, AcceptanceCounts>();

  add(event: CompletionEvent): void {
    const key = [utcDay(event.time), event.backend, event.model].join(SEP);
    let counts = this.byKey.get(key);
    if (!counts) this.byKey.set(key, (counts = emptyCounts()));
    addEvent(counts, event);
  }

  /** Counts per (backend, model) over the days in the filter (both ends inclusive, UTC). */
  byModel(filter: { fromDay?: string; toDay?: string; backend?: string } = {}): Map<string, AcceptanceCounts> {
    const result = new Map<string, AcceptanceCounts>();
    for (const [key, counts] of this.byKey) {
      const [day = '', backend = '', model = ''] = key.split(SEP);
      if (filter.fromDay && day < filter.fromDay) continue;
      if (filter.toDay && day > filter.toDay) continue;
      if (filter.backend !== undefined && backend !== filter.backend) continue;
      const pair = pairKey(backend, model);
      let sum = result.get(pair);
      if (!sum) result.set(pair, (sum = emptyCounts()));
      addCounts(sum, counts);
    }
    return result;
  }

  toJSON(): Record<string, AcceptanceCounts> {
    return Object.fromEntries(this.byKey);
  }

  /** Reads what `toJSON` wrote; anything else in the checkpoint (a foreign edit) is dropped. */
  static fromJSON(value: unknown): AcceptanceRollups {
    const rollups = new AcceptanceRollups();
    if (typeof value !== 'object' || value === null) return rollups;
    for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
      const parts = key.split(SEP);
      if (key.length > MAX_KEY_CHARS || parts.length !== 3 || !/^\d{4}-\d{2}-\d{2}$/.test(parts[0] ?? '')) continue;
      if (typeof raw !== 'object' || raw === null) continue;
      const counts = emptyCounts();
      for (const field of COUNTERS) {
        const number = (raw as Record<string, unknown>)[field];
        if (Number.isSafeInteger(number) && (number as number) >= 0) counts[field] = number as number;
      }
      rollups.byKey.set(key, counts);
    }
    return rollups;
  }
}

/**
 * Figures per (backend, model) from daily rollups: request totals from the ledger's rollups,
 * counts from `AcceptanceRollups.byModel`. `requests` is keyed as `byModel` is.
 */
export function figuresFromRollups(
  requests: ReadonlyMap<string, RequestTotals>,
  counts: ReadonlyMap<string, AcceptanceCounts>,
): AcceptanceFigures[] {
  const keys = new Set([...requests.keys(), ...counts.keys()]);
  return sortFigures(
    [...keys].map((key) => {
      const [backend = '', model = ''] = key.split(SEP);
      return acceptanceFigures(
        backend,
        model,
        requests.get(key) ?? emptyRequestTotals(),
        counts.get(key) ?? emptyCounts(),
      );
    }),
  );
}

/** The key `byModel` and `figuresFromRollups` use for a backend and model. */
export { pairKey as acceptanceKey };

/** Adds up counts (over models, say). */
export function sumCounts(all: Iterable<AcceptanceCounts>): AcceptanceCounts {
  const sum = emptyCounts();
  for (const counts of all) addCounts(sum, counts);
  return sum;
}

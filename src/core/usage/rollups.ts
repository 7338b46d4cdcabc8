/**
 * Daily totals per backend, model and feature. The meter reads these instead of the raw history,
 * so its memory and start-up time do not grow with the number of requests ever made.
 */
import { addAmount, addAmounts, CURRENCIES, type Amounts } from './money';
import { count } from './tokenCounts';
import type { Feature, UsageRecord } from './usageRecord';

export interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Micro-units per currency over the requests whose price is known; never summed across currencies. */
  cost: Amounts;
  /** Requests whose price is unknown: their cost is not in `cost`. */
  unpricedRequests: number;
  /** Requests a subscription plan covers: in `cost` as 0, shown as "included in plan". */
  planRequests: number;
  estimatedRequests: number;
  failedRequests: number;
  /** Failed requests the model never ran (refused, or not sent): no spend, whatever `cost` says. */
  unservedRequests: number;
  latencyMsTotal: number;
}

export function emptyTotals(): Totals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cost: {},
    unpricedRequests: 0,
    planRequests: 0,
    estimatedRequests: 0,
    failedRequests: 0,
    unservedRequests: 0,
    latencyMsTotal: 0,
  };
}

export function addRecord(totals: Totals, record: UsageRecord): void {
  totals.requests += 1;
  totals.inputTokens += record.inputTokens;
  totals.outputTokens += record.outputTokens;
  totals.cacheReadTokens += record.cacheReadTokens;
  totals.cacheWriteTokens += record.cacheWriteTokens;
  if (record.inPlan) totals.planRequests += 1;
  if (record.costMicros === null) totals.unpricedRequests += 1;
  else addAmount(totals.cost, record.currency, record.costMicros);
  if (!record.reported) totals.estimatedRequests += 1;
  if (record.outcome !== 'ok') totals.failedRequests += 1;
  if (record.unserved) totals.unservedRequests += 1;
  totals.latencyMsTotal += record.latencyMs;
}

type Counter = Exclude<keyof Totals, 'cost'>;
const COUNTERS = Object.keys(emptyTotals()).filter((key) => key !== 'cost') as Counter[];

export function addTotals(into: Totals, from: Totals): void {
  for (const key of COUNTERS) into[key] += from[key];
  addAmounts(into.cost, from.cost);
}

/** UTC calendar day, `YYYY-MM-DD`: provider quotas (DashScope's, for one) reset at 00:00 UTC. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export interface RollupKey {
  day: string;
  backend: string;
  model: string;
  feature: Feature;
}

const SEP = '\u0000';
const DAY_MS = 86_400_000;

export function keyOf(key: RollupKey): string {
  return [key.day, key.backend, key.model, key.feature].join(SEP);
}

export function parseKey(text: string): RollupKey | undefined {
  const [day, backend, model, feature] = text.split(SEP);
  if (!day || backend === undefined || model === undefined || !feature) return undefined;
  return { day, backend, model, feature: feature as Feature };
}

/** Totals per (day, backend, model, feature). */
export class Rollups {
  readonly byKey = new Map<string, Totals>();
  /** The last day seen and its bounds: records arrive in time order, so formatting a date is rare. */
  private day = { start: 0, end: 0, text: '' };

  add(record: UsageRecord): void {
    if (record.time < this.day.start || record.time >= this.day.end) {
      const start = record.time - (((record.time % DAY_MS) + DAY_MS) % DAY_MS);
      this.day = { start, end: start + DAY_MS, text: utcDay(record.time) };
    }
    const key = keyOf({ day: this.day.text, backend: record.backend, model: record.model, feature: record.feature });
    let totals = this.byKey.get(key);
    if (!totals) this.byKey.set(key, (totals = emptyTotals()));
    addRecord(totals, record);
  }

  /** Sums the entries that match; every field of the filter is optional. */
  sum(filter: { fromDay?: string; toDay?: string; backend?: string; model?: string; feature?: Feature } = {}): Totals {
    const total = emptyTotals();
    for (const [text, totals] of this.byKey) {
      const key = parseKey(text);
      if (!key) continue;
      if (filter.fromDay && key.day < filter.fromDay) continue;
      if (filter.toDay && key.day > filter.toDay) continue;
      if (filter.backend !== undefined && key.backend !== filter.backend) continue;
      if (filter.model !== undefined && key.model !== filter.model) continue;
      if (filter.feature !== undefined && key.feature !== filter.feature) continue;
      addTotals(total, totals);
    }
    return total;
  }

  entries(): [RollupKey, Totals][] {
    return [...this.byKey].flatMap(([text, totals]) => {
      const key = parseKey(text);
      return key ? [[key, totals] as [RollupKey, Totals]] : [];
    });
  }

  toJSON(): Record<string, Totals> {
    return Object.fromEntries(this.byKey);
  }

  static fromJSON(value: unknown): Rollups {
    const rollups = new Rollups();
    if (typeof value !== 'object' || value === null) return rollups;
    for (const [key, totals] of Object.entries(value as Record<string, unknown>)) {
      if (!parseKey(key) || typeof totals !== 'object' || totals === null) continue;
      const clean = emptyTotals();
      const raw = totals as Record<string, unknown>;
      // The rules of a ledger line (see usageRecord.ts): a file any process can write is trusted
      // no more for being a checkpoint. A negative cost would hide what was spent from a budget.
      for (const field of COUNTERS) {
        const number = raw[field];
        const sound =
          field === 'latencyMsTotal'
            ? typeof number === 'number' && Number.isFinite(number) && number >= 0
            : count(number) !== undefined;
        if (sound) clean[field] = number as number;
      }
      // Checkpoints written before currencies existed hold one USD figure.
      const cost =
        typeof raw.cost === 'object' && raw.cost !== null
          ? (raw.cost as Record<string, unknown>)
          : { USD: raw.costMicros };
      for (const currency of CURRENCIES) {
        const micros = cost[currency];
        if (count(micros) !== undefined) clean.cost[currency] = micros as number;
      }
      rollups.byKey.set(key, clean);
    }
    return rollups;
  }
}

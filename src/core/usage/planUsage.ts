/**
 * The finish times of every request each plan backend made, from every window of VS Code: fed by
 * the ledger's records (this window's as they are appended, the others' as they are read, and
 * the history on disk at start), each counted once however often it is seen.
 */
import type { UsageRecord } from './usageRecord';

/**
 * Outcomes that never used a plan request: the server was not reached, or refused the request
 * before serving it (a spent window, a bad key). Everything else counts, cancelled requests that
 * went out included: the server may have served them.
 */
const NOT_COUNTED: ReadonlySet<string> = new Set([
  'network',
  'auth',
  'quota-exhausted',
  'insufficient-balance',
  'rate-limited',
]);

/** No plan draws more than a few units a request; a larger figure is a mistake, kept bounded. */
const MAX_DRAW = 10;

/** The longest window a plan has (a month of 31 days), plus a day of slack. */
export const PLAN_HISTORY_MS = 32 * 86_400_000;

/**
 * A failure the meter recorded as nothing used (reported zero tokens: see `meterRequest`) was
 * refused before the model ran, whatever its kind (an overload, an unknown model, a redirect).
 * The same kind with estimated tokens failed while the server was serving it, and counts.
 */
export function countsAgainstPlan(
  record: Pick<UsageRecord, 'outcome' | 'inputTokens' | 'outputTokens' | 'reported' | 'unserved'>,
): boolean {
  // The meter marks a request the model never ran (never sent, or refused): a completion cancelled
  // while typing, before it went out, is the common case, and the server never saw it.
  if (record.unserved || NOT_COUNTED.has(record.outcome)) return false;
  if (record.outcome === 'ok' || record.outcome === 'cancelled') return true;
  return !(record.reported && record.inputTokens === 0 && record.outputTokens === 0);
}

export class PlanUsage {
  private readonly times = new Map<string, number[]>();
  private readonly seen = new Map<string, Map<string, number>>();

  /** `drawOf`: how many units of the quota a request drew (see planDraw.ts); each is kept as one time. */
  constructor(
    private readonly tracked: (backend: string) => boolean,
    private readonly drawOf: (record: UsageRecord) => number = () => 1,
  ) {}

  /** Takes every record of a tracked backend that counts; returns whether any was new. */
  add(records: Iterable<UsageRecord>, now: number): boolean {
    const touched = new Set<number[]>();
    for (const record of records) {
      if (!this.tracked(record.backend) || !countsAgainstPlan(record)) continue;
      if (record.time <= now - PLAN_HISTORY_MS) continue;
      let ids = this.seen.get(record.backend);
      if (!ids) this.seen.set(record.backend, (ids = new Map()));
      if (ids.has(record.id)) continue;
      ids.set(record.id, record.time);
      let times = this.times.get(record.backend);
      if (!times) this.times.set(record.backend, (times = []));
      // At least one: whatever a plan's figures say, a request that counts is never counted as none.
      const draw = Math.min(MAX_DRAW, Math.max(1, Math.floor(this.drawOf(record)) || 1));
      for (let unit = 0; unit < draw; unit++) times.push(record.time);
      touched.add(times);
    }
    // Other windows' records arrive late and out of order: sort once per batch.
    for (const times of touched) times.sort((a, b) => a - b);
    this.prune(now);
    return touched.size > 0;
  }

  /** Ascending finish times within the history kept. */
  timesOf(backend: string): readonly number[] {
    return this.times.get(backend) ?? [];
  }

  private prune(now: number): void {
    const cutoff = now - PLAN_HISTORY_MS;
    for (const [backend, times] of this.times) {
      let drop = 0;
      while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop += 1;
      if (drop) times.splice(0, drop);
      const ids = this.seen.get(backend);
      if (ids && drop) for (const [id, time] of ids) if (time <= cutoff) ids.delete(id);
    }
  }
}

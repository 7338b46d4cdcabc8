/**
 * dashboard.today_ms_90d: time to compute the usage dashboard's "Today" view over 90 days of
 *   history at 4,000 requests a day (360,000 records), reading the days the view shows, as the
 *   dashboard does; baseline = the same view computed from the whole retained history, as it was
 *   computed before the ledger read by day. Median of 5 each.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDashboard, presetRange, type DashboardRange } from '../src/core/usage/dashboardData';
import { UsageLedger } from '../src/core/usage/usageLedger';
import { toLine, type UsageRecord } from '../src/core/usage/usageRecord';
import { median, round, type Metrics } from './metrics';

const DAYS = 90;
const PER_DAY = 4_000;
const DAY_MS = 86_400_000;

/** One file a day, named by its day as the ledger names them, each request a realistic completion. */
function writeHistory(dir: string, lastDay: number): void {
  for (let d = 0; d < DAYS; d++) {
    const start = lastDay - (DAYS - 1 - d) * DAY_MS;
    const name = `usage-${new Date(start).toISOString().slice(0, 10)}-bench.jsonl`;
    const lines: string[] = [];
    for (let i = 0; i < PER_DAY; i++) {
      const record: UsageRecord = {
        id: `d${d}:${i}`,
        time: start + Math.floor((i * DAY_MS) / PER_DAY),
        backend: `b${i % 4}`,
        model: i % 3 ? 'qwen3-coder-plus' : 'deepseek-chat',
        feature: i % 10 ? 'completion' : 'chat',
        currency: 'USD',
        inputTokens: 1_480,
        outputTokens: 24,
        cacheReadTokens: 1_024,
        cacheWriteTokens: 0,
        reported: true,
        costMicros: 1_702,
        latencyMs: 200 + (i % 300),
        outcome: i % 50 ? 'ok' : 'rate-limited',
      };
      lines.push(toLine(record));
    }
    const fd = openSync(join(dir, name), 'a');
    writeSync(fd, lines.join(''));
    closeSync(fd);
  }
}

async function timed(run: () => Promise<number>): Promise<{ ms: number; requests: number }> {
  const started = performance.now();
  const requests = await run();
  return { ms: performance.now() - started, requests };
}

export async function benchDashboard(): Promise<Metrics> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-dashboard-'));
  try {
    const lastDay = Date.UTC(2026, 11, 6);
    const now = lastDay + 18 * 3_600_000;
    writeHistory(dir, lastDay);
    const ledger = await UsageLedger.open({ dir, retentionDays: 365, now: () => now });
    const range: DashboardRange = presetRange(1, now);
    const today = async (filter: { from?: number; to?: number }) =>
      (await computeDashboard(ledger.records(filter), range, undefined, { events: ledger.events(filter) })).totals
        .requests;
    const ours: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < 5; i++) {
      const byDay = await timed(() => today(range));
      const all = await timed(() => today({}));
      // Both count the same requests: the speed is not bought by missing some.
      if (byDay.requests !== all.requests || byDay.requests === 0)
        throw new Error(`Today counted ${byDay.requests} requests by day, ${all.requests} over all history`);
      ours.push(byDay.ms);
      whole.push(all.ms);
    }
    await ledger.close();
    const value = median(ours);
    const baseline = median(whole);
    return {
      'dashboard.today_ms_90d': {
        value: round(value, 1),
        unit: 'ms',
        better: 'lower',
        baseline: round(baseline, 1),
        note: `the dashboard's Today over ${DAYS} days × ${PER_DAY.toLocaleString('en-US')} requests, reading the days shown (median of 5); baseline = the same view from the whole retained history; ${round(baseline / value, 1)}× faster`,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

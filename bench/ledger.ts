/**
 * ledger.append_per_s: records appended per second; baseline = writing the same lines with a bare
 *   fs.writeSync in the same process.
 * ledger.startup_ms_1m: time to a ready ledger (UsageLedger.open) over 1,000,000 records of
 *   history; baseline = the same with 1,000 records (target: within 2×).
 * ledger.concurrent_lost: 4 processes × 10,000 appends at once; records lost or duplicated.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageLedger, type NewUsageRecord } from '../src/core/usage/usageLedger';
import { toLine } from '../src/core/usage/usageRecord';
import { runLedgerWriters } from '../test/harness/ledgerFixtures';
import { round, type Metrics } from './metrics';

const sample: NewUsageRecord = {
  backend: 'qwen',
  model: 'qwen3-coder-plus',
  feature: 'completion',
  inputTokens: 1_480,
  outputTokens: 24,
  cacheReadTokens: 1_024,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 1_702,
  latencyMs: 312,
  outcome: 'ok',
};

async function appendRate(): Promise<{ ours: number; raw: number }> {
  const count = 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-ledger-'));
  try {
    const ledger = await UsageLedger.open({ dir });
    let started = performance.now();
    for (let i = 0; i < count; i++) ledger.append(sample);
    const ours = count / ((performance.now() - started) / 1000);
    await ledger.close();
    const fd = openSync(join(dir, 'raw.txt'), 'a');
    const line = toLine({ ...sample, currency: 'USD', id: 'raw:0', time: Date.now() });
    started = performance.now();
    for (let i = 0; i < count; i++) writeSync(fd, line);
    const raw = count / ((performance.now() - started) / 1000);
    closeSync(fd);
    return { ours, raw };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** History as a long-running user would have it: many window sessions' files, spread over days. */
function writeHistory(dir: string, records: number): void {
  const files = 200;
  const perFile = Math.ceil(records / files);
  const start = Date.UTC(2026, 0, 1);
  let written = 0;
  for (let f = 0; f < files && written < records; f++) {
    const fd = openSync(join(dir, `usage-hist${String(f).padStart(4, '0')}.jsonl`), 'a');
    const lines: string[] = [];
    for (let i = 0; i < perFile && written < records; i++, written++) {
      lines.push(
        toLine({
          ...sample,
          currency: 'USD',
          backend: `b${written % 5}`,
          id: `h${f}:${i}`,
          time: start + written * 25_000,
        }),
      );
      if (lines.length === 5_000) writeSync(fd, lines.splice(0).join(''));
    }
    if (lines.length) writeSync(fd, lines.join(''));
    closeSync(fd);
  }
}

async function startupMs(records: number): Promise<{ median: number; fullScan: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-history-'));
  try {
    writeHistory(dir, records);
    // History is days old, as a user's is: the ledger trusts a file's times to show it unchanged
    // only once they are a few seconds in the past (see `SETTLED_MS`), and reads a newer one again.
    await new Promise((settle) => setTimeout(settle, 3_500));
    let started = performance.now();
    const first = await UsageLedger.open({ dir });
    const fullScan = performance.now() - started;
    if (first.rollups.sum().requests !== records)
      throw new Error(`expected ${records} records, counted ${first.rollups.sum().requests}`);
    await first.close();
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      const ledger = await UsageLedger.open({ dir });
      samples.push(performance.now() - started);
      if (ledger.rollups.sum().requests !== records) throw new Error('the checkpointed start lost records');
      await ledger.close();
    }
    samples.sort((a, b) => a - b);
    return { median: samples[2] ?? NaN, fullScan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function concurrentLost(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-concurrent-'));
  const writers = 4;
  const each = 10_000;
  try {
    await runLedgerWriters(dir, writers, each);
    const ledger = await UsageLedger.open({ dir });
    const ids = new Map<string, number>();
    for await (const record of ledger.records()) ids.set(record.id, (ids.get(record.id) ?? 0) + 1);
    const duplicated = [...ids.values()].filter((n) => n > 1).length;
    const counted = ledger.rollups.sum().requests;
    await ledger.close();
    return Math.abs(writers * each - ids.size) + duplicated + Math.abs(writers * each - counted);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLedger(): Promise<Metrics> {
  const rate = await appendRate();
  const small = await startupMs(1_000);
  const large = await startupMs(1_000_000);
  const lost = await concurrentLost();
  return {
    'ledger.append_per_s': {
      value: Math.round(rate.ours),
      unit: 'records/s',
      better: 'higher',
      baseline: Math.round(rate.raw),
      note: '100,000 appends of a realistic record (one synchronous write each); baseline = bare fs.writeSync of the same line',
    },
    'ledger.startup_ms_1m': {
      value: round(large.median),
      unit: 'ms',
      better: 'lower',
      baseline: round(small.median),
      note: `UsageLedger.open over 1,000,000 records in 200 files (median of 5, from the checkpoint); baseline = 1,000 records; ratio ${round(large.median / small.median)}×; the first open, a full scan without a checkpoint, took ${Math.round(large.fullScan)} ms`,
    },
    'ledger.concurrent_lost': {
      value: lost,
      unit: 'records',
      better: 'lower',
      note: '4 processes × 10,000 appends into one ledger at once; records lost, duplicated or miscounted',
    },
  };
}

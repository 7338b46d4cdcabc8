import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { computeDashboard } from '../../../src/core/usage/dashboardData';
import { exportUsage } from '../../../src/core/usage/exportUsage';
import { formatAmounts, formatTotalCost } from '../../../src/core/usage/formatMoney';
import { evaluateLimits } from '../../../src/core/usage/limits';
import { Rollups } from '../../../src/core/usage/rollups';
import { UsageLedger, type NewUsageRecord } from '../../../src/core/usage/usageLedger';
import { fromLine, toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';

const DAY = Date.UTC(2026, 10, 22, 12);
const record = (overrides: Partial<NewUsageRecord> = {}): NewUsageRecord => ({
  backend: 'qwen-sg',
  model: 'qwen3-coder-plus',
  feature: 'chat',
  inputTokens: 1_000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 420_000,
  latencyMs: 100,
  outcome: 'ok',
  time: DAY,
  ...overrides,
});

async function* all(ledger: UsageLedger): AsyncIterable<UsageRecord> {
  yield* ledger.records();
}

describe('CNY kept apart from USD, end to end', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-currency-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ledger → rollups → checkpoint → dashboard → export → text, never summed', async () => {
    const ledger = await UsageLedger.open({ dir, now: () => DAY });
    ledger.append(record());
    ledger.append(record({ backend: 'qwen-bj', costMicros: 3_100_000, currency: 'CNY' }));
    ledger.append(record({ backend: 'qwen-bj', costMicros: null, currency: 'CNY', outcome: 'server' }));
    await ledger.checkpoint();
    await ledger.close();

    const reopened = await UsageLedger.open({ dir });
    const day = reopened.rollups.sum({ fromDay: '2026-11-22', toDay: '2026-11-22' });
    assert.deepEqual(day.cost, { USD: 420_000, CNY: 3_100_000 });
    assert.equal(day.unpricedRequests, 1);
    assert.equal(formatTotalCost(day.cost, day.requests, day.unpricedRequests), '$0.42 · ¥3.10 + 1 unpriced');
    assert.deepEqual(reopened.rollups.sum({ backend: 'qwen-bj' }).cost, { CNY: 3_100_000 });

    const data = await computeDashboard(all(reopened), { from: DAY - 3_600_000, to: DAY + 3_600_000 });
    assert.deepEqual(data.totals.cost, { USD: 420_000, CNY: 3_100_000 });
    assert.deepEqual(
      data.backends.map((series) => [series.backend, series.currency, series.costMicros[0]]),
      [
        ['qwen-sg', 'USD', 420_000],
        ['qwen-bj', 'CNY', 3_100_000],
      ],
    );
    assert.deepEqual(
      data.models.map((row) => [row.backend, row.currency, row.costMicros]),
      [
        ['qwen-sg', 'USD', 420_000],
        ['qwen-bj', 'CNY', 3_100_000],
      ],
    );

    let csv = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        csv += chunk.toString();
        done();
      },
    });
    await exportUsage(reopened.records(), 'csv', sink);
    const rows = csv
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const header = rows[0]!;
    const cost = header.indexOf('cost');
    const currency = header.indexOf('currency');
    assert.deepEqual(
      rows.slice(1).map((row) => [row[cost], row[currency]]),
      [
        ['0.420000', 'USD'],
        ['3.100000', 'CNY'],
        ['', ''],
      ],
    );
    await reopened.close();
  });

  it('a budget counts only spend in its own currency', () => {
    const state = evaluateLimits({
      limits: { usdPerDay: 1, cnyPerDay: 10 },
      usage: { requestsLastMinute: 0, requestsToday: 0, costToday: { USD: 500_000, CNY: 9_000_000 }, costMonth: {} },
      now: DAY,
    });
    const byKind = new Map(state.readings.map((reading) => [reading.kind, reading]));
    assert.equal(byKind.get('usd-per-day')?.fraction, 0.5);
    assert.equal(byKind.get('cny-per-day')?.fraction, 0.9);
    assert.equal(byKind.get('cny-per-day')?.currency, 'CNY');
    assert.equal(state.level, 'warning');
  });

  it('reads lines and checkpoints written before currencies existed as USD', () => {
    const old = '{"id":"w:1","t":1,"b":"x","m":"m","f":"chat","i":1,"o":1,"cr":0,"cw":0,"r":1,"c":5,"l":1,"k":"ok"}';
    assert.equal(fromLine(old)?.currency, 'USD');
    const line = toLine({ ...(fromLine(old) as UsageRecord), currency: 'CNY' });
    assert.equal(fromLine(line)?.currency, 'CNY');
    assert.equal(fromLine(line.replace('"CNY"', '"EUR"')), undefined, 'an unknown currency is not read as dollars');
    const rollups = Rollups.fromJSON({ '2026-11-22\u0000x\u0000m\u0000chat': { requests: 1, costMicros: 7 } });
    assert.deepEqual(rollups.sum().cost, { USD: 7 });
    assert.equal(formatAmounts(rollups.sum().cost), '< $0.0001');
  });
});

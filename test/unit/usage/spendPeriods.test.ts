import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inLastMinute, keepForLastMinute, monthSpan, sinceSpan, todaySpan } from '../../../src/core/usage/spendPeriods';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { sampleRequest } from '../../harness/ledgerFixtures';

const NOW = Date.UTC(2026, 11, 7, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the periods spend is counted over', () => {
  it('a record timed ahead of the clock counts in the day and month its time falls in, never in the current ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-periods-'));
    try {
      // Another machine sharing the folder, its clock ahead; a garbled line from far ahead.
      const line = (id: string, time: number, costMicros: number) =>
        toLine({ ...sampleRequest({ costMicros }), id, time, currency: 'USD' } as UsageRecord);
      writeFileSync(
        join(dir, 'usage-2026-12-07-ahead.jsonl'),
        line('ahead:0', NOW, 1) +
          line('ahead:1', NOW + 2 * HOUR, 10) +
          line('ahead:2', NOW + 2 * DAY, 100) +
          line('ahead:3', Date.UTC(2027, 0, 3), 1_000) +
          line('ahead:4', Date.UTC(9999, 0, 1), 10_000),
      );
      const ledger = await UsageLedger.open({ dir, now: () => NOW });
      const cost = (span: { fromDay: string; toDay?: string }) => ledger.rollups.sum(span).cost.USD ?? 0;
      assert.equal(cost(todaySpan(NOW)), 11, 'today holds what is timed today, later hours included');
      assert.equal(cost(monthSpan(NOW)), 111, 'December holds no January, nor year 9999');
      assert.equal(cost(sinceSpan('2026-12-01', NOW)), 11, 'a quota since a day counts up to today');
      assert.equal(cost(monthSpan(Date.UTC(2027, 0, 10))), 1_000, "January's record counts in January");
      assert.equal(cost(todaySpan(NOW + 2 * DAY)), 100);
      await ledger.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the month ends on its last day, in every month', () => {
    assert.deepEqual(monthSpan(Date.UTC(2026, 1, 10)), { fromDay: '2026-02-01', toDay: '2026-02-28' });
    assert.deepEqual(monthSpan(Date.UTC(2028, 1, 29, 23, 59)), { fromDay: '2028-02-01', toDay: '2028-02-29' });
    assert.deepEqual(monthSpan(Date.UTC(2026, 11, 31, 23)), { fromDay: '2026-12-01', toDay: '2026-12-31' });
  });

  it('a request timed ahead of the clock is not one of the last minute, so no per-minute limit is held up by it', () => {
    assert.equal(inLastMinute(NOW - 30_000, NOW), true);
    assert.equal(inLastMinute(NOW, NOW), true);
    assert.equal(inLastMinute(NOW - 60_000, NOW), false);
    assert.equal(inLastMinute(NOW + 1, NOW), false);
    assert.equal(inLastMinute(Date.UTC(9999, 0, 1), NOW), false);
    // A clock a few seconds ahead: its request counts once its time comes; one a year ahead is not kept.
    assert.equal(keepForLastMinute(NOW + 5_000, NOW), true);
    assert.equal(keepForLastMinute(Date.UTC(9999, 0, 1), NOW), false);
  });
});

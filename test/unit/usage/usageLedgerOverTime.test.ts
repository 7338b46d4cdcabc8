import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { sampleRequest } from '../../harness/ledgerFixtures';

/** What a user has after months of use: the ledger, its checkpoint, old lines, files past retention. */
describe('usage ledger over a long history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-time-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a request an older version wrote with a negative latency (the clock stepped back mid-request), cost and all', async () => {
    const now = Date.UTC(2026, 11, 1, 12);
    // Versions before the writer repaired records wrote `Date.now() - startedAt` as it came.
    const old = toLine({
      ...sampleRequest({ feature: 'chat', costMicros: 30_400, latencyMs: -1_250 }),
      id: 'old:0',
      time: now - 3_600_000,
      currency: 'USD',
    } as UsageRecord);
    assert.match(old, /"l":-1250/);
    writeFileSync(join(dir, 'usage-2026-12-01-old.jsonl'), old);
    const ledger = await UsageLedger.open({ dir, now: () => now });
    assert.equal(ledger.rollups.sum().cost.USD, 30_400, 'its cost is in the totals');
    const exported: UsageRecord[] = [];
    for await (const record of ledger.records()) exported.push(record);
    assert.equal(exported.length, 1, 'and in the export and the dashboard');
    assert.equal(exported[0]?.latencyMs, 0, 'a latency below zero is no latency');
    assert.equal(ledger.skippedLines, 0);
    await ledger.close();
  });
});

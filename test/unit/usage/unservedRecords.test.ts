import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rollups } from '../../../src/core/usage/rollups';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { fromLine, toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';

const refused: UsageRecord = {
  id: 'w:1',
  time: Date.UTC(2026, 11, 6, 12),
  backend: 'coding-plan-intl',
  model: 'qwen3-coder-next',
  feature: 'completion',
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 0,
  currency: 'USD',
  latencyMs: 20,
  outcome: 'rate-limited',
  unserved: true,
};

describe('a request the model never ran, in the ledger', () => {
  it('is written and read back as such; a line without the mark is a request served', () => {
    assert.deepEqual(fromLine(toLine(refused)), refused);
    const { unserved: _, ...served } = refused;
    assert.equal(fromLine(toLine(served))?.unserved, undefined);
    assert.doesNotMatch(toLine(served), /"us"/, 'nothing added to the lines of other requests');
  });

  it('is counted apart in the daily totals (Show Usage reads these)', () => {
    const rollups = new Rollups();
    rollups.add(refused);
    rollups.add({ ...refused, id: 'w:2', outcome: 'ok', unserved: undefined, inPlan: true, latencyMs: 800 });
    const totals = rollups.sum();
    assert.deepEqual([totals.requests, totals.failedRequests, totals.unservedRequests], [2, 1, 1]);
    // And survives a checkpoint.
    assert.equal(Rollups.fromJSON(JSON.parse(JSON.stringify(rollups))).sum().unservedRequests, 1);
  });

  it('keeps its mark through the ledger, in this window and in another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-unserved-'));
    try {
      const writer = await UsageLedger.open({ dir, now: () => refused.time });
      const { id: _, ...input } = refused;
      assert.equal(writer.append(input).unserved, true);
      const reader = await UsageLedger.open({ dir, now: () => refused.time });
      assert.equal(writer.rollups.sum().unservedRequests, 1);
      assert.equal(reader.rollups.sum().unservedRequests, 1);
      await Promise.all([writer.close(), reader.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

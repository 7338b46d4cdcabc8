import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
// The module object the ledger calls through, so a test can stand in for the disk.
import fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { sampleRequest } from '../../harness/ledgerFixtures';

const DAY = 86_400_000;
const jsonlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

/** What a user has after months of use: the ledger, its checkpoint, old lines, files past retention. */
describe('usage ledger over a long history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-time-'));
  });
  afterEach(() => {
    mock.restoreAll();
    rmSync(dir, { recursive: true, force: true });
  });

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

  it('two checkpoints at once (the 5-minute one and the one at close) both land, and the history survives its files', async () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const ledger = await UsageLedger.open({ dir, now: () => now });
    for (let i = 0; i < 50; i++) ledger.append(sampleRequest({ model: `m${i}`, costMicros: 1 }));
    const periodic = ledger.checkpoint();
    for (let i = 50; i < 400; i++) ledger.append(sampleRequest({ model: `m${i}`, costMicros: 1 }));
    const atClose = ledger.checkpoint();
    const settled = await Promise.allSettled([periodic, atClose]);
    assert.deepEqual(
      settled.map((result) => result.status),
      ['fulfilled', 'fulfilled'],
    );
    // Past retention the raw files are gone: the checkpoint is all that holds those days.
    for (const file of jsonlFiles(dir)) rmSync(join(dir, file));
    const later = await UsageLedger.open({ dir, now: () => now });
    assert.equal(later.rollups.sum().requests, 400, 'every request of the history is still counted');
    assert.equal(later.rollups.sum().cost.USD, 400);
    await later.close();
  });

  it('an expired file that cannot be deleted (held open on Windows) is counted once, however many starts', async () => {
    const then = Date.UTC(2026, 0, 10, 12);
    const old = await UsageLedger.open({ dir, now: () => then });
    old.append(sampleRequest({ costMicros: 2_000_000 }));
    await old.close();
    const unlink = mock.method(fsPromises, 'unlink', () =>
      Promise.reject(Object.assign(new Error('EPERM: operation not permitted, unlink'), { code: 'EPERM' })),
    );
    for (let start = 1; start <= 3; start++) {
      const later = await UsageLedger.open({ dir, retentionDays: 90, now: () => then + 100 * DAY });
      await later.refresh();
      assert.equal(later.rollups.sum().cost.USD, 2_000_000, `start ${start}: the $2 request counts once`);
      await later.close();
    }
    assert.ok(unlink.mock.callCount() > 0, 'the ledger did try to delete the expired file');
    assert.equal(jsonlFiles(dir).length, 1);
  });

  it("the dashboard reads a week's files of 90 days of history, and finds every record of that week", async () => {
    const now = Date.UTC(2027, 5, 30, 12);
    for (let daysAgo = 0; daysAgo < 90; daysAgo++) {
      const writer = await UsageLedger.open({ dir, now: () => now - daysAgo * DAY });
      writer.append(sampleRequest({ costMicros: 1 }));
      await writer.close();
    }
    // Timed in the week's last millisecond, written as the writer's day turned: it is in the next day's file.
    const midnight = Date.UTC(2027, 5, 17);
    const edge = await UsageLedger.open({ dir, now: () => midnight });
    edge.append(sampleRequest({ costMicros: 1_000, time: midnight - 1 }));
    await edge.close();

    const ledger = await UsageLedger.open({ dir, now: () => now });
    const opened = new Set<string>();
    const open = fsPromises.open;
    mock.method(fsPromises, 'open', (path: string, ...rest: [string]) => {
      if (path.endsWith('.jsonl')) opened.add(path);
      return open(path, ...rest);
    });
    // A week picked in the dashboard: 10 to 16 June.
    const week = { from: Date.UTC(2027, 5, 10), to: midnight - 1 };
    let cost = 0;
    for await (const record of ledger.records(week)) cost += record.costMicros ?? 0;
    for await (const event of ledger.events(week)) assert.fail(`no events were written: ${event.id}`);
    assert.equal(cost, 7 + 1_000, 'every request of the week, the one at midnight included');
    // An open dashboard recomputes as requests come in: it read all 90 days each time.
    assert.ok(opened.size > 0 && opened.size <= 7 + 2 + 1, `read ${opened.size} of ${jsonlFiles(dir).length} files`);
    await ledger.close();
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { fromLine, toLine } from '../../../src/core/usage/usageRecord';
import { runLedgerWriters, sampleRequest } from '../../harness/ledgerFixtures';

const record = sampleRequest;

const ledgerFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

describe('usage ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps totals per day, backend and feature, in integer micro-dollars, across a restart', async () => {
    const day = Date.UTC(2026, 10, 22, 12);
    const ledger = await UsageLedger.open({ dir, now: () => day });
    ledger.append(record());
    ledger.append(record({ feature: 'chat', costMicros: 3_000, inputTokens: 1_000 }));
    ledger.append(record({ backend: 'local', costMicros: 0 }));
    ledger.append(record({ costMicros: null, outcome: 'rate-limited' }));
    ledger.append(record({ time: day - 86_400_000 }));
    await ledger.close();

    const reopened = await UsageLedger.open({ dir });
    const today = reopened.rollups.sum({ fromDay: '2026-11-22', toDay: '2026-11-22', backend: 'qwen' });
    assert.equal(today.requests, 3);
    assert.equal(today.cost.USD, 3_200);
    assert.equal(today.unpricedRequests, 1, 'an unknown price is counted apart, not as $0');
    assert.equal(today.failedRequests, 1);
    assert.equal(reopened.rollups.sum({ feature: 'chat' }).inputTokens, 1_000);
    assert.equal(reopened.rollups.sum().requests, 5);
    await reopened.close();
  });

  it('skips a torn last line and nothing else', async () => {
    const ledger = await UsageLedger.open({ dir });
    for (let i = 0; i < 3; i++) ledger.append(record({ costMicros: 1 }));
    await ledger.close();
    const [file] = ledgerFiles(dir);
    assert.ok(file);
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    // Cut the third record in half, as a crash mid-write would.
    truncateSync(path, text.length - 30);
    rmSync(join(dir, 'usage-checkpoint.json'));

    const recovered = await UsageLedger.open({ dir });
    assert.equal(recovered.rollups.sum().requests, 2);
    assert.equal(recovered.skippedLines, 0);
    recovered.append(record({ costMicros: 1 }));
    assert.equal(recovered.rollups.sum().requests, 3, 'the ledger keeps working after the torn line');
    await recovered.close();
    const again = await UsageLedger.open({ dir });
    assert.equal(again.rollups.sum().requests, 3);
    await again.close();
  });

  it('counts a half-written line once it is complete, not before', async () => {
    const reader = await UsageLedger.open({ dir });
    const line = toLine({ ...record(), id: 'other:0', time: Date.now() } as Parameters<typeof toLine>[0]);
    const path = join(dir, 'usage-other-window.jsonl');
    writeFileSync(path, line.slice(0, 20));
    assert.equal((await reader.refresh()).length, 0);
    appendFileSync(path, line.slice(20));
    assert.equal((await reader.refresh()).length, 1);
    assert.equal(reader.rollups.sum().requests, 1);
    await reader.close();
  });

  it('skips a corrupt line in the middle and keeps the rest', async () => {
    const now = Date.now();
    const good = (n: number) => toLine({ ...record(), id: `x:${n}`, time: now } as Parameters<typeof toLine>[0]);
    writeFileSync(join(dir, 'usage-foreign.jsonl'), `${good(1)}{"broken": tru\n${good(2)}`);
    const ledger = await UsageLedger.open({ dir });
    assert.equal(ledger.rollups.sum().requests, 2);
    assert.equal(ledger.skippedLines, 1);
    await ledger.close();
  });

  it("each window's totals include the other windows' requests after a refresh", async () => {
    const a = await UsageLedger.open({ dir });
    const b = await UsageLedger.open({ dir });
    a.append(record({ costMicros: 10 }));
    a.append(record({ costMicros: 10 }));
    b.append(record({ costMicros: 5 }));
    await Promise.all([b.refresh(), b.refresh()]);
    await a.refresh();
    assert.equal(a.rollups.sum().cost.USD, 25);
    assert.equal(b.rollups.sum().cost.USD, 25, 'overlapping refreshes count each record once');
    await a.close();
    await b.close();
  });

  it('several processes append at once without losing or double-counting a record', async () => {
    const writers = 4;
    const each = 1_500;
    await runLedgerWriters(dir, writers, each);
    const ledger = await UsageLedger.open({ dir });
    assert.equal(ledger.rollups.sum().requests, writers * each);
    const ids = new Set<string>();
    for await (const r of ledger.records()) ids.add(r.id);
    assert.equal(ids.size, writers * each, 'every record is on disk exactly once');
    await ledger.close();
  });

  it('starts from the checkpoint and reads only what was appended since', async () => {
    const ledger = await UsageLedger.open({ dir });
    for (let i = 0; i < 500; i++) ledger.append(record({ costMicros: 1 }));
    await ledger.close();
    // Overwrite the middle of what was counted: a start that re-read it would see garbage. Its
    // first and last lines stay, as a file only appended to keeps them; a file whose ends changed
    // was replaced, and is read again from its start (see usageLedgerCopies.test.ts).
    const [file] = ledgerFiles(dir);
    assert.ok(file);
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8').split(/(?<=\n)/);
    const middle = lines.slice(10, -10).join('');
    writeFileSync(path, lines.slice(0, 10).join('') + 'x'.repeat(middle.length) + lines.slice(-10).join(''));
    appendFileSync(
      path,
      toLine({ ...record({ costMicros: 1 }), id: 'later:0', time: Date.now() } as Parameters<typeof toLine>[0]),
    );
    const reopened = await UsageLedger.open({ dir });
    assert.equal(reopened.rollups.sum().requests, 501);
    assert.equal(reopened.skippedLines, 0);
    await reopened.close();
  });

  it('round-trips a record through its line and rejects malformed ones', () => {
    const full = { ...record({ currency: 'CNY' }), id: 'w:1', time: 1_700_000_000_000 } as Parameters<typeof toLine>[0];
    assert.deepEqual(fromLine(toLine(full).trimEnd()), full);
    // A plan's request keeps its mark through the file, so no view can show it as "$0.00".
    const planned = { ...full, costMicros: 0, currency: 'USD' as const, inPlan: true };
    assert.deepEqual(fromLine(toLine(planned).trimEnd()), planned);
    assert.equal(fromLine(toLine(full).trimEnd())?.inPlan, undefined);
    assert.equal(fromLine('{"id":"x"}'), undefined);
    assert.equal(fromLine('not json'), undefined);
    assert.equal(fromLine(toLine({ ...full, inputTokens: -1 }).trimEnd()), undefined);
  });
});

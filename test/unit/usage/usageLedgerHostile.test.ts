import assert from 'node:assert/strict';
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_RANGES_PER_WRITER } from '../../../src/core/usage/seenIds';
import { UsageLedger, type NewUsageRecord } from '../../../src/core/usage/usageLedger';
import { toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { sampleRequest } from '../../harness/ledgerFixtures';

const DAY = 86_400_000;
const record = (overrides: Partial<NewUsageRecord> = {}) => sampleRequest({ feature: 'chat', ...overrides });
const line = (n: number, time: number) => toLine({ ...record(), id: `other:${n}`, time } as UsageRecord);
const jsonlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

describe('usage ledger under hostile or damaged files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-hostile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens past records with out-of-range or ill-typed fields, skipping and counting each', async () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const good = line(1, now);
    const bad = [
      good.replace(`"t":${now}`, '"t":9e15'),
      good.replace(`"t":${now}`, '"t":-5'),
      good.replace(`"t":${now}`, '"t":1.5'),
      good.replace('"l":120', '"l":"fast"'),
      good.replace('"c":200', '"c":-200'),
      good.replace('"i":100', '"i":1e300'),
      good.replace('"m":"qwen3-coder-plus"', `"m":"${'x'.repeat(5_000)}"`),
      good.replace('"k":"ok"', `"k":"${'y'.repeat(5_000)}"`),
    ];
    writeFileSync(join(dir, 'usage-foreign.jsonl'), [...bad, good].join(''));
    const ledger = await UsageLedger.open({ dir, now: () => now });
    assert.equal(ledger.rollups.sum().requests, 1, 'only the sound record counts');
    assert.equal(ledger.skippedLines, bad.length);
    // The ledger keeps recording after meeting the bad lines.
    ledger.append(record());
    assert.equal(ledger.rollups.sum().requests, 2);
    await ledger.close();
  });

  it('a line claiming a count or cost no request could have is skipped, never shown as spent', async () => {
    const now = Date.UTC(2026, 11, 7, 12);
    const good = line(1, now);
    // Each a safe integer, so each passed as a count: $9 billion, and a quadrillion tokens.
    const absurd = [
      good.replace('"id":"other:1"', '"id":"other:2"').replace('"c":200', '"c":9000000000000000'),
      good.replace('"id":"other:1"', '"id":"other:3"').replace('"i":100', '"i":1000000000000000'),
      good.replace('"id":"other:1"', '"id":"other:4"').replace('"o":20', '"o":4000000000000000'),
    ];
    writeFileSync(join(dir, 'usage-2026-12-07-foreign.jsonl'), [...absurd, good].join(''));
    const ledger = await UsageLedger.open({ dir, now: () => now });
    const total = ledger.rollups.sum();
    assert.deepEqual(total.cost, { USD: 200 }, 'a budget is not spent by a garbled line');
    assert.equal(total.inputTokens, 100);
    assert.equal(total.outputTokens, 20);
    assert.equal(ledger.skippedLines, absurd.length);
    let exported = 0;
    for await (const _ of ledger.records()) exported += 1;
    assert.equal(exported, 1, 'nor does the dashboard or the export show it');
    await ledger.close();
  });

  it('a request reported with absurd counts or priced absurdly is written repaired: its cost unknown, never billions', async () => {
    const now = Date.UTC(2026, 11, 7, 12);
    const warnings: string[] = [];
    const writer = await UsageLedger.open({ dir, now: () => now, warn: (message) => warnings.push(message) });
    writer.append(record({ costMicros: 9_000_000_000_000_000 }));
    writer.append(record({ inputTokens: 1_000_000_000_000_000 }));
    const reader = await UsageLedger.open({ dir, now: () => now });
    assert.equal(reader.skippedLines, 0, 'every window reads both');
    assert.deepEqual(reader.rollups.sum(), writer.rollups.sum(), 'and counts them the same');
    const total = reader.rollups.sum();
    assert.equal(total.requests, 2);
    assert.equal(total.unpricedRequests, 1);
    assert.deepEqual(total.cost, { USD: 200 });
    assert.equal(total.inputTokens, 100);
    assert.equal(warnings.length, 2);
    await Promise.all([writer.close(), reader.close()]);
  });

  it("a checkpoint's totals keep a line's rules: a negative or fractional cost or count is not read", async () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const key = ['2026-11-22', 'deepseek', 'deepseek-chat', 'chat'].join('\u0000');
    writeFileSync(
      join(dir, 'usage-checkpoint.json'),
      JSON.stringify({
        version: 1,
        offsets: {},
        rollups: {
          [key]: { requests: 3, inputTokens: -900, outputTokens: 0.5, cost: { USD: -50_000_000, CNY: 2_000_000 } },
        },
      }),
    );
    const ledger = await UsageLedger.open({ dir, now: () => now });
    ledger.append(record({ backend: 'deepseek', model: 'deepseek-chat', costMicros: 200, currency: 'USD' }));
    const today = ledger.rollups.sum({ fromDay: '2026-11-22' });
    // A negative figure would hide every dollar spent this month from the budget.
    assert.deepEqual(today.cost, { USD: 200, CNY: 2_000_000 });
    assert.equal(today.requests, 4);
    assert.equal(today.inputTokens, record().inputTokens);
    assert.equal(today.outputTokens, record().outputTokens);
    await ledger.close();
  });

  it('a record the reader would skip is written repaired, never lost: every window counts it, the damage logged', async () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const warnings: string[] = [];
    const writer = await UsageLedger.open({ dir, now: () => now, warn: (message) => warnings.push(message) });
    const hostile: Partial<NewUsageRecord>[] = [
      { inputTokens: '100' as unknown as number },
      { cacheReadTokens: -200 },
      { outputTokens: 1.5 },
      { inputTokens: 2 ** 60 },
      { costMicros: 18_000_000_000_000_080 },
      { costMicros: -5 },
      { currency: 'XYZ' as NewUsageRecord['currency'] },
      // A clock set back while the request ran.
      { latencyMs: -3 },
      { model: 'm'.repeat(5_000) },
      { outcome: 'k'.repeat(5_000) },
      { time: 9e15 },
    ];
    for (const overrides of hostile) writer.append(record(overrides));
    const reader = await UsageLedger.open({ dir, now: () => now });
    assert.equal(reader.skippedLines, 0, 'another window reads every record');
    const here = writer.rollups.sum();
    assert.equal(here.requests, hostile.length, 'every request counts');
    assert.deepEqual(reader.rollups.sum(), here, 'and counts the same in every window');
    // A cost that could not be stored, or in no known currency, is unknown: never $0.
    assert.equal(here.unpricedRequests, 3);
    assert.equal(here.inputTokens, 100 * (hostile.length - 2));
    assert.equal(warnings.length, hostile.length, 'each repair is logged');
    await Promise.all([writer.close(), reader.close()]);
  });

  it('a short write (disk full) never merges the torn record with the next one', async () => {
    let failNext = true;
    const ledger = await UsageLedger.open({
      dir,
      // The disk fills halfway through the first line: part of it lands, then ENOSPC.
      writeSync: (fd, data) => {
        if (failNext) {
          failNext = false;
          writeSync(fd, data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        return writeSync(fd, data);
      },
    });
    assert.doesNotThrow(() => ledger.append(record({ costMicros: 1 })), 'a full disk is not the caller’s problem');
    ledger.append(record({ costMicros: 2 }));
    ledger.append(record({ costMicros: 4 }));
    // Another window reads the file as it is on disk.
    const other = await UsageLedger.open({ dir: dir });
    assert.equal(other.rollups.sum().requests, 2, 'both records after the torn one are whole');
    assert.equal(other.rollups.sum().cost.USD, 6);
    assert.equal(other.skippedLines, 1, 'the torn fragment is counted as skipped');
    await other.close();
    await ledger.close();
  });

  it('appends that stop reaching the disk are said once, and again only after the disk took one', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    let diskFull = true;
    const said: unknown[] = [];
    const ledger = await UsageLedger.open({
      dir,
      writeSync: (fd, data) => {
        if (diskFull) throw full;
        return writeSync(fd, data);
      },
      onWriteFailed: (error) => said.push(error),
    });
    for (let i = 0; i < 3; i++) ledger.append(record({ costMicros: 1 }));
    assert.deepEqual(said, [full], 'three records lost to one full disk: one event');
    assert.equal(ledger.rollups.sum().requests, 3, 'they still count in this window');

    diskFull = false;
    ledger.append(record({ costMicros: 1 }));
    diskFull = true;
    ledger.appendEvent({ kind: 'shown', backend: 'deepseek', model: 'deepseek-chat', chars: 12 });
    assert.equal(said.length, 2, 'the disk filled again after a write landed');
    await ledger.close();
  });

  it('closing over a folder that went away resolves and says why, once', async () => {
    const warned: string[] = [];
    const ledger = await UsageLedger.open({ dir, warn: (message) => warned.push(message) });
    ledger.append(record({ costMicros: 5 }));
    // A synced folder removed, a disk unmounted: a file where the folder was.
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a folder');
    await ledger.close();
    assert.equal(warned.length, 1, JSON.stringify(warned));
    assert.match(warned[0]!, /ENOTDIR/);
    rmSync(dir, { force: true });
  });

  it('a listener that throws on a failed write never costs the record', async () => {
    const ledger = await UsageLedger.open({
      dir,
      writeSync: () => {
        throw new Error('EROFS: read-only file system');
      },
      onWriteFailed: () => {
        throw new Error('listener broke');
      },
    });
    assert.doesNotThrow(() => ledger.append(record({ costMicros: 5 })));
    assert.equal(ledger.rollups.sum().cost.USD, 5);
    await ledger.close();
  });

  it('retention never deletes a file another window is still writing, however old its mtime', async () => {
    const start = Date.UTC(2026, 10, 22, 12);
    const writer = await UsageLedger.open({ dir, now: () => start });
    writer.append(record({ costMicros: 1, time: start }));
    const [file] = jsonlFiles(dir);
    assert.ok(file);
    // A window idle in the background, or a clock or sync tool that set the mtime back.
    const longAgo = new Date(start - 200 * DAY);
    utimesSync(join(dir, file), longAgo, longAgo);

    const reader = await UsageLedger.open({ dir, retentionDays: 90, now: () => start + 60_000 });
    writer.append(record({ costMicros: 2, time: start + 120_000 }));
    await reader.refresh();
    assert.equal(reader.rollups.sum().cost.USD, 3, "the writer's later record is not lost to an unlinked file");
    await writer.close();
    await reader.close();
  });

  it('retention deletes files of periods fully past, by their name, and keeps their totals', async () => {
    const then = Date.UTC(2026, 0, 10, 12);
    const old = await UsageLedger.open({ dir, now: () => then });
    old.append(record({ costMicros: 42, time: then }));
    await old.close();
    assert.equal(jsonlFiles(dir).length, 1);
    const later = await UsageLedger.open({ dir, retentionDays: 90, now: () => then + 100 * DAY });
    assert.deepEqual(jsonlFiles(dir), []);
    assert.equal(later.rollups.sum().cost.USD, 42);
    await later.close();
  });

  it('a line far longer than any record is skipped without reading it whole, and the rest counts', async () => {
    const now = Date.UTC(2026, 10, 22, 12);
    const path = join(dir, 'usage-foreign.jsonl');
    writeFileSync(path, line(1, now));
    // 24 MB of one line with no newline yet: a reader must not hold it, and must not count it.
    const block = 'z'.repeat(1 << 20);
    for (let i = 0; i < 24; i++) appendFileSync(path, block);
    const ledger = await UsageLedger.open({ dir, now: () => now });
    assert.equal(ledger.rollups.sum().requests, 1);
    appendFileSync(path, `\n${line(2, now)}`);
    await ledger.refresh();
    assert.equal(ledger.rollups.sum().requests, 2);
    assert.equal(ledger.skippedLines, 1);
    let seen = 0;
    for await (const r of ledger.records()) seen += r.id.startsWith('other:') ? 1 : 0;
    assert.equal(seen, 2);
    await ledger.close();
  });

  it('a file whose ids skip costs bounded memory: past a cap its lines are not counted, and the log says how many', async () => {
    const now = Date.UTC(2026, 11, 7, 12);
    // Ids 0, 2, 4, …: each line a range of its own, past what a window of ours ever leaves.
    const lines = MAX_RANGES_PER_WRITER + 500;
    const path = join(dir, 'usage-2026-12-07-foreign.jsonl');
    writeFileSync(
      path,
      Array.from({ length: lines }, (_, n) =>
        toLine({ ...record({ costMicros: 1 }), id: `other:${2 * n}`, time: now } as UsageRecord),
      ).join(''),
    );
    const warnings: string[] = [];
    const ledger = await UsageLedger.open({ dir, now: () => now, warn: (message) => warnings.push(message) });
    const counted = ledger.rollups.sum().requests;
    const said = warnings.map((warning) => /(\d+) lines? .*not counted/.exec(warning)?.[1]).find(Boolean);
    assert.ok(said, `the log says how many lines were not counted:\n${warnings.join('\n')}`);
    const notCounted = Number(said);
    assert.ok(notCounted > 0);
    assert.equal(counted + notCounted, lines, 'every line is counted or said not to be');
    assert.deepEqual(ledger.rollups.sum().cost, { USD: counted });

    // A copy of it counts nothing twice, neither what counted nor what did not.
    copyFileSync(path, path.replace('.jsonl', ' (conflicted copy).jsonl'));
    await ledger.refresh();
    assert.equal(ledger.rollups.sum().requests, counted);
    await ledger.close();
    const checkpoint = JSON.parse(readFileSync(join(dir, 'usage-checkpoint.json'), 'utf8')) as {
      seen: Record<string, { r: number[] }>;
    };
    assert.ok((checkpoint.seen.other?.r.length ?? 0) / 2 <= MAX_RANGES_PER_WRITER, 'the ids kept stay bounded');
  });
});

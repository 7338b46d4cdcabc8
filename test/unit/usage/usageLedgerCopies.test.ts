import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_RANGES_PER_WRITER } from '../../../src/core/usage/seenIds';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { sampleRequest } from '../../harness/ledgerFixtures';

const NOW = Date.UTC(2026, 11, 7, 12);
const ledgerFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
/** The names Dropbox, OneDrive and Syncthing give the copy they keep beside a file both sides changed. */
const conflictNames = (file: string) => [
  file.replace('.jsonl', ' (conflicted copy).jsonl'),
  file.replace('.jsonl', '-DESKTOP-7Q2.jsonl'),
  file.replace('.jsonl', '.sync-conflict-20261207-123456-ABCDEFG.jsonl'),
];

/** `line` as another machine's writer would have written it: another id and a cost of 107, in as many bytes. */
const otherMachine = (line: string) =>
  line
    .replace(/"id":"([^"]*):(\d+)"/, (_, writer: string, n: string) => `"id":"${'z'.repeat(writer.length)}:${n}"`)
    .replace('"c":100', '"c":107');

const shown = (ledger: UsageLedger) => [...ledger.acceptance.byModel().values()].reduce((n, c) => n + c.shown, 0);

async function count<T>(items: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of items) n += 1;
  return n;
}

describe('usage ledger beside the copies a sync tool leaves', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-copies-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function writeThree(): Promise<string> {
    const writer = await UsageLedger.open({ dir, now: () => NOW });
    for (let i = 0; i < 3; i++) writer.append(sampleRequest({ costMicros: 100 }));
    writer.appendEvent({ kind: 'shown', backend: 'qwen', model: 'qwen3-coder-plus', chars: 12 });
    await writer.close();
    const [file] = ledgerFiles(dir);
    assert.ok(file);
    return file;
  }

  /** The lines of `file`, each with its line break. */
  const linesOf = (file: string) => readFileSync(join(dir, file), 'utf8').split(/(?<=\n)/);

  /** `file` with its third record written by another machine: same length, another id and cost. */
  const thirdFromOtherMachine = (file: string) => {
    const lines = linesOf(file);
    return [...lines.slice(0, 2), otherMachine(lines[2]!), ...lines.slice(3)].join('');
  };

  /** The checkpoint as a version that kept no marks of its files would have left it. */
  function forgetMarks(): void {
    const path = join(dir, 'usage-checkpoint.json');
    const { marks: _, ...older } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(older));
  }

  it('a conflict copy of a file counts nothing twice: totals, acceptance, dashboard and export', async () => {
    const file = await writeThree();
    for (const copy of conflictNames(file)) copyFileSync(join(dir, file), join(dir, copy));
    rmSync(join(dir, 'usage-checkpoint.json'));

    const warnings: string[] = [];
    const reader = await UsageLedger.open({ dir, now: () => NOW, warn: (message) => warnings.push(message) });
    assert.equal(reader.rollups.sum().requests, 3);
    assert.deepEqual(reader.rollups.sum().cost, { USD: 300 });
    // The log says which files repeated what, so a total that looks short can be explained: of
    // the four files, whichever is read first counts and each of the others repeats all 4 lines.
    const repeated = warnings.filter((warning) => warning.includes('already counted'));
    assert.equal(repeated.length, conflictNames(file).length, warnings.join('\n'));
    for (const warning of repeated) assert.match(warning, /repeats 4 lines already counted/);
    assert.equal(shown(reader), 1);
    assert.equal(await count(reader.records()), 3, 'the dashboard and the export read each record once');
    assert.equal(await count(reader.records({ from: NOW - 1, to: NOW + 1 })), 3);
    assert.equal(await count(reader.events()), 1);
    await reader.close();
  });

  it('a copy that appears after a restart is not counted on top of what the checkpoint holds', async () => {
    const file = await writeThree();
    const first = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(first.rollups.sum().requests, 3);
    await first.close();

    for (const copy of conflictNames(file)) copyFileSync(join(dir, file), join(dir, copy));
    const second = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(second.rollups.sum().requests, 3);
    assert.deepEqual(second.rollups.sum().cost, { USD: 300 });
    await second.close();
  });

  it('a copy a window makes of its own file, read while it is still open, is not counted again', async () => {
    const writer = await UsageLedger.open({ dir, now: () => NOW });
    writer.append(sampleRequest({ costMicros: 100 }));
    const [file] = ledgerFiles(dir);
    assert.ok(file);
    copyFileSync(join(dir, file), join(dir, conflictNames(file)[0]!));
    await writer.refresh();
    assert.equal(writer.rollups.sum().requests, 1);
    await writer.close();
  });

  it('a copy that ran ahead of the file counts its extra records once, and the file catches up without doubling', async () => {
    const file = await writeThree();
    const lines = readFileSync(join(dir, file), 'utf8').split(/(?<=\n)/);
    // The original as it has synced so far: the first record only.
    writeFileSync(join(dir, file), lines[0]!);
    writeFileSync(join(dir, conflictNames(file)[0]!), lines.slice(0, 3).join(''));
    rmSync(join(dir, 'usage-checkpoint.json'));
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(reader.rollups.sum().requests, 3);
    // The original catches up, the event with it.
    writeFileSync(join(dir, file), lines.join(''));
    await reader.refresh();
    assert.equal(reader.rollups.sum().requests, 3);
    assert.equal(shown(reader), 1);
    await reader.close();
  });

  it('records of different writers with the same sequence both count: only the same id is a copy', async () => {
    const a = await UsageLedger.open({ dir, now: () => NOW });
    const b = await UsageLedger.open({ dir, now: () => NOW });
    a.append(sampleRequest({ costMicros: 1 }));
    b.append(sampleRequest({ costMicros: 2 }));
    await Promise.all([a.close(), b.close()]);
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    assert.deepEqual(reader.rollups.sum().cost, { USD: 3 });
    assert.equal(await count(reader.records()), 2);
    await reader.close();
  });

  it('after an update from a version that kept no ids, a copy of a file already counted is not counted again', async () => {
    const file = await writeThree();
    const first = await UsageLedger.open({ dir, now: () => NOW });
    await first.close();
    const path = join(dir, 'usage-checkpoint.json');
    const { seen: _, ...older } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(older));

    copyFileSync(join(dir, file), join(dir, conflictNames(file)[0]!));
    const updated = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(updated.rollups.sum().requests, 3);
    assert.equal(updated.copiedLines, 4);
    await updated.close();
  });

  it('a file replaced by a shorter version (a sync resolving a conflict, a restore) is read again, its new records counted once', async () => {
    const file = await writeThree();
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(reader.rollups.sum().requests, 3);
    const lines = readFileSync(join(dir, file), 'utf8').split(/(?<=\n)/);
    const later = lines[0]!.replace(/"id":"[^"]*"/, '"id":"other-machine:0"').replace('"c":100', '"c":7');
    writeFileSync(join(dir, file), lines[0]! + later);
    await reader.refresh();
    assert.equal(reader.rollups.sum().requests, 4);
    assert.deepEqual(reader.rollups.sum().cost, { USD: 307 });
    await reader.close();
  });

  it("a file replaced by a version of the same size (another machine's, a restore) is read again, its new record counted once", async () => {
    const file = await writeThree();
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(reader.rollups.sum().requests, 3);
    // The same bytes but for the last record, which another machine wrote: same length, other id and cost.
    const replaced = thirdFromOtherMachine(file);
    assert.equal(Buffer.byteLength(replaced), Buffer.byteLength(linesOf(file).join('')));
    writeFileSync(join(dir, file), replaced);
    await reader.refresh();
    assert.equal(reader.rollups.sum().requests, 4);
    assert.deepEqual(reader.rollups.sum().cost, { USD: 407 });
    await reader.close();
  });

  it('a file replaced by a larger version whose lines moved is read again from its start, never from the middle of a line', async () => {
    const file = await writeThree();
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    const lines = readFileSync(join(dir, file), 'utf8').split(/(?<=\n)/);
    // Another machine's record first, then the lines already counted: the old offset now falls inside a line.
    writeFileSync(join(dir, file), otherMachine(lines[0]!) + lines.join(''));
    await reader.refresh();
    assert.equal(reader.rollups.sum().requests, 4);
    assert.deepEqual(reader.rollups.sum().cost, { USD: 407 });
    assert.equal(reader.skippedLines, 0, 'no line read from its middle');
    await reader.close();
  });

  it('a file replaced by a version of the same size while no window was open is read again at the next start', async () => {
    const file = await writeThree();
    const first = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(first.rollups.sum().requests, 3);
    await first.close();
    writeFileSync(join(dir, file), thirdFromOtherMachine(file));
    const second = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(second.rollups.sum().requests, 4);
    assert.deepEqual(second.rollups.sum().cost, { USD: 407 });
    await second.close();
  });

  it('a file settled long ago and kept as seen in the checkpoint is still read again when replaced, even with its old times', async () => {
    const file = await writeThree();
    const path = join(dir, file);
    // Written an hour ago: its size and times are kept in the checkpoint, to skip it while unchanged.
    // Setting the times changes the file's change time, which must be a few seconds old to be trusted.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path, anHourAgo, anHourAgo);
    await new Promise((settle) => setTimeout(settle, 3_100));
    const first = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(first.rollups.sum().requests, 3);
    await first.close();
    const checkpoint = JSON.parse(readFileSync(join(dir, 'usage-checkpoint.json'), 'utf8')) as { looks?: object };
    assert.ok(checkpoint.looks && file in checkpoint.looks, 'the settled file is kept as seen');
    writeFileSync(path, thirdFromOtherMachine(file));
    // A restore that puts the old times back: the size and times match, the change time does not.
    utimesSync(path, anHourAgo, anHourAgo);
    const second = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(second.rollups.sum().requests, 4);
    assert.deepEqual(second.rollups.sum().cost, { USD: 407 });
    await second.close();
  });

  it('after an update from a version that kept no marks of its files, the totals stand and a later replacement is noticed', async () => {
    const file = await writeThree();
    const first = await UsageLedger.open({ dir, now: () => NOW });
    await first.close();
    forgetMarks();

    const updated = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(updated.rollups.sum().requests, 3);
    writeFileSync(join(dir, file), thirdFromOtherMachine(file));
    await updated.refresh();
    assert.equal(updated.rollups.sum().requests, 4);
    assert.deepEqual(updated.rollups.sum().cost, { USD: 407 });
    await updated.close();
  });

  it('after an update from a version that kept no marks, a file replaced by a larger one whose old offset falls inside a line is read again', async () => {
    const file = await writeThree();
    const first = await UsageLedger.open({ dir, now: () => NOW });
    await first.close();
    forgetMarks();
    const lines = readFileSync(join(dir, file), 'utf8').split(/(?<=\n)/);
    // One byte more before the old lines: the offset kept now falls one byte short of a line's end.
    writeFileSync(join(dir, file), otherMachine(lines[0]!).replace('{', '{ ') + lines.join(''));

    const updated = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(updated.rollups.sum().requests, 4);
    assert.deepEqual(updated.rollups.sum().cost, { USD: 407 });
    assert.equal(updated.skippedLines, 0, 'no line read from its middle');
    await updated.close();
  });

  it('a window that records more requests and events than a writer may leave gaps counts each in the totals, the dashboard and the export', async () => {
    const writer = await UsageLedger.open({ dir, now: () => NOW });
    // Requests and events share one numbering: each kind alone skips a number at every turn.
    const each = MAX_RANGES_PER_WRITER + 10;
    for (let i = 0; i < each; i++) {
      writer.append(sampleRequest({ costMicros: 1 }));
      writer.appendEvent({ kind: 'shown', backend: 'qwen', model: 'qwen3-coder-plus', chars: 1 });
    }
    await writer.close();
    rmSync(join(dir, 'usage-checkpoint.json'));
    const warnings: string[] = [];
    const reader = await UsageLedger.open({ dir, now: () => NOW, warn: (message) => warnings.push(message) });
    assert.deepEqual(reader.rollups.sum().cost, { USD: each });
    assert.equal(shown(reader), each);
    assert.equal(await count(reader.records()), each);
    assert.equal(await count(reader.events()), each);
    assert.equal(await count(reader.records({ from: NOW - 1, to: NOW + 1 })), each);
    assert.deepEqual(warnings, []);
    await reader.close();
  });
});

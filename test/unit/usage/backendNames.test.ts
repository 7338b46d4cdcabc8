import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { fromLine, soundRecord, toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { sampleRequest } from '../../harness/ledgerFixtures';

const NOW = Date.UTC(2026, 10, 22, 12);

const all = async (ledger: UsageLedger) => {
  const records: UsageRecord[] = [];
  for await (const record of ledger.records()) records.push(record);
  return records;
};

describe('usage records keep the name of their backend', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-names-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a record carries the name the backend had, for every window and after the backend is gone', async () => {
    const writer = await UsageLedger.open({ dir, now: () => NOW });
    writer.append(sampleRequest({ backend: 'deepseek-2', backendName: 'DeepSeek work', costMicros: 4_200 }));
    writer.append(sampleRequest({ backend: 'ollama' }));
    await writer.close();
    const reader = await UsageLedger.open({ dir, now: () => NOW });
    const records = await all(reader);
    assert.deepEqual(
      records.map((record) => [record.backend, record.backendName, record.costMicros]),
      [
        ['deepseek-2', 'DeepSeek work', 4_200],
        ['ollama', undefined, 200],
      ],
    );
    await reader.close();
  });

  it('a line written before names existed reads as before', () => {
    const line = toLine({ ...sampleRequest(), id: 'w:1', time: NOW, currency: 'USD' } as UsageRecord);
    assert.doesNotMatch(line, /"bn"/);
    assert.equal(fromLine(line)?.backendName, undefined);
  });

  it('a bad name never costs the record its spend: the record counts, without the name', async () => {
    const good = toLine({
      ...sampleRequest({ costMicros: 700 }),
      id: 'o:1',
      time: NOW,
      currency: 'USD',
    } as UsageRecord);
    const bad = [
      good.replace('}\n', ',"bn":42}\n'),
      good.replace('}\n', `,"bn":"${'n'.repeat(5_000)}"}\n`).replace('"o:1"', '"o:2"'),
    ];
    writeFileSync(join(dir, 'usage-foreign.jsonl'), bad.join(''));
    const ledger = await UsageLedger.open({ dir, now: () => NOW });
    assert.equal(ledger.rollups.sum().requests, 2);
    assert.deepEqual(ledger.rollups.sum().cost, { USD: 1_400 });
    assert.equal(ledger.skippedLines, 0);
    assert.deepEqual(
      (await all(ledger)).map((record) => record.backendName),
      [undefined, undefined],
    );
    await ledger.close();
  });

  it('a name too long to read back is written cut, and said', () => {
    const { record, repaired } = soundRecord(
      { ...sampleRequest({ backendName: 'x'.repeat(300) }), id: 'w:1', time: NOW, currency: 'USD' } as UsageRecord,
      NOW,
    );
    assert.equal(record.backendName?.length, 256);
    assert.deepEqual(repaired, ['backendName']);
    assert.equal(fromLine(toLine(record))?.backendName, record.backendName);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { exportUsage, exportUsageToFile, microsToUnits } from '../../../src/core/usage/exportUsage';
import type { CompletionEvent } from '../../../src/core/usage/completionEvent';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

const base: UsageRecord = {
  id: 'w:0',
  time: Date.UTC(2026, 10, 22, 9, 30),
  backend: 'qwen',
  model: 'qwen3-coder-plus',
  feature: 'completion',
  inputTokens: 1_480,
  outputTokens: 24,
  cacheReadTokens: 1_024,
  cacheWriteTokens: 0,
  reported: true,
  costMicros: 1_702,
  currency: 'USD',
  latencyMs: 312,
  outcome: 'ok',
};

async function* from(records: UsageRecord[]) {
  yield* records;
}

async function run(records: UsageRecord[], format: 'csv' | 'json'): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await exportUsage(from(records), format, out);
  assert.equal(count, records.length);
  return Buffer.concat(chunks).toString('utf8');
}

describe('usage export', () => {
  it('writes CSV with exact dollar amounts, an empty cost for an unknown price, and quoted text', async () => {
    const csv = await run(
      [
        base,
        { ...base, id: 'w:1', model: 'my,model', costMicros: null, reported: false, outcome: 'cancelled' },
        { ...base, id: 'w:2', backend: '=HYPERLINK("x")' },
        { ...base, id: 'w:3', backend: 'deepseek-2', backendName: 'Work, DeepSeek' },
      ],
      'csv',
    );
    const lines = csv.trimEnd().split('\n');
    assert.equal(
      lines[0],
      'time,backend,model,feature,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,tokens_reported,cost,currency,billing,latency_ms,outcome,record,id,request_id,accepted_how,chars,backend_name',
    );
    assert.equal(
      lines[1],
      '2026-11-22T09:30:00.000Z,qwen,qwen3-coder-plus,completion,1480,24,1024,0,reported,0.001702,USD,metered,312,ok,request,w:0,,,,qwen',
    );
    assert.equal(
      lines[2],
      '2026-11-22T09:30:00.000Z,qwen,"my,model",completion,1480,24,1024,0,estimated,,,price unknown,312,cancelled,request,w:1,,,,qwen',
    );
    assert.ok(lines[3]?.startsWith(`2026-11-22T09:30:00.000Z,"'=HYPERLINK(""x"")"`), 'a formula is defused');
    // The name the backend had, so a removed backend's rows still say what it was.
    assert.ok(lines[4]?.endsWith(',request,w:3,,,,"Work, DeepSeek"'), lines[4]);
  });

  it('writes a plan request as "included in plan", never as a cost of 0', async () => {
    const planned = { ...base, backend: 'coding-plan', costMicros: 0, inPlan: true };
    const [, line] = (await run([planned], 'csv')).trimEnd().split('\n');
    assert.equal(
      line,
      '2026-11-22T09:30:00.000Z,coding-plan,qwen3-coder-plus,completion,1480,24,1024,0,reported,,,included in plan,312,ok,request,w:0,,,,coding-plan',
    );
    const [entry] = JSON.parse(await run([planned], 'json')) as { cost: string; billing: string }[];
    assert.deepEqual([entry?.cost, entry?.billing], ['', 'included in plan']);
  });

  it('writes a request refused before the model ran, or never sent, as not billed, never as metered', async () => {
    const refused = {
      ...base,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      costMicros: 0,
      outcome: 'quota-exhausted' as const,
      unserved: true,
    };
    const [, line] = (await run([refused], 'csv')).trimEnd().split('\n');
    assert.equal(
      line,
      '2026-11-22T09:30:00.000Z,qwen,qwen3-coder-plus,completion,0,0,0,0,reported,,,not billed,312,quota-exhausted,request,w:0,,,,qwen',
    );
    const [entry] = JSON.parse(await run([refused], 'json')) as { cost: string; billing: string }[];
    assert.deepEqual([entry?.cost, entry?.billing], ['', 'not billed']);
  });

  it('writes JSON that parses back to the same records', async () => {
    const parsed = JSON.parse(await run([base, { ...base, id: 'w:1', costMicros: 2_500_000 }], 'json')) as {
      cost: string;
      currency: string;
      id: string;
    }[];
    assert.deepEqual(
      parsed.map((r) => [r.id, r.cost]),
      [
        ['w:0', '0.001702'],
        ['w:1', '2.500000'],
      ],
    );
    assert.deepEqual(JSON.parse(await run([], 'json')), []);
  });

  it('writes completion events after the requests, linked to their request, with no cost of their own', async () => {
    const events = async function* (): AsyncIterable<CompletionEvent> {
      yield {
        id: 'w:1',
        time: base.time + 1_000,
        kind: 'shown',
        backend: 'qwen',
        model: base.model,
        request: 'w:0',
        chars: 14,
      };
      yield {
        id: 'w:2',
        time: base.time + 2_000,
        kind: 'accepted',
        how: 'word',
        backend: '=cmd',
        model: base.model,
        chars: 5,
      };
    };
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    assert.equal(await exportUsage(from([base]), 'csv', out, events()), 1, 'the count is of requests');
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    assert.equal(lines[2], '2026-11-22T09:30:01.000Z,qwen,qwen3-coder-plus,completion,,,,,,,,,,,shown,w:1,w:0,,14,');
    assert.equal(
      lines[3],
      `2026-11-22T09:30:02.000Z,'=cmd,qwen3-coder-plus,completion,,,,,,,,,,,accepted,w:2,,word,5,`,
    );

    const json = new PassThrough();
    const parts: Buffer[] = [];
    json.on('data', (chunk: Buffer) => parts.push(chunk));
    await exportUsage(from([base]), 'json', json, events());
    const parsed = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, string>[];
    assert.deepEqual(
      parsed.map((entry) => [entry.record, entry.id, entry.request_id, entry.cost]),
      [
        ['request', 'w:0', '', '0.001702'],
        ['shown', 'w:1', 'w:0', ''],
        ['accepted', 'w:2', '', ''],
      ],
    );
  });

  it('converts micro-dollars without floating-point error', () => {
    assert.equal(microsToUnits(100_000_000_001), '100000.000001');
    assert.equal(microsToUnits(0), '0.000000');
    assert.equal(microsToUnits(null), '');
  });
});

describe('usage export into a file', () => {
  it('a file that cannot be written rejects the export, with no uncaught error, however small or large', async () => {
    const uncaught: unknown[] = [];
    const hear = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', hear);
    const dir = mkdtempSync(join(tmpdir(), 'sb-export-'));
    try {
      const nowhere = join(dir, 'no-such-folder', 'usage.csv');
      await assert.rejects(exportUsageToFile(from([base]), 'csv', nowhere), { code: 'ENOENT' });
      const many = Array.from({ length: 2_000 }, (_, index) => ({ ...base, id: `w:${index}` }));
      await assert.rejects(exportUsageToFile(from(many), 'json', nowhere), { code: 'ENOENT' });
      // A listener-less error would surface on a later turn.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(uncaught, []);

      const file = join(dir, 'usage.csv');
      assert.equal(await exportUsageToFile(from([base]), 'csv', file), 1);
      assert.match(readFileSync(file, 'utf8'), /^time,backend,/);
    } finally {
      process.off('uncaughtException', hear);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A ledger folder shared through a sync tool (Dropbox, OneDrive, Syncthing) with machines whose
 * clocks differ: in the real extension host, the meter behind the status bar, the budgets, the
 * dashboard and the export counts each request once, and in the period its time falls in.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError } from '../../../src/core/providers/providerError';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { toLine, type UsageRecord } from '../../../src/core/usage/usageRecord';
import { UsageMeter } from '../../../src/usage/usageMeter';
import { activateWithLedger, eventually } from './helpers';

const line = (id: string, time: number, backend: string, costMicros: number, outcome: UsageRecord['outcome'] = 'ok') =>
  toLine({
    id,
    time,
    backend,
    model: 'm',
    feature: 'chat',
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros,
    currency: 'USD',
    latencyMs: 100,
    outcome,
  } satisfies UsageRecord);

describe('a ledger folder shared with other machines', () => {
  let dir: string;
  let meter: UsageMeter | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-shared-'));
  });
  afterEach(() => {
    meter?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts a conflict copy's requests once, and requests dated ahead in their own period, never this one", async () => {
    await activateWithLedger();
    const now = Date.now();
    const date = new Date(now);
    const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 2);
    const file = join(dir, `usage-${date.toISOString().slice(0, 10)}-laptop.jsonl`);
    writeFileSync(
      file,
      line('laptop:0', now - 1_000, 'shared', 1_000) +
        line('laptop:1', nextMonth, 'shared', 50_000) +
        line('laptop:2', Date.UTC(9999, 0, 1), 'shared', 70_000) +
        // A clock ten minutes ahead.
        line('laptop:3', now + 600_000, 'ahead', 0),
    );
    copyFileSync(file, file.replace('.jsonl', ' (conflicted copy).jsonl'));
    copyFileSync(file, file.replace('.jsonl', '.sync-conflict-20261207-120000-ABCDEFG.jsonl'));

    meter = new UsageMeter(dir, 90);
    const opened = meter;
    await eventually(() => opened.ready, Boolean, 'the ledger to open');
    assert.deepEqual(opened.today('shared')?.cost, { USD: 1_000 }, "today's spend");
    assert.deepEqual(opened.month('shared')?.cost, { USD: 1_000 }, "this month's spend");
    assert.deepEqual(opened.usageOf('shared').costMonth, { USD: 1_000 }, 'what the monthly budget sees');
    assert.equal(
      opened.usageOf('ahead').requestsLastMinute,
      0,
      'a request ten minutes ahead is not one of the last minute',
    );

    let dashboard = 0;
    for await (const record of opened.records()) if (record.backend === 'shared') dashboard += 1;
    assert.equal(dashboard, 3, 'the dashboard reads each request once');
    const exported = join(dir, 'export.json');
    assert.equal(await opened.export(exported, 'json'), 4, 'the export writes each request once');
    assert.ok(readFileSync(exported, 'utf8').includes('laptop:3'));
  });

  it("takes another window's refusal as it was written, not with this window's last reset and message", async () => {
    await activateWithLedger();
    meter = new UsageMeter(dir, 90);
    const opened = meter;
    await eventually(() => opened.ready, Boolean, 'the ledger to open');
    const config = parseProviders([
      { id: 'shared-key', preset: 'custom', baseUrl: 'http://127.0.0.1:9/v1', completionModel: 'm' },
    ]).providers[0]!;
    const now = Date.now();
    // This window's own refusal, an hour ago, with the reset the server gave: two hours from now.
    opened.record({
      config,
      feature: 'completion',
      model: 'm',
      startedAt: now - 3_600_000,
      error: new ProviderError({
        kind: 'quota-exhausted',
        providerId: config.id,
        message: 'The daily quota is used up.',
        resetAt: now + 7_200_000,
      }),
    });
    assert.equal(opened.failureOf(config.id)?.resetsAt, now + 7_200_000, "this window's own reset");
    // Then a request served, and afterwards another machine's window refused for its key.
    opened.record({
      config,
      feature: 'completion',
      model: 'm',
      startedAt: now - 60_000,
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
    });
    writeFileSync(
      join(dir, `usage-${new Date(now).toISOString().slice(0, 10)}-laptop.jsonl`),
      line('laptop:0', now - 1_000, config.id, 0, 'auth'),
    );
    const failure = await eventually(
      () => opened.failureOf(config.id),
      (found) => found?.kind === 'auth',
      "the other window's refusal",
    );
    assert.equal(
      failure?.resetsAt,
      undefined,
      'a key refusal has no reset, least of all a quota reset seen here earlier',
    );
    assert.doesNotMatch(failure?.message ?? '', /quota/, "this window's message is not the other window's");
  });
});

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  AcceptanceRollups,
  AcceptanceTally,
  acceptanceFigures,
  emptyCounts,
  figuresFromRollups,
  type RequestTotals,
} from '../../../src/core/usage/acceptance';
import { describeAcceptance, formatCostPerAccepted } from '../../../src/core/usage/acceptanceText';
import { fromEventLine, toEventLine, type CompletionEvent } from '../../../src/core/usage/completionEvent';
import { UsageLedger, type NewUsageRecord } from '../../../src/core/usage/usageLedger';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';
import { runLedgerWriters, sampleRequest } from '../../harness/ledgerFixtures';

const request = (overrides: Partial<NewUsageRecord> = {}) => sampleRequest({ costMicros: 300, ...overrides });

const asRecord = (overrides: Partial<UsageRecord> = {}): UsageRecord => ({
  ...request(),
  id: 'w:0',
  time: Date.UTC(2026, 11, 5, 12),
  currency: 'USD',
  ...overrides,
});

const event = (overrides: Partial<CompletionEvent> = {}): CompletionEvent => ({
  id: 'w:1',
  time: Date.UTC(2026, 11, 5, 12),
  kind: 'shown',
  backend: 'qwen',
  model: 'qwen3-coder-plus',
  chars: 10,
  ...overrides,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('what a completion is worth', () => {
  it('gives the acceptance rate, requests and cost per accepted suggestion', () => {
    const tally = new AcceptanceTally();
    for (let i = 0; i < 6; i++) tally.addRequest(asRecord({ costMicros: 300 }));
    // A failed and a cancelled request cost money too: they count in what an accepted one costs.
    tally.addRequest(asRecord({ costMicros: 300, outcome: 'cancelled' }));
    tally.addRequest(asRecord({ costMicros: 300, outcome: 'server' }));
    tally.addRequest(asRecord({ feature: 'chat', costMicros: 50_000 }));
    for (let i = 0; i < 5; i++) tally.addEvent(event({ kind: 'shown' }));
    tally.addEvent(event({ kind: 'accepted', how: 'whole' }));
    tally.addEvent(event({ kind: 'accepted', how: 'line' }));
    tally.addEvent(event({ kind: 'kept' }));
    tally.addEvent(event({ kind: 'removed' }));
    const [row, ...rest] = tally.rows();
    assert.equal(rest.length, 0, 'chat requests are not completion figures');
    assert.ok(row);
    assert.equal(row.requests, 8);
    assert.equal(row.shown, 5);
    assert.equal(row.accepted, 2);
    assert.equal(row.acceptedWhole, 1);
    assert.equal(row.acceptedPartial, 1);
    assert.equal(row.acceptanceRate, 0.4);
    assert.equal(row.requestsPerAccepted, 4);
    assert.equal(row.keptRate, 0.5);
    assert.deepEqual(row.costPerAccepted, { kind: 'known', perAccepted: { USD: 1_200 } });
  });

  it('keeps currencies apart, per backend and model', () => {
    const tally = new AcceptanceTally();
    tally.addRequest(asRecord({ backend: 'bailian-cn', model: 'qwen-coder', costMicros: 4_000, currency: 'CNY' }));
    tally.addRequest(asRecord({ backend: 'bailian-cn', model: 'qwen-coder', costMicros: 1_000, currency: 'USD' }));
    tally.addRequest(asRecord({ backend: 'deepseek', model: 'deepseek-chat', costMicros: 90 }));
    tally.addEvent(event({ backend: 'bailian-cn', model: 'qwen-coder', kind: 'accepted', how: 'word' }));
    tally.addEvent(event({ backend: 'bailian-cn', model: 'qwen-coder', kind: 'accepted', how: 'whole' }));
    const rows = tally.rows();
    assert.deepEqual(
      rows.map((row) => [row.backend, row.model, row.costPerAccepted]),
      [
        ['bailian-cn', 'qwen-coder', { kind: 'known', perAccepted: { USD: 500, CNY: 2_000 } }],
        ['deepseek', 'deepseek-chat', { kind: 'none' }],
      ],
    );
    assert.equal(rows[1]?.acceptanceRate, null, 'nothing shown: no rate, not 0%');
  });

  it('never turns an unknown price into $0, and says "included" for a plan', () => {
    const counts = { ...emptyCounts(), shown: 4, accepted: 2, acceptedWhole: 2 };
    const unknown = acceptanceFigures(
      'x',
      'm',
      { requests: 3, cost: { USD: 100 }, unpricedRequests: 1, includedRequests: 0 },
      counts,
    );
    assert.deepEqual(unknown.costPerAccepted, { kind: 'unknown', unpricedRequests: 1 });
    const plan = acceptanceFigures(
      'plan',
      'm',
      { requests: 3, cost: {}, unpricedRequests: 0, includedRequests: 3 },
      counts,
    );
    assert.deepEqual(plan.costPerAccepted, { kind: 'included' });
    const tally = new AcceptanceTally();
    tally.addRequest(asRecord({ costMicros: 0, inPlan: true }));
    tally.addEvent(event({ kind: 'accepted', how: 'whole' }));
    assert.deepEqual(tally.rows()[0]?.costPerAccepted, { kind: 'included' });
  });

  it('a plan whose server refused one request (a 429) still reads "included in plan", not "$0.00"', () => {
    const tally = new AcceptanceTally();
    for (let i = 0; i < 3; i++) tally.addRequest(asRecord({ costMicros: 0, inPlan: true }));
    // As the meter records a refusal: nothing used, no cost, the model never ran.
    tally.addRequest(
      asRecord({ costMicros: 0, outcome: 'rate-limited', unserved: true, inputTokens: 0, outputTokens: 0 }),
    );
    for (let i = 0; i < 2; i++) {
      tally.addEvent(event({ kind: 'shown' }));
      tally.addEvent(event({ kind: 'accepted', how: 'whole' }));
    }
    const [row] = tally.rows();
    assert.ok(row);
    assert.deepEqual(row.costPerAccepted, { kind: 'included' });
    const sentence = describeAcceptance(row) ?? '';
    assert.match(sentence, /included in plan/);
    assert.doesNotMatch(sentence, /\$0\.00/);
  });

  it('round-trips an event line and rejects hostile ones', () => {
    const full = event({ kind: 'accepted', how: 'word', request: 'abc:4', chars: 7 });
    assert.deepEqual(fromEventLine(toEventLine(full).trimEnd()), full);
    const line = (patch: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(toEventLine(full)), ...patch });
    for (const patch of [
      { e: 'bought' },
      { e: undefined },
      { h: 'all' },
      { n: -1 },
      { n: 1e12 },
      { n: 1.5 },
      { t: Date.UTC(10_000, 0, 1) },
      { b: 'x'.repeat(300) },
      { q: 'x'.repeat(200) },
      { q: 42 },
      { id: { toString: 1 } },
    ])
      assert.equal(fromEventLine(line(patch)), undefined, JSON.stringify(patch).slice(0, 60));
    assert.equal(fromEventLine('[1,2]'), undefined);
    assert.equal(fromEventLine('{"e":"shown"'), undefined);
  });
});

describe('completion events in the usage ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-accept-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("counts each window's events, links them to the request, and keeps them across a restart", async () => {
    const day = Date.UTC(2026, 11, 5, 12);
    const a = await UsageLedger.open({ dir, now: () => day });
    const b = await UsageLedger.open({ dir, now: () => day });
    const asked = a.append(request());
    a.appendEvent({ kind: 'shown', backend: asked.backend, model: asked.model, request: asked.id, chars: 12 });
    const taken = b.appendEvent({
      kind: 'accepted',
      how: 'whole',
      backend: 'qwen',
      model: asked.model,
      request: asked.id,
      chars: 12,
    });
    const seen: CompletionEvent[] = [];
    a.onEvents((events) => seen.push(...events));
    await a.refresh();
    assert.deepEqual(seen, [taken], "the other window's accept arrives with the refresh");
    const counts = a.acceptance.byModel({ fromDay: '2026-12-05' });
    assert.equal(counts.get(`qwen\u0000${asked.model}`)?.accepted, 1);
    assert.equal(counts.get(`qwen\u0000${asked.model}`)?.shown, 1);
    assert.equal(a.skippedLines, 0, 'an event line is not an unreadable line');
    const requests = await collect(a.records());
    assert.equal(requests.length, 1, 'events are not requests');
    const events = await collect(a.events());
    assert.deepEqual(events.map((e) => `${e.kind} ${e.request}`).sort(), [`accepted ${asked.id}`, `shown ${asked.id}`]);
    await a.close();
    await b.close();

    const reopened = await UsageLedger.open({ dir });
    const after = reopened.acceptance.byModel().get(`qwen\u0000${asked.model}`);
    assert.equal(after?.shown, 1);
    assert.equal(after?.accepted, 1);
    assert.equal(reopened.rollups.sum().requests, 1);
    await reopened.close();
  });

  it('skips hostile event lines and a hostile checkpoint, and keeps counting', async () => {
    const ledger = await UsageLedger.open({ dir });
    ledger.appendEvent({ kind: 'shown', backend: 'qwen', model: 'm', chars: 3 });
    await ledger.close();
    const file = readdirSync(dir).find((name) => name.endsWith('.jsonl'));
    assert.ok(file);
    const foreign = join(dir, 'usage-2026-12-05-foreign.jsonl');
    writeFileSync(
      foreign,
      [
        '{"id":"f:1","t":1,"e":"accepted","b":"qwen","m":"m","n":-5}',
        '{"id":"f:2","t":1,"e":"accepted","b":"qwen","m":"m","h":"<script>","n":1}',
        `{"id":"f:3","t":1,"e":"shown","b":"${'q'.repeat(5000)}","m":"m","n":1}`,
        '{"id":"f:4","t":1,"e":"accepted","b":"qwen","m":"m","h":"line","n":4}',
        '',
      ].join('\n'),
    );
    const checkpoint = join(dir, 'usage-checkpoint.json');
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as Record<string, unknown>;
    saved.acceptance = {
      ...(saved.acceptance as object),
      'not a key': { shown: 5 },
      '2026-12-05\u0000qwen\u0000other': { shown: -3, accepted: 'many', kept: 2 },
    };
    writeFileSync(checkpoint, JSON.stringify(saved));
    const reopened = await UsageLedger.open({ dir });
    const counts = reopened.acceptance.byModel();
    assert.equal(counts.get('qwen\u0000m')?.shown, 1);
    assert.equal(counts.get('qwen\u0000m')?.accepted, 1, 'only the well-formed foreign accept counts');
    assert.equal(counts.get('qwen\u0000m')?.acceptedPartial, 1);
    assert.deepEqual(counts.get('qwen\u0000other'), { ...emptyCounts(), kept: 2 });
    assert.equal(reopened.skippedLines, 3);
    appendFileSync(foreign, '{"id":"f:5","t":1,"e":"kept","b":"qwen","m":"m","n":4}\n');
    await reopened.refresh();
    assert.equal(reopened.acceptance.byModel().get('qwen\u0000m')?.kept, 1);
    await reopened.close();
  });

  it('computes the per-backend figures from several processes writing at once', async () => {
    const writers = 3;
    const each = 400;
    await runLedgerWriters(dir, writers, each, 'qwen', '--events');
    const ledger = await UsageLedger.open({ dir });
    assert.equal(ledger.skippedLines, 0);

    // From the raw records and events (the dashboard's way)…
    const tally = new AcceptanceTally();
    const ids = new Set<string>();
    for await (const record of ledger.records()) {
      ids.add(record.id);
      tally.addRequest(record);
    }
    let linked = 0;
    for await (const e of ledger.events()) {
      tally.addEvent(e);
      if (e.request && ids.has(e.request)) linked++;
    }
    const [row] = tally.rows();
    assert.ok(row);
    assert.equal(row.requests, writers * each);
    assert.equal(row.shown, writers * each);
    assert.equal(row.accepted, (writers * each) / 2);
    assert.equal(row.acceptedPartial, (writers * each) / 4);
    assert.equal(row.kept, (writers * each) / 4);
    assert.equal(row.acceptanceRate, 0.5);
    assert.equal(row.requestsPerAccepted, 2);
    assert.deepEqual(row.costPerAccepted, { kind: 'known', perAccepted: { USD: 14 } });
    assert.equal(linked, row.shown + row.accepted + row.kept, "every event names a request of its own writer's");

    // …and from the rollups (the status bar's way), which must agree.
    const requests = new Map([
      ['qwen\u0000m', { ...ledger.rollups.sum({ backend: 'qwen', feature: 'completion' }), includedRequests: 0 }],
    ]);
    const [fromRollups] = figuresFromRollups(requests, ledger.acceptance.byModel());
    assert.deepEqual(fromRollups, row);
    await ledger.close();
  });

  it('reads back daily counts and drops a day outside the filter', () => {
    const rollups = new AcceptanceRollups();
    rollups.add(event({ kind: 'shown', time: Date.UTC(2026, 11, 4, 23, 59) }));
    rollups.add(event({ kind: 'shown', time: Date.UTC(2026, 11, 5, 0, 1) }));
    const today = rollups.byModel({ fromDay: '2026-12-05', toDay: '2026-12-05' });
    assert.equal(today.get('qwen\u0000qwen3-coder-plus')?.shown, 1);
    const copy = AcceptanceRollups.fromJSON(JSON.parse(JSON.stringify(rollups)));
    assert.equal(copy.byModel().get('qwen\u0000qwen3-coder-plus')?.shown, 2);
  });
});

describe('acceptance figures as text', () => {
  const figures = (requests: RequestTotals, counts: Partial<ReturnType<typeof emptyCounts>>) =>
    acceptanceFigures('qwen', '', requests, { ...emptyCounts(), ...counts });
  const paid = { requests: 5, cost: { USD: 2_000 }, unpricedRequests: 0, includedRequests: 0 };

  it('reads the rate, the requests and the cost per accepted suggestion', () => {
    assert.equal(
      describeAcceptance(figures(paid, { shown: 10, accepted: 2, acceptedWhole: 2, kept: 1, removed: 1 })),
      '2 of 10 suggestions accepted (20%) · 2.5 requests and $0.001 per accepted · 1 of 2 still there after 30 s',
    );
    assert.equal(describeAcceptance(figures(paid, {})), undefined, 'nothing shown: nothing to say');
    assert.equal(describeAcceptance(figures(paid, { shown: 3 })), '0 of 3 suggestions accepted (0%)');
  });

  it('says “1 request”, not “1 requests”, when each accepted suggestion took one', () => {
    const one = { requests: 1, cost: { USD: 400 }, unpricedRequests: 0, includedRequests: 0 };
    assert.equal(
      describeAcceptance(figures(one, { shown: 1, accepted: 1, acceptedWhole: 1 })),
      '1 of 1 suggestion accepted (100%) · 1 request and $0.0004 per accepted',
    );
  });

  it('never writes an unknown cost as $0', () => {
    const text = describeAcceptance(
      figures({ requests: 2, cost: {}, unpricedRequests: 2, includedRequests: 0 }, { shown: 2, accepted: 1 }),
    );
    assert.match(text ?? '', /2 requests per accepted, cost unknown \(2 requests without a price\)$/);
    assert.doesNotMatch(text ?? '', /\$0/);
    assert.equal(formatCostPerAccepted({ kind: 'included' }), 'included in plan');
    assert.equal(formatCostPerAccepted({ kind: 'known', perAccepted: { USD: 400, CNY: 3_000 } }), '$0.0004 · ¥0.003');
  });
});

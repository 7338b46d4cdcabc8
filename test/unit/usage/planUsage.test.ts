import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { countWindow, planReadings } from '../../../src/core/usage/planWindows';
import { requestDraw } from '../../../src/core/usage/planDraw';
import { resolvePlan } from '../../../src/core/usage/planSettings';
import { ZAI_GLM_CODING_PLAN } from '../../../src/core/providers/subscriptionPlans';
import { PLAN_HISTORY_MS, PlanUsage } from '../../../src/core/usage/planUsage';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

const FIVE_HOURS = { kind: 'rolling', hours: 5, limit: 6000 } as const;

function record(over: Partial<UsageRecord>): UsageRecord {
  return {
    id: 'x:0',
    time: 0,
    backend: 'plan',
    model: 'qwen3-coder-plus',
    feature: 'completion',
    inputTokens: 10,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: true,
    costMicros: 0,
    currency: 'USD',
    latencyMs: 5,
    outcome: 'ok',
    ...over,
  };
}

function writer(dir: string, count: number, backend: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../../harness/usageLedgerWriter.ts'), dir, String(count), backend],
      { stdio: 'inherit' },
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
  });
}

describe('plan usage from several windows of VS Code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-plan-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("counts every process's requests to the plan once, and only the plan's", async () => {
    const ledger = await UsageLedger.open({ dir });
    const usage = new PlanUsage((backend) => backend === 'coding-plan');
    ledger.onRecords((records) => usage.add(records, Date.now()));
    // This window's own requests, before and while the other windows write.
    for (let i = 0; i < 5; i++) ledger.append(record({ backend: 'coding-plan', time: Date.now() }));
    await Promise.all([writer(dir, 40, 'coding-plan'), writer(dir, 60, 'coding-plan'), writer(dir, 30, 'deepseek')]);
    await ledger.refresh();
    const now = Date.now();
    assert.equal(countWindow(FIVE_HOURS, usage.timesOf('coding-plan'), now).used, 105);
    assert.equal(usage.timesOf('deepseek').length, 0, 'backends without a plan are not kept');

    // A start-up scan of the history on disk sees the same records again: nothing counts twice.
    const all: UsageRecord[] = [];
    for await (const r of ledger.records({ from: now - PLAN_HISTORY_MS })) all.push(r);
    assert.equal(usage.add(all, now), false);
    assert.equal(countWindow(FIVE_HOURS, usage.timesOf('coding-plan'), now).used, 105);

    // A window that opens now (a new VS Code window) counts the same from the files alone.
    const fresh = new PlanUsage((backend) => backend === 'coding-plan');
    const second = await UsageLedger.open({ dir });
    const scan: UsageRecord[] = [];
    for await (const r of second.records({ from: now - PLAN_HISTORY_MS })) scan.push(r);
    fresh.add(scan, now);
    assert.equal(countWindow(FIVE_HOURS, fresh.timesOf('coding-plan'), now).used, 105);
    await second.close();
    await ledger.close();
  });

  it('requests that never reached the server or were refused do not count; cancelled ones do', () => {
    const usage = new PlanUsage(() => true);
    const now = Date.parse('2026-12-05T10:00:00Z');
    const outcomes = ['ok', 'cancelled', 'server', 'timeout', 'network', 'auth', 'quota-exhausted', 'rate-limited'];
    usage.add(
      outcomes.map((outcome, i) => record({ id: `w:${i}`, time: now - 1000 + i, outcome })),
      now,
    );
    assert.equal(usage.timesOf('plan').length, 4);
  });

  it('a refusal the meter recorded as nothing (an overload, an unknown model) does not count; the same failure mid-answer does', () => {
    const usage = new PlanUsage(() => true);
    const now = Date.parse('2026-12-05T10:00:00Z');
    const refused = { inputTokens: 0, outputTokens: 0, reported: true };
    usage.add(
      [
        record({ id: 'r:1', time: now - 50, outcome: 'overloaded', ...refused }),
        record({ id: 'r:2', time: now - 40, outcome: 'model-not-found', ...refused }),
        record({ id: 'r:3', time: now - 30, outcome: 'bad-request', ...refused }),
        // A 503 inside a stream: the meter estimated what the server may bill, so the server ran it.
        record({
          id: 'r:4',
          time: now - 20,
          outcome: 'overloaded',
          inputTokens: 900,
          outputTokens: 4,
          reported: false,
        }),
        // Cancelled before any count came back: the server may still have served it.
        record({ id: 'r:5', time: now - 10, outcome: 'cancelled', ...refused }),
      ],
      now,
    );
    assert.deepEqual(usage.timesOf('plan'), [now - 20, now - 10]);
  });

  it('a request never sent (cancelled or timed out before it went out) uses no plan request', () => {
    const usage = new PlanUsage(() => true);
    const now = Date.parse('2026-12-05T10:00:00Z');
    // As the meter records a request with \`notSent\`: nothing used, marked unserved.
    const notSent = { inputTokens: 0, outputTokens: 0, reported: true, costMicros: 0, unserved: true };
    usage.add(
      [
        record({ id: 'n:1', time: now - 30, outcome: 'cancelled', ...notSent }),
        record({ id: 'n:2', time: now - 20, outcome: 'timeout', ...notSent }),
        record({ id: 'n:3', time: now - 10, outcome: 'ok' }),
      ],
      now,
    );
    assert.equal(countWindow(FIVE_HOURS, usage.timesOf('plan'), now).used, 1);
  });

  it("Z.ai's GLM-5.1 and GLM-5-Turbo draw 3 prompts in peak hours (14:00–18:00 UTC+8) and 2 off-peak", () => {
    const { plan } = resolvePlan(ZAI_GLM_CODING_PLAN, undefined);
    assert.ok(plan);
    const usage = new PlanUsage(
      () => true,
      (counted) => requestDraw(plan.draw, counted.model, counted.time),
    );
    // 13:00 to 16:00 in Shanghai (UTC+8, no daylight saving).
    const at = (hhmm: string) => Date.parse(`2026-12-05T${hhmm}:00+08:00`);
    usage.add(
      [
        record({ id: 'z:1', time: at('13:59'), model: 'glm-5.1' }), // off-peak: 2
        record({ id: 'z:2', time: at('14:00'), model: 'glm-5.1' }), // peak: 3
        record({ id: 'z:3', time: at('15:30'), model: 'GLM-5-Turbo' }), // peak: 3
        record({ id: 'z:4', time: at('15:40'), model: 'glm-4.5-air' }), // 1
      ],
      at('16:00'),
    );
    const [fiveHours] = planReadings(plan.windows, usage.timesOf('plan'), at('16:00'), plan.unit);
    assert.equal(fiveHours?.used, 9);
    assert.equal(fiveHours?.limit, 120);
    // Past 18:00 the peak rate no longer applies.
    assert.equal(requestDraw(plan.draw, 'glm-5.1', at('18:00')), 2);
  });

  it('records arriving out of order are kept in time order, and old ones are dropped', () => {
    const usage = new PlanUsage(() => true);
    const now = Date.parse('2026-12-05T10:00:00Z');
    usage.add([record({ id: 'a:1', time: now - 10 }), record({ id: 'b:1', time: now - 30 })], now);
    usage.add([record({ id: 'c:1', time: now - 20 }), record({ id: 'd:1', time: now - PLAN_HISTORY_MS - 1 })], now);
    assert.deepEqual(usage.timesOf('plan'), [now - 30, now - 20, now - 10]);
    usage.add([], now + PLAN_HISTORY_MS - 25);
    assert.deepEqual(usage.timesOf('plan'), [now - 20, now - 10]);
  });
});

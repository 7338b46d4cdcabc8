import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeHeld, tryAgainText } from '../../../src/core/usage/probeHold';
import { afterFailedProbe, parsePlans, rememberSwitch, returnDetail } from '../../../src/core/usage/returnPlan';

const reading = { kind: 'usd-per-day' as const, used: 0, limit: 1_000_000, fraction: 0, source: 'settings' as const };
const hold = { name: 'all backends', reading, action: 'pause' as const, until: Date.parse('2026-12-08T00:00:00Z') };
const at = (time: number) => new Date(time).toISOString().slice(11, 16);

describe('what "Try again" says when Switchboard sends no probe', () => {
  it('a budget that cannot be checked: nothing was sent, why, and the way out; no promise of another try that cannot help', () => {
    const held = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, unchecked: true } });
    assert.equal(held.resetsAt, undefined);
    assert.equal(
      tryAgainText('Qwen', held, Date.parse('2026-12-07T14:05:00Z'), at),
      'Switchboard: nothing was sent to Qwen: the budget for all backends cannot be checked while the usage ledger cannot be opened. Fix its folder, then reload the window.',
    );
  });

  it('a spent budget waits for its reset; one reached only with the requests under way does not', () => {
    const spent = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, name: 'Qwen' } });
    assert.equal(spent.resetsAt, hold.until);
    assert.equal(
      tryAgainText('Qwen', spent, Date.parse('2026-12-08T00:00:02Z'), at),
      'Switchboard: nothing was sent to Qwen: the budget for Qwen is spent. Switchboard tries again at 00:00.',
    );
    const underWay = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, inFlight: 300_000 } });
    assert.equal(underWay.resetsAt, undefined, 'the hold ends with the requests, not at the reset');
    assert.match(underWay.message, /the requests under way may reach the budget for all backends/);
    const manual = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, manual: true } });
    assert.match(manual.message, /completion is paused, as you chose, until the budget for all backends resets/);
  });

  it('a probe that went out and failed says the backend is not back', () => {
    assert.equal(
      tryAgainText('Qwen', { message: 'Rate limit reached.' }, undefined, at),
      'Switchboard: Qwen is not back yet: Rate limit reached.',
    );
  });

  it('the tooltip after a held probe says nothing was sent, not that the backend did not answer, and keeps saying it after a reload', () => {
    const now = Date.parse('2026-12-07T14:00:00Z');
    const [plan] = rememberSwitch([], {
      from: 'qwen',
      fromName: 'Qwen',
      to: 'ollama',
      toName: 'Ollama',
      roles: ['completion'],
      why: 'Qwen reached its limit.',
      automatic: true,
      now,
    });
    const held = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, unchecked: true } });
    const after = parsePlans([afterFailedProbe(plan!, now, held.resetsAt, held)])[0]!;
    assert.equal(
      returnDetail(after, now, at),
      'Completion moved to Ollama because Qwen reached its limit. Nothing was sent to Qwen: the budget for all backends cannot be checked while the usage ledger cannot be opened. Fix its folder, then reload the window.',
    );
    const spent = probeHeld('Qwen', { kind: 'budget', hold });
    assert.match(
      returnDetail(afterFailedProbe(plan!, now, spent.resetsAt, spent), now, at),
      /because Qwen reached its limit\. Nothing was sent to Qwen: the budget for all backends is spent\. The next try is at 00:00 \(in 10 h 1 min\)\.$/,
    );
    assert.doesNotMatch(returnDetail(afterFailedProbe(plan!, now), now, at), /Nothing was sent/);
  });
});

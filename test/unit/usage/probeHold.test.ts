import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeHeld, tryAgainText } from '../../../src/core/usage/probeHold';
import {
  afterFailedProbe,
  parsePlans,
  rememberSwitch,
  returnDetail,
  returnStatus,
} from '../../../src/core/usage/returnPlan';
import { ReturnScheduler, type ProbeOutcome } from '../../../src/core/usage/returnScheduler';
import { FakeClock } from '../../harness/fakeClock';

const reading = { kind: 'usd-per-day' as const, used: 0, limit: 1_000_000, fraction: 0, source: 'settings' as const };
const hold = { name: 'all backends', reading, action: 'pause' as const, until: Date.parse('2026-12-08T00:00:00Z') };
const at = (time: number) => new Date(time).toISOString().slice(11, 16);

/** Completion moved by itself from Qwen, which reached its limit, to Ollama. */
function switchedToOllama(when: { now: number; resetsAt?: number }) {
  const [plan] = rememberSwitch([], {
    from: 'qwen',
    fromName: 'Qwen',
    to: 'ollama',
    toName: 'Ollama',
    roles: ['completion'],
    why: 'Qwen reached its limit.',
    automatic: true,
    ...when,
  });
  return plan;
}

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
    const plan = switchedToOllama({ now });
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

describe('the status bar after a held probe', () => {
  const now = Date.parse('2026-12-07T14:00:00Z');
  const plan = switchedToOllama({ resetsAt: now, now: now - 60_000 });
  const after = (held: ReturnType<typeof probeHeld>) => afterFailedProbe(plan!, now, held.resetsAt, held);

  it('says the return is held and by what, and when the probe goes out next, not that Qwen is being tried', async () => {
    // The whole way: the scheduler probes at the reset, the budget holds it, the bar says so.
    const clock = new FakeClock(undefined, now - 60_000);
    const probes: number[] = [];
    const answers: ProbeOutcome[] = [probeHeld('Qwen', { kind: 'budget', hold })];
    const scheduler = new ReturnScheduler({
      clock,
      probe: async () => {
        probes.push(clock.now());
        return answers.shift() ?? { ok: true };
      },
      answered: async () => true,
      save: () => {},
      changed: () => {},
    });
    scheduler.record({ ...plan!, roles: ['completion'] });
    await clock.advance(2 * 60_000);
    assert.equal(probes.length, 1, 'the probe was due at the reset');
    const held = scheduler.current()[0]!;
    assert.equal(returnStatus(held, clock.now(), at), 'on Ollama · return to Qwen held by a budget, next try at 00:00');
    // What the bar promised happens: nothing before the budget resets, the probe just after it.
    await clock.advance(hold.until - clock.now() - 1);
    assert.equal(probes.length, 1, 'no probe while the budget is spent');
    await clock.advance(5_000);
    assert.equal(probes.length, 2, 'the probe goes out once the budget resets');
    assert.deepEqual(scheduler.current(), [], 'Qwen answered: completion is back');
    scheduler.dispose();
  });

  it("names the user's own limit, and the reload a ledger that cannot be opened needs, with no time it cannot keep", () => {
    const own = probeHeld('Qwen', { kind: 'own-limit', resetsAt: Date.parse('2026-12-07T15:00:00Z') });
    assert.equal(returnStatus(after(own), now, at), 'on Ollama · return to Qwen held by your limit, next try at 15:00');
    const unchecked = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, unchecked: true } });
    assert.equal(
      returnStatus(after(unchecked), now, at),
      'on Ollama · return to Qwen held by a budget until you reload',
    );
    // Held only with the requests under way: checked again after the backoff.
    const underWay = probeHeld('Qwen', { kind: 'budget', hold: { ...hold, inFlight: 300_000 } });
    assert.equal(
      returnStatus(after(underWay), now, at),
      'on Ollama · return to Qwen held by a budget, next try at 14:01',
    );
  });

  it('never shows a next try whose time has passed, and still says why after a reload', () => {
    const spent = parsePlans([after(probeHeld('Qwen', { kind: 'budget', hold }))])[0]!;
    assert.equal(returnStatus(spent, now, at), 'on Ollama · return to Qwen held by a budget, next try at 00:00');
    const late = spent.nextProbeAt! + 60_000;
    assert.equal(returnStatus(spent, late, at), 'on Ollama · return to Qwen held by a budget');
    assert.doesNotMatch(returnDetail(spent, late, at), /next try/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../harness/fakeClock';
import { evaluateLimits } from '../../../src/core/usage/limits';
import {
  afterFailedProbe,
  backoffAfter,
  knownReset,
  parsePlans,
  reconcile,
  rememberSwitch,
  returnDetail,
  returnStatus,
  type ReturnPlan,
  type Role,
} from '../../../src/core/usage/returnPlan';
import { ReturnScheduler, type ProbeOutcome } from '../../../src/core/usage/returnScheduler';

const MINUTE = 60_000;
const START = Date.parse('2026-12-05T14:00:00Z');
const usage = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };
const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

/** A scheduler on a fake clock whose probes answer as the test scripts them. */
function harness(stored: ReturnPlan[] = []) {
  const clock = new FakeClock(undefined, START);
  const probes: { at: number; from: string }[] = [];
  const answers: ProbeOutcome[] = [];
  const returned: ReturnPlan[] = [];
  /** What each return's settings write does, in order: false is refused; after the list, saved. */
  const writes: boolean[] = [];
  let saved: readonly ReturnPlan[] = stored;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Each probe takes this long on the clock: long enough for a timer or a second click to overlap. */
  let probeMs = 0;
  const scheduler = new ReturnScheduler(
    {
      clock,
      probe: async (plan) => {
        probes.push({ at: clock.now(), from: plan.from });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (probeMs) await new Promise<void>((resolve) => clock.setTimeout(resolve, probeMs));
        inFlight--;
        return answers.shift() ?? { ok: false, message: 'no answer scripted' };
      },
      answered: async (plan) => {
        returned.push(plan);
        return writes.shift() ?? true;
      },
      save: (plans) => void (saved = plans),
      changed: () => {},
    },
    stored,
  );
  return {
    clock,
    scheduler,
    probes,
    answers,
    returned,
    writes,
    saved: () => saved,
    maxInFlight: () => maxInFlight,
    slowProbes: (ms: number) => void (probeMs = ms),
  };
}

const qwenToOllama = (resetsAt: number | undefined, automatic = true) => ({
  from: 'qwen',
  fromName: 'Qwen',
  to: 'ollama',
  toName: 'Ollama',
  roles: ['completion', 'chat'] as Role[],
  why: 'Qwen reached its limit: 30 of 30 requests this minute.',
  automatic,
  ...(resetsAt !== undefined && { resetsAt }),
});

describe('return at the reset: when the limit resets', () => {
  it('takes the latest reset of what is spent: readings, a failure, the rate-limit headers', () => {
    const state = evaluateLimits({
      limits: { requestsPerMinute: 10, requestsPerDay: 100 },
      usage: { ...usage, requestsLastMinute: 10, requestsToday: 40 },
      now: START,
    });
    // The minute is spent, the day is not: the minute's end is the reset.
    assert.equal(knownReset(state, undefined, START), START + MINUTE);
    // A retry-after longer than the minute wins: the server knows best when it will serve again.
    assert.equal(knownReset(state, { observedAt: START, retryAfterMs: 5 * MINUTE }, START), START + 5 * MINUTE);
    // Only a window with nothing left counts.
    assert.equal(
      knownReset(
        undefined,
        {
          observedAt: START,
          requests: { limit: 30, remaining: 0, resetAt: START + 42_000 },
          tokens: { limit: 9, remaining: 5, resetAt: START + 9 * MINUTE },
        },
        START,
      ),
      START + 42_000,
    );
  });

  it('is unknown for a spent quota nobody said the end of, and for a reset already past', () => {
    const failed = evaluateLimits({
      limits: {},
      usage,
      failure: { kind: 'quota-exhausted', message: 'Free allocated quota exceeded.', at: START },
      now: START,
    });
    assert.equal(knownReset(failed, undefined, START), undefined);
    assert.equal(knownReset(undefined, { observedAt: START - 2 * MINUTE, retryAfterMs: MINUTE }, START), undefined);
  });
});

describe('return at the reset: the remembered switch', () => {
  it('says in the status bar where the roles are and when the original resets, in local time', () => {
    const [plan] = rememberSwitch([], { ...qwenToOllama(START + 20 * MINUTE), now: START });
    assert.ok(plan);
    assert.equal(returnStatus(plan, START, hhmm), 'on Ollama until Qwen resets at 14:20');
    assert.match(returnDetail(plan, START, hhmm), /Qwen resets at 14:20 \(in 20 min\).*moves back by itself/);
  });

  it('says when the reset is unknown, and plans no probe by itself', () => {
    const [plan] = rememberSwitch([], { ...qwenToOllama(undefined), now: START });
    assert.ok(plan);
    assert.equal(plan.nextProbeAt, undefined);
    assert.equal(returnStatus(plan, START, hhmm), "on Ollama · Qwen's reset unknown");
    assert.match(returnDetail(plan, START, hhmm), /When Qwen's limit resets is unknown/);
  });

  it('keeps the original backend when the fallback runs out too', () => {
    const first = rememberSwitch([], { ...qwenToOllama(START + 20 * MINUTE), now: START });
    const second = rememberSwitch(first, {
      from: 'ollama',
      fromName: 'Ollama',
      to: 'backup',
      toName: 'Backup',
      roles: ['completion', 'chat'],
      why: 'Ollama stopped answering.',
      automatic: true,
      now: START + MINUTE,
    });
    assert.equal(second.length, 1);
    assert.equal(second[0]?.from, 'qwen');
    assert.equal(second[0]?.to, 'backup');
    assert.equal(second[0]?.resetsAt, START + 20 * MINUTE);
  });

  it("cancels a role's return when the user moves that role themselves", () => {
    const plans = rememberSwitch([], { ...qwenToOllama(START + 20 * MINUTE), now: START });
    const serving: Record<Role, string> = { completion: 'ollama', chat: 'deepseek' };
    const after = reconcile(
      plans,
      (role) => serving[role],
      () => true,
      START + MINUTE,
    );
    assert.deepEqual(after[0]?.roles, ['completion'], 'chat was moved by hand: it stays where the user put it');
    serving.completion = 'qwen';
    assert.deepEqual(
      reconcile(
        after,
        (role) => serving[role],
        () => true,
        START + MINUTE,
      ),
      [],
    );
    // A backend removed from the settings is not returned to.
    assert.deepEqual(
      reconcile(
        plans,
        () => 'ollama',
        (id) => id !== 'qwen',
        START,
      ),
      [],
    );
  });

  it('reads back only well-formed plans from storage', () => {
    const [plan] = rememberSwitch([], { ...qwenToOllama(START + 20 * MINUTE), now: START });
    assert.deepEqual(parsePlans(JSON.parse(JSON.stringify([plan]))), [plan]);
    assert.deepEqual(parsePlans([{ from: 'qwen', to: 'ollama', at: START, roles: ['everything'] }, 'x', null]), []);
    assert.deepEqual(parsePlans({ not: 'a list' }), []);
  });
});

describe('return at the reset: probes on a fake clock', () => {
  it('probes once after the reset and, on success, returns the roles', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(START + 20 * MINUTE));
    await h.clock.advance(20 * MINUTE);
    assert.equal(h.probes.length, 0, 'nothing is sent before the reset');
    h.answers.push({ ok: true });
    await h.clock.advance(10_000);
    assert.equal(h.probes.length, 1);
    assert.ok(h.probes[0]!.at > START + 20 * MINUTE, 'the probe goes out after the reset');
    assert.equal(h.returned.length, 1);
    assert.deepEqual(h.returned[0]?.roles, ['completion', 'chat']);
    assert.deepEqual(h.saved(), [], 'the plan is done and forgotten');
    await h.clock.advance(60 * MINUTE);
    assert.equal(h.probes.length, 1, 'no further probes');
  });

  it('backs off after each failed probe: 1, 2, 4 … minutes, capped, never a storm', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(START + MINUTE));
    // Nothing answers for three hours.
    await h.clock.advance(3 * 60 * MINUTE);
    const gaps = h.probes.slice(1).map((probe, i) => Math.round((probe.at - h.probes[i]!.at) / MINUTE));
    assert.deepEqual(gaps.slice(0, 6), [1, 2, 4, 8, 16, 30]);
    assert.ok(gaps.every((gap) => gap <= 30));
    assert.ok(h.probes.length <= 12, `${h.probes.length} probes in three hours`);
    assert.equal(backoffAfter(40), 30 * MINUTE);
    const plan = h.scheduler.current()[0];
    assert.ok(plan);
    assert.match(returnStatus(plan, h.clock.now(), hhmm), /^on Ollama · trying Qwen again at \d\d:\d\d$/);
    // Then it answers: the roles return at the next try.
    h.answers.push({ ok: true });
    await h.clock.advance(30 * MINUTE);
    assert.equal(h.returned.length, 1);
  });

  it('waits for a reset a failed probe was told of, when that is later than the backoff', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(START + MINUTE));
    h.answers.push({ ok: false, message: 'rate limited', resetsAt: START + 10 * MINUTE });
    await h.clock.advance(2 * MINUTE);
    assert.equal(h.probes.length, 1);
    await h.clock.advance(7 * MINUTE);
    assert.equal(h.probes.length, 1, 'no probe before the reset the server named');
    h.answers.push({ ok: true });
    await h.clock.advance(2 * MINUTE);
    assert.equal(h.probes.length, 2);
    assert.equal(h.returned.length, 1);
  });

  it('with an unknown reset probes only when asked ("Try Qwen again")', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(undefined, false));
    await h.clock.advance(24 * 60 * MINUTE);
    assert.equal(h.probes.length, 0);
    h.answers.push({ ok: false, message: 'still out' });
    assert.deepEqual(await h.scheduler.tryNow('qwen'), { ok: false, message: 'still out' });
    assert.equal(h.returned.length, 0);
    h.answers.push({ ok: true });
    assert.deepEqual(await h.scheduler.tryNow('qwen'), { ok: true });
    assert.equal(h.returned.length, 1);
    assert.equal(h.returned[0]?.automatic, false, 'a switch from a notification returns by one');
  });

  it('keeps a return that settings refused, says so, and tries it again after the backoff', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(START + MINUTE));
    h.answers.push({ ok: true }, { ok: true });
    h.writes.push(false);
    await h.clock.advance(MINUTE + 10_000);
    assert.equal(h.returned.length, 1, 'the backend answered: the return was tried');
    const kept = h.scheduler.current()[0];
    assert.ok(kept, 'the plan is kept');
    assert.equal(kept.unsaved, true);
    assert.deepEqual(h.saved(), [kept], 'and stored, so a reload keeps it too');
    assert.deepEqual(parsePlans(JSON.parse(JSON.stringify(h.saved()))), [kept]);
    assert.match(returnStatus(kept, h.clock.now(), hhmm), /^on Ollama · return to Qwen not saved, again at \d\d:\d\d$/);
    assert.match(
      returnDetail(kept, h.clock.now(), hhmm),
      /Qwen answered again, but VS Code could not write your settings\.json to move them back; the next try is at \d\d:\d\d \(in under a minute\)\.$/,
    );
    // Once the file can be written, the next try moves the roles back.
    await h.clock.advance(MINUTE);
    assert.equal(h.probes.length, 2);
    assert.equal(h.returned.length, 2);
    assert.deepEqual(h.saved(), []);
  });

  it('a failed probe after a refused return says it did not answer, not that the write was refused', () => {
    const plan = { ...rememberSwitch([], { ...qwenToOllama(START), now: START })[0]!, unsaved: true };
    assert.equal(afterFailedProbe(plan, START + MINUTE).unsaved, undefined);
  });

  it('has at most one probe in flight, however often the user asks', async () => {
    const h = harness();
    h.slowProbes(30_000);
    h.scheduler.record(qwenToOllama(START + MINUTE));
    const first = h.scheduler.tryNow('qwen');
    const second = h.scheduler.tryNow('qwen');
    await h.clock.advance(2 * MINUTE);
    assert.equal(await second, undefined, 'the second ask finds a probe already out');
    await first;
    assert.equal(h.maxInFlight(), 1);
  });

  it('a manual switch cancels the return: no probe goes out', async () => {
    const h = harness();
    h.scheduler.record(qwenToOllama(START + 5 * MINUTE));
    h.scheduler.reconcile(
      () => 'deepseek',
      () => true,
    );
    await h.clock.advance(60 * MINUTE);
    assert.equal(h.probes.length, 0);
    assert.deepEqual(h.saved(), []);
  });

  it('a reload remembers the switch and still probes at the reset', async () => {
    const first = harness();
    first.scheduler.record(qwenToOllama(START + 20 * MINUTE));
    const stored = parsePlans(JSON.parse(JSON.stringify(first.saved())));
    first.scheduler.dispose();
    const second = harness(stored);
    second.answers.push({ ok: true });
    await second.clock.advance(21 * MINUTE);
    assert.equal(first.probes.length, 0);
    assert.equal(second.probes.length, 1);
    assert.equal(second.returned.length, 1);
  });
});

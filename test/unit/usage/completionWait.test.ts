import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LimitState } from '../../../src/core/usage/limits';
import { completionWait, completionWaitText, RETRY_AFTER_REFUSAL_MS } from '../../../src/core/usage/completionWait';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const refused = (failure: NonNullable<LimitState['failure']>): LimitState => ({
  level: 'exhausted',
  readings: [],
  failure,
});

describe('automatic completion after the server refused a backend', () => {
  it('waits until the reset the server gave', () => {
    const state = refused({ kind: 'quota-exhausted', message: 'quota', at: NOW - 1_000, resetsAt: NOW + 3_600_000 });
    assert.deepEqual(completionWait(state, NOW), {
      until: NOW + 3_600_000,
      kind: 'quota-exhausted',
      serverReset: true,
    });
    assert.equal(completionWait(state, NOW + 3_600_000), undefined, 'asks again at the reset');
  });

  it('without a reset, waits a while after the last refusal, then lets one request find out', () => {
    const state = refused({ kind: 'insufficient-balance', message: 'balance', at: NOW - 60_000 });
    assert.equal(completionWait(state, NOW)?.until, NOW - 60_000 + RETRY_AFTER_REFUSAL_MS);
    assert.equal(completionWait(state, NOW - 60_000 + RETRY_AFTER_REFUSAL_MS), undefined);
  });

  it('does not wait on a refusal from before the settings or keys changed: a new key deserves a try', () => {
    const state = refused({ kind: 'auth', message: 'bad key', at: NOW - 60_000 });
    assert.equal(completionWait(state, NOW, NOW - 1_000), undefined);
    assert.ok(completionWait(state, NOW, NOW - 120_000), 'a change before the refusal does not count');
  });

  it('does not wait on a backend the server has not refused, however close to a limit the local count is', () => {
    assert.equal(completionWait(undefined, NOW), undefined);
    assert.equal(completionWait({ level: 'exhausted', readings: [] }, NOW), undefined);
    assert.equal(completionWait({ level: 'warning', readings: [] }, NOW), undefined);
  });

  it('a refusal another window wrote with a clock ahead of this one never holds completion past its own wait from now', () => {
    // Another machine's clock runs fast: its refusal line is dated minutes, or days, from now.
    for (const ahead of [10 * 60_000, 2 * 86_400_000]) {
      const state = refused({ kind: 'quota-exhausted', message: 'quota', at: NOW + ahead });
      const wait = completionWait(state, NOW);
      assert.ok(
        !wait || wait.until <= NOW + RETRY_AFTER_REFUSAL_MS,
        `a line ${ahead / 60_000} min ahead waits until ${wait && new Date(wait.until).toISOString()}`,
      );
      assert.equal(completionWait(state, NOW + RETRY_AFTER_REFUSAL_MS), undefined, 'one request finds out by then');
    }
    // A clock a few seconds ahead is a clock, not a broken one: its refusal is waited on as usual.
    const close = refused({ kind: 'auth', message: 'bad key', at: NOW + 5_000 });
    assert.ok(completionWait(close, NOW));
    // A reset this window was told by the server is on this window's clock: it still holds.
    const told = refused({
      kind: 'quota-exhausted',
      message: 'quota',
      at: NOW + 86_400_000,
      resetsAt: NOW + 3_600_000,
    });
    assert.equal(completionWait(told, NOW)?.until, NOW + 3_600_000);
  });

  it('says why, until when, and how to ask now', () => {
    const wait = completionWait(refused({ kind: 'auth', message: 'bad key', at: NOW }), NOW)!;
    assert.equal(
      completionWaitText('DeepSeek', wait, '12:05'),
      'Automatic completion waits until 12:05, then tries once: DeepSeek refused the key. Asking for a completion (Alt+\\) sends now.',
    );
  });
});

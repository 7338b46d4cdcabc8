import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { ProviderError, type ProviderErrorInit } from '../../../src/core/providers/providerError';
import { backoffDelay, systemClock, withRetry, type Clock } from '../../../src/core/providers/retryPolicy';

/**
 * A clock that never sleeps for real. Auto mode jumps time forward at once; manual mode keeps
 * each sleep pending until `advance` or an abort, so a test can inspect what is waiting.
 */
class FakeClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  private readonly pending = new Set<{ until: number; resolve: () => void }>();
  private sleepStarted?: () => void;

  constructor(private readonly auto = true) {}

  now(): number {
    return this.time;
  }

  get pendingSleeps(): number {
    return this.pending.size;
  }

  /** Resolves when the next sleep begins. */
  nextSleep(): Promise<void> {
    return new Promise((resolve) => (this.sleepStarted = resolve));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.auto) {
      this.time += ms;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        until: this.time + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.pending.delete(entry);
        reject(signal?.reason);
      };
      this.pending.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepStarted?.();
    });
  }

  advance(ms: number): void {
    this.time += ms;
    for (const entry of [...this.pending]) {
      if (entry.until <= this.time) {
        this.pending.delete(entry);
        entry.resolve();
      }
    }
  }
}

function providerError(init: Partial<ProviderErrorInit> & Pick<ProviderErrorInit, 'kind'>): ProviderError {
  return new ProviderError({ providerId: 'deepseek', message: `${init.kind}`, ...init });
}

/** An operation that fails with each error in turn, then resolves with 'ok'. */
function failingThen(errors: unknown[]): { operation: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    operation: async (attempt) => {
      attempts.push(attempt);
      const error = errors[attempts.length - 1];
      if (error !== undefined) throw error;
      return 'ok';
    },
  };
}

describe('withRetry', () => {
  it('retries a 429 and then succeeds, reporting the retry', async () => {
    const clock = new FakeClock();
    const { operation, attempts } = failingThen([providerError({ kind: 'rate-limited', status: 429 })]);
    const retries: { attempt: number; delayMs: number; kind: string }[] = [];
    const result = await withRetry(operation, {
      clock,
      random: () => 0.5,
      onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, kind: error.kind }),
    });
    assert.equal(result, 'ok');
    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(retries, [{ attempt: 1, delayMs: 250, kind: 'rate-limited' }]);
    assert.deepEqual(clock.sleeps, [250]);
  });

  it('waits exactly the retryAfterMs the backend asked for', async () => {
    const clock = new FakeClock();
    const { operation } = failingThen([providerError({ kind: 'rate-limited', retryAfterMs: 3_000 })]);
    assert.equal(await withRetry(operation, { clock, random: () => 0 }), 'ok');
    assert.deepEqual(clock.sleeps, [3_000]);
  });

  it('throws the error as is when retryAfterMs exceeds maxRateLimitWaitMs', async () => {
    const clock = new FakeClock();
    const error = providerError({ kind: 'rate-limited', retryAfterMs: 25_000 });
    const { operation, attempts } = failingThen([error]);
    await assert.rejects(withRetry(operation, { clock }), (thrown) => thrown === error);
    assert.deepEqual(attempts, [1]);
    assert.deepEqual(clock.sleeps, []);
  });

  it('throws the error as is when retryAfterMs would pass the deadline', async () => {
    const clock = new FakeClock();
    const error = providerError({ kind: 'rate-limited', retryAfterMs: 5_000 });
    const { operation, attempts } = failingThen([error]);
    await assert.rejects(withRetry(operation, { clock, deadlineMs: 4_000 }), (thrown) => thrown === error);
    assert.deepEqual(attempts, [1]);
  });

  for (const kind of ['quota-exhausted', 'insufficient-balance', 'auth', 'bad-request', 'cancelled'] as const) {
    it(`gives up on ${kind} after one attempt`, async () => {
      const clock = new FakeClock();
      const error = providerError({ kind, status: 429 });
      const { operation, attempts } = failingThen([error]);
      await assert.rejects(withRetry(operation, { clock }), (thrown) => thrown === error);
      assert.deepEqual(attempts, [1]);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  it('never retries quota even if someone marked it retryable', async () => {
    const clock = new FakeClock();
    const error = providerError({ kind: 'quota-exhausted', retryable: true });
    const { operation, attempts } = failingThen([error]);
    await assert.rejects(withRetry(operation, { clock }), (thrown) => thrown === error);
    assert.deepEqual(attempts, [1]);
  });

  it('does not retry a retryable kind that the error says is final', async () => {
    const clock = new FakeClock();
    const error = providerError({ kind: 'server', retryable: false });
    const { operation, attempts } = failingThen([error]);
    await assert.rejects(withRetry(operation, { clock }), (thrown) => thrown === error);
    assert.deepEqual(attempts, [1]);
  });

  for (const kind of ['overloaded', 'server', 'network', 'timeout'] as const) {
    it(`retries ${kind}`, async () => {
      const { operation, attempts } = failingThen([providerError({ kind })]);
      assert.equal(await withRetry(operation, { clock: new FakeClock(), random: () => 0 }), 'ok');
      assert.deepEqual(attempts, [1, 2]);
    });
  }

  it('stops at maxAttempts and throws the last error', async () => {
    const clock = new FakeClock();
    const errors = [1, 2, 3, 4, 5].map((n) => providerError({ kind: 'server', message: `failure ${n}` }));
    const { operation, attempts } = failingThen(errors);
    await assert.rejects(
      withRetry(operation, { clock, maxAttempts: 3, random: () => 0 }),
      (thrown) => thrown === errors[2],
    );
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(clock.sleeps.length, 2);
  });

  it('defaults to 4 attempts', async () => {
    const errors = Array.from({ length: 6 }, () => providerError({ kind: 'overloaded' }));
    const { operation, attempts } = failingThen(errors);
    await assert.rejects(withRetry(operation, { clock: new FakeClock(), random: () => 0 }));
    assert.deepEqual(attempts, [1, 2, 3, 4]);
  });

  it('respects the total deadline, counting time spent in attempts', async () => {
    const clock = new FakeClock();
    const errors = Array.from({ length: 10 }, () => providerError({ kind: 'overloaded' }));
    const attempts: number[] = [];
    const operation = async (attempt: number) => {
      attempts.push(attempt);
      clock.time += 300; // each call takes 300 ms
      throw errors[attempt - 1];
    };
    // random = 1 - ε: waits just under 500, 1000, 2000 …
    // t=300 fail → wait 499 (700 left) → t=1099 fail → wait 999 > 901 left → give up.
    await assert.rejects(
      withRetry(operation, { clock, deadlineMs: 2_000, maxAttempts: 10, random: () => 0.999 }),
      (thrown) => thrown === errors[1],
    );
    assert.deepEqual(attempts, [1, 2]);
    assert.deepEqual(clock.sleeps, [499]);
    assert.ok(clock.time - 1_000_000 <= 2_000);
  });

  it('keeps every backoff within maxDelayMs', async () => {
    const clock = new FakeClock();
    const errors = Array.from({ length: 12 }, () => providerError({ kind: 'server' }));
    const { operation } = failingThen(errors);
    await assert.rejects(
      withRetry(operation, {
        clock,
        maxAttempts: 12,
        deadlineMs: 1_000_000,
        maxDelayMs: 3_000,
        random: () => 0.999999,
      }),
    );
    assert.equal(clock.sleeps.length, 11);
    assert.ok(
      clock.sleeps.every((ms) => ms <= 3_000),
      clock.sleeps.join(', '),
    );
    // The cap is reached, so it is the cap that bounds the later waits.
    assert.equal(clock.sleeps.at(-1), 2_999);
  });

  it('rethrows an error that is not a ProviderError unchanged, without retrying', async () => {
    const clock = new FakeClock();
    const bug = new TypeError('cannot read properties of undefined');
    const { operation, attempts } = failingThen([bug]);
    await assert.rejects(withRetry(operation, { clock }), (thrown) => thrown === bug);
    assert.deepEqual(attempts, [1]);
  });

  it('is cancelled before the first attempt when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { operation, attempts } = failingThen([]);
    await assert.rejects(
      withRetry(operation, { clock: new FakeClock(), signal: controller.signal }),
      (thrown) => ProviderError.is(thrown, 'cancelled') && thrown.providerId === 'unknown',
    );
    assert.deepEqual(attempts, []);
  });

  it('abort during a sleep rejects with cancelled and leaves no pending sleep or listener', async () => {
    const clock = new FakeClock(false);
    const controller = new AbortController();
    const { operation, attempts } = failingThen([providerError({ kind: 'overloaded', providerId: 'anthropic' })]);
    const sleeping = clock.nextSleep();
    const run = withRetry(operation, { clock, signal: controller.signal, random: () => 0.5 });
    await sleeping;
    assert.equal(clock.pendingSleeps, 1);
    controller.abort();
    await assert.rejects(run, (thrown) => ProviderError.is(thrown, 'cancelled') && thrown.providerId === 'anthropic');
    assert.equal(clock.pendingSleeps, 0);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    assert.deepEqual(attempts, [1]);
  });

  it('abort while waiting to retry a failed attempt it told: nothing more went out, so nothing more is recorded', async () => {
    const clock = new FakeClock(false);
    const controller = new AbortController();
    const told: string[] = [];
    const { operation } = failingThen([providerError({ kind: 'server', status: 500 })]);
    const sleeping = clock.nextSleep();
    const run = withRetry(operation, {
      clock,
      signal: controller.signal,
      random: () => 0.5,
      onRetry: ({ error }) => told.push(error.kind),
    });
    await sleeping;
    controller.abort();
    // The meter records the 500 from onRetry, and the cancellation as never sent (no cost, no plan request).
    await assert.rejects(run, (thrown) => ProviderError.is(thrown, 'cancelled') && thrown.notSent === true);
    assert.deepEqual(told, ['server']);
  });

  it('a manual clock resumes the retry when time is advanced', async () => {
    const clock = new FakeClock(false);
    const { operation, attempts } = failingThen([providerError({ kind: 'server' })]);
    const sleeping = clock.nextSleep();
    const run = withRetry(operation, { clock, random: () => 0.5 });
    await sleeping;
    clock.advance(250);
    assert.equal(await run, 'ok');
    assert.deepEqual(attempts, [1, 2]);
  });

  it('abort during an attempt that ignores the signal rejects with cancelled at once', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    let started!: () => void;
    const secondStarted = new Promise<void>((resolve) => (started = resolve));
    const operation = (attempt: number): Promise<string> => {
      attempts.push(attempt);
      if (attempt === 1) return Promise.reject(providerError({ kind: 'server', providerId: 'openrouter' }));
      started();
      return new Promise<string>(() => undefined); // never settles
    };
    const run = withRetry(operation, { clock: new FakeClock(), signal: controller.signal, random: () => 0 });
    await secondStarted;
    controller.abort();
    await assert.rejects(run, (thrown) => ProviderError.is(thrown, 'cancelled') && thrown.providerId === 'openrouter');
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('leaves no abort listener behind after a run that succeeded', async () => {
    const controller = new AbortController();
    const { operation } = failingThen([providerError({ kind: 'server' })]);
    const run = withRetry(operation, { clock: new FakeClock(), signal: controller.signal, random: () => 0 });
    assert.equal(await run, 'ok');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('passes through a cancelled error the operation itself raised on abort', async () => {
    const controller = new AbortController();
    const ownCancel = providerError({ kind: 'cancelled', providerId: 'ollama' });
    const operation = async () => {
      controller.abort();
      throw ownCancel;
    };
    await assert.rejects(
      withRetry(operation, { clock: new FakeClock(), signal: controller.signal }),
      (thrown) => thrown === ownCancel,
    );
  });
});

describe('backoffDelay', () => {
  it('draws from [0, base · 2^(attempt-1)) with full jitter', () => {
    assert.equal(
      backoffDelay(1, {}, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(1, {}, () => 0.5),
      250,
    );
    assert.equal(
      backoffDelay(2, {}, () => 0.5),
      500,
    );
    assert.equal(
      backoffDelay(3, {}, () => 0.5),
      1_000,
    );
    assert.equal(
      backoffDelay(3, { baseDelayMs: 100 }, () => 0.5),
      200,
    );
  });

  it('is bounded by the cap for every attempt and every random value', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.999999, 1, 1.5, -1]) {
        const delay = backoffDelay(attempt, { baseDelayMs: 500, maxDelayMs: 8_000 }, () => r);
        const ceiling = Math.min(8_000, 500 * 2 ** (attempt - 1));
        assert.ok(delay >= 0 && delay <= ceiling, `attempt ${attempt}, r ${r}: ${delay} > ${ceiling}`);
      }
    }
    // Far past the cap, the cap still sets the scale rather than shrinking the wait.
    assert.equal(
      backoffDelay(30, { maxDelayMs: 8_000 }, () => 0.5),
      4_000,
    );
  });
});

describe('systemClock', () => {
  const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

  it('rejects promptly on abort and clears its timer and listener', async () => {
    const controller = new AbortController();
    const before = timers();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    assert.equal(timers(), before + 1);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort(new Error('stop'));
    // Settled before the event loop turns once: no time passes, so "promptly" means at once.
    const outcome = await Promise.race([
      sleeping.then(
        () => 'resolved',
        (error: unknown) => (error as Error).message,
      ),
      new Promise((resolve) => setImmediate(() => resolve('pending'))),
    ]);
    assert.equal(outcome, 'stop');
    assert.equal(timers(), before);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('rejects at once when the signal is already aborted, without starting a timer', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = timers();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    assert.equal(timers(), before);
    await assert.rejects(sleeping, (error: unknown) => (error as Error).name === 'AbortError');
  });

  it('removes its abort listener after sleeping normally', async () => {
    const controller = new AbortController();
    await systemClock.sleep(0, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });
});

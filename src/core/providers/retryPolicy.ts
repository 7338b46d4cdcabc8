/**
 * Sends a request again when the failure is one that waiting can fix (rate limit, overload,
 * server, network, timeout) and never when it cannot (quota, balance, auth, bad request,
 * cancelled). Waits are full-jitter exponential backoff, or exactly what the backend asked for,
 * all inside one total deadline. Time comes from a `Clock` so tests never sleep.
 */
import { isRetryableKind, ProviderError } from './providerError';

/** Time as the retry policy sees it. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects as soon as `signal` aborts, leaving no timer or listener behind. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Backoff before the second attempt is drawn from [0, baseDelayMs). Default 500. */
  baseDelayMs?: number;
  /** Cap on one backoff wait. Default 8000. */
  maxDelayMs?: number;
  /** Total budget from the first attempt; no wait may end past it. Default 30000. */
  deadlineMs?: number;
  /** Give up rather than wait longer than this for a limit to lift. Default 20000. */
  maxRateLimitWaitMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** A number in [0, 1); defaults to `Math.random`. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: ProviderError }) => void;
}

const DEFAULTS = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  deadlineMs: 30_000,
  maxRateLimitWaitMs: 20_000,
};

/**
 * The wait after failed attempt number `attempt` (1-based): uniformly random up to the
 * exponential ceiling `baseDelayMs · 2^(attempt-1)`, capped at `maxDelayMs` ("full jitter", so
 * clients that failed together do not retry together).
 */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'> = {},
  random: () => number = Math.random,
): number {
  const base = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  // Clamp in case a caller's random() strays outside [0, 1).
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * ceiling), cap);
}

/** `notSent`: no attempt was under way, and any that failed before was told to `onRetry`. */
function cancelled(providerId: string, notSent = false): ProviderError {
  return new ProviderError({ kind: 'cancelled', providerId, message: 'Cancelled.', ...(notSent && { notSent }) });
}

/**
 * Settles like `promise`, or rejects with `cancelled` the moment `signal` aborts. An operation
 * that ignores the signal keeps running, but nobody waits for it.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, providerId: () => string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      // The abandoned operation may still reject later; that is not an unhandled rejection.
      promise.catch(() => undefined);
      reject(cancelled(providerId()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs `operation` (given the 1-based attempt number) until it succeeds or retrying cannot help.
 * Throws the last `ProviderError` as is when giving up, a `cancelled` `ProviderError` when the
 * signal aborts, and any other error unchanged at once. A backend's `retryAfterMs` is honoured
 * exactly, or the error thrown at once if that wait exceeds `maxRateLimitWaitMs` or the deadline.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts);
  const deadlineMs = options.deadlineMs ?? DEFAULTS.deadlineMs;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULTS.maxRateLimitWaitMs;
  const { signal } = options;
  const started = clock.now();
  let providerId = 'unknown';

  // Cancelled while waiting to send again: the failed attempt was recorded through `onRetry`, and
  // the next never went out, so the cancellation itself must not count as another request.
  const told = options.onRetry !== undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelled(providerId, told && attempt > 1);
    let error: ProviderError;
    try {
      return await raceAbort(operation(attempt), signal, () => providerId);
    } catch (caught) {
      if (!(caught instanceof ProviderError)) throw caught;
      error = caught;
    }
    if (error.kind !== 'cancelled') providerId = error.providerId;
    if (signal?.aborted) throw error.kind === 'cancelled' ? error : cancelled(providerId);
    // Both must agree: a kind that waiting cannot fix stays final even if someone set `retryable`.
    if (!error.retryable || !isRetryableKind(error.kind) || attempt >= maxAttempts) throw error;

    const remaining = deadlineMs - (clock.now() - started);
    let delayMs: number;
    if (error.retryAfterMs !== undefined) {
      // The backend said when; waiting less fails again, and waiting past our budget helps nobody.
      if (error.retryAfterMs > maxRateLimitWaitMs || error.retryAfterMs > remaining) throw error;
      delayMs = error.retryAfterMs;
    } else {
      delayMs = backoffDelay(attempt, options, random);
      if (delayMs > remaining) throw error;
    }
    options.onRetry?.({ attempt, delayMs, error });
    try {
      await clock.sleep(delayMs, signal);
    } catch (sleepError) {
      if (signal?.aborted) throw cancelled(providerId, told);
      throw sleepError;
    }
  }
}

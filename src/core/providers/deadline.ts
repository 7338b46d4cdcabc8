import { systemClock, type Clock } from '../clock';
import type { ProviderError } from './providerError';
import { SendTrace } from './sendTrace';
import type { CallOptions } from './types';

/**
 * Joins the caller's AbortSignal and two silence limits into one signal for a single call. It
 * measures silence, not length: a streamed answer that keeps coming may run for minutes, while
 * a backend that does not start within `firstByteMs`, or goes quiet for `idleMs` once started,
 * fails as a timeout. `dispose()` removes the listener and the timer so a finished call leaves
 * nothing behind.
 */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Why it timed out, in words for the user. */
  timeoutText(): string;
  /** Whether the call's request went out: a call cut short before it did cost nothing. */
  readonly sent: SendTrace;
  /** Something arrived from the backend: the silence limit starts again from now. */
  alive(): void;
  dispose(): void;
  /** The call's `onRetry`: the retry policy tells it each failed attempt it sends again. */
  readonly onRetry?: (error: ProviderError) => void;
}

export interface SilenceLimits {
  /** Longest wait for the first part of the answer (for a call that is not streamed, for all of it). */
  firstByteMs: number;
  /** Longest gap between two parts of a streamed answer. */
  idleMs: number;
}

/**
 * The hosted SDKs' chat limits: how long a backend may take to start, and to pause mid-answer;
 * never how long it talks.
 */
export const HOSTED_CHAT_SILENCE: SilenceLimits = { firstByteMs: 60_000, idleMs: 30_000 };
/** The SDK's own timeout is only a backstop behind the silence limits, which end a call first. */
export const SDK_TIMEOUT_MS = 10 * 60_000;

/** Limits from the call's options, else the defaults; a plain number is both limits. */
export function silenceLimits(options: CallOptions, defaults: number | SilenceLimits): SilenceLimits {
  const base = typeof defaults === 'number' ? { firstByteMs: defaults, idleMs: defaults } : defaults;
  return {
    firstByteMs: options.timeoutMs ?? base.firstByteMs,
    idleMs: options.idleTimeoutMs ?? base.idleMs,
  };
}

export function startDeadline(
  options: CallOptions,
  defaults: number | SilenceLimits,
  clock: Clock = options.clock ?? systemClock,
): Deadline {
  const limits = silenceLimits(options, defaults);
  const controller = new AbortController();
  let timedOut = false;
  let started = false;
  let ended = '';
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const arm = (ms: number) =>
    clock.setTimeout(() => {
      timedOut = true;
      const seconds = Math.round(ms / 100) / 10;
      ended = started
        ? `The backend went silent for ${seconds} s in the middle of its answer.`
        : `The backend did not start answering within ${seconds} s.`;
      controller.abort(new Error(ended));
    }, ms);
  let timer = arm(limits.firstByteMs);
  return {
    signal: controller.signal,
    sent: new SendTrace(),
    ...(options.onRetry && { onRetry: options.onRetry }),
    timedOut: () => timedOut,
    timeoutText: () => ended || 'The backend did not answer in time.',
    alive() {
      if (controller.signal.aborted) return;
      started = true;
      clock.clearTimeout(timer);
      timer = arm(limits.idleMs);
    },
    dispose() {
      clock.clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

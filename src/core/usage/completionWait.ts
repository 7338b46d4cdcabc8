/**
 * Automatic completion after the server refused a backend for its quota, its balance or its key:
 * every keystroke's request would be refused the same way (a helper saw 70 refusals in a few
 * minutes of typing), so automatic completion waits, until the reset the server gave, else for
 * `RETRY_AFTER_REFUSAL_MS` after the last refusal, when one request finds out whether the backend
 * is back. Asking for a completion (Alt+\) always sends: that is how a user tries it now.
 */
import type { ProviderErrorKind } from '../providers/providerError';
import type { LimitState } from './limits';

/** With no reset from the server, one automatic request this long after the last refusal. */
export const RETRY_AFTER_REFUSAL_MS = 5 * 60_000;
/**
 * How far ahead of this machine's clock a refusal's time may be and still be waited on: a clock a
 * few seconds fast, as the last-minute count allows (`keepForLastMinute`).
 */
export const REFUSAL_CLOCK_SKEW_MS = 60_000;

export interface CompletionWait {
  /** When automatic completion asks again. */
  until: number;
  kind: ProviderErrorKind;
  /** Whether `until` is the server's own reset, not just the next try. */
  serverReset: boolean;
}

/**
 * `changedAt`: when the backends' settings or keys last changed. A refusal from before then was of
 * another key or address (a new key set, the key sent on to a moved server): not waited on.
 */
export function completionWait(
  state: LimitState | undefined,
  now: number,
  changedAt = Number.NEGATIVE_INFINITY,
): CompletionWait | undefined {
  // A state's failure is a blocking one whose reset has not passed (see `evaluateLimits`).
  const failure = state?.failure;
  if (!failure || failure.at < changedAt) return undefined;
  const serverReset = failure.resetsAt !== undefined;
  // A refusal's time comes from the window that wrote its ledger line, maybe on another machine
  // whose clock runs fast: counted from there, a line dated days ahead would hold automatic
  // completion for days. Its time cannot be told apart from a wrong clock, and the refusal may
  // already be stale, so a line further ahead than a clock's drift is not waited on: the next
  // automatic request finds out, and a refusal then is timed by this clock. A reset the server
  // gave is on this window's clock (see `UsageMeter.record`), so it still holds.
  if (!serverReset && failure.at > now + REFUSAL_CLOCK_SKEW_MS) return undefined;
  const until = failure.resetsAt ?? failure.at + RETRY_AFTER_REFUSAL_MS;
  return until > now ? { until, kind: failure.kind, serverReset } : undefined;
}

/** The status bar tooltip's sentence: "Automatic completion waits until 14:20: …". */
export function completionWaitText(name: string, wait: CompletionWait, clock: string): string {
  const why =
    wait.kind === 'quota-exhausted'
      ? `${name} said its quota is used up`
      : wait.kind === 'insufficient-balance'
        ? `${name} said its balance is used up`
        : `${name} refused the key`;
  const next = wait.serverReset ? `until it resets at ${clock}` : `until ${clock}, then tries once`;
  return `Automatic completion waits ${next}: ${why}. Asking for a completion (Alt+\\) sends now.`;
}

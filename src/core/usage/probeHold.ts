/**
 * A probe of a backend waiting to return is one real request, billed like any: while the user's
 * own limit or a budget holds the backend, none is sent. What "Try Qwen again" says then is that
 * nothing was sent and why, never that the backend "is not back yet", which nobody asked it.
 */
import type { BudgetHold } from './budgetAction';

/** What holds the probe: the user's own limit on the backend, or a budget. */
export type ProbeHold = { kind: 'own-limit'; resetsAt?: number } | { kind: 'budget'; hold: BudgetHold };

/** A probe not sent: the sentence, and when trying again can help (undefined: after the backoff). */
export interface HeldProbe {
  ok: false;
  message: string;
  held: true;
  /** What held it, for the status bar, which has no room for the sentence. */
  heldBy: ProbeHold['kind'];
  resetsAt?: number;
  /** Only a reload can lift it (the usage ledger could not be opened): no try is promised. */
  untilReload?: true;
}

export function probeHeld(backend: string, why: ProbeHold): HeldProbe {
  const sent = `nothing was sent to ${backend}`;
  if (why.kind === 'own-limit')
    return {
      ok: false,
      held: true,
      heldBy: 'own-limit',
      message: `${sent}: it is still past the limit in your settings.`,
      ...(why.resetsAt !== undefined && { resetsAt: why.resetsAt }),
    };
  const { hold } = why;
  const budget = `the budget for ${hold.name}`;
  if (hold.unchecked)
    return {
      ok: false,
      held: true,
      heldBy: 'budget',
      untilReload: true,
      message: `${sent}: ${budget} cannot be checked while the usage ledger cannot be opened. Fix its folder, then reload the window.`,
    };
  // Reached only with the requests under way: the hold ends with them, not at the budget's reset.
  if (hold.inFlight !== undefined)
    return { ok: false, held: true, heldBy: 'budget', message: `${sent}: the requests under way may reach ${budget}.` };
  return {
    ok: false,
    held: true,
    heldBy: 'budget',
    message: hold.manual
      ? `${sent}: completion is paused, as you chose, until ${budget} resets.`
      : `${sent}: ${budget} is spent.`,
    resetsAt: hold.until,
  };
}

/**
 * What "Try Qwen again" says when Qwen did not come back: `outcome` is the probe's, `nextAt` the
 * next try, `time` formats it for the user.
 */
export function tryAgainText(
  backend: string,
  outcome: { message: string; held?: true; untilReload?: true },
  nextAt: number | undefined,
  time: (at: number) => string,
): string {
  const head = outcome.held
    ? `Switchboard: ${outcome.message}`
    : `Switchboard: ${backend} is not back yet: ${outcome.message}`;
  return nextAt === undefined || outcome.untilReload ? head : `${head} Switchboard tries again at ${time(nextAt)}.`;
}

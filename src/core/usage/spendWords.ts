/**
 * What a backend's spend reads as in the status bar item and its tooltip. Never "$0.00" for what
 * nobody priced, nor for what is not metered at all (a local server, a plan's requests).
 */
import { formatTotalCost } from './formatMoney';
import type { Totals } from './rollups';

/**
 * What nothing spent reads as: "$0.00" would name a currency the backend may not bill in (a
 * yuan-priced one), and the status bar does not load the price data to know.
 */
export const NO_COST = 'no cost';

/** A server on this machine that nobody priced costs nothing by definition: that is news, "$0.00" is not. */
export const FREE_LOCAL = 'free (local)';

/** How the backends whose totals are shown are paid for. */
export interface SpendContext {
  /** Every one is a local server with no price of its own (one the user priced is metered). */
  local?: boolean;
  /** A subscription plan covers the backend. */
  plan?: boolean;
}

/**
 * "$0.0042 · ¥0.03"; "$0.42 + 3 unpriced" when some requests had no known price (never shown as
 * free); "included in plan" when a plan covers every request, and "$1.20 + 40 in plan" when some
 * were metered (a plan added mid-month, or pay-as-you-go beside it); "free (local)" for a local
 * server that spent nothing.
 */
export function spendText(totals: Totals | undefined, context: SpendContext = {}): string {
  // Requests the model never ran (refused, not sent) cost nothing and are no one's spend.
  const served = totals ? totals.requests - totals.unservedRequests : 0;
  const metered = totals ? served - totals.planRequests : 0;
  if (!totals || served <= 0 || metered <= 0) {
    if (context.plan || (totals && served > 0)) return 'included in plan';
    return context.local ? FREE_LOCAL : NO_COST;
  }
  const spentNothing = totals.unpricedRequests === 0 && Object.values(totals.cost).every((micros) => !micros);
  if (context.local && spentNothing && totals.planRequests === 0) return FREE_LOCAL;
  return formatTotalCost(
    totals.cost,
    totals.requests,
    totals.unpricedRequests,
    totals.planRequests,
    totals.unservedRequests,
  );
}

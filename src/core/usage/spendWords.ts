/**
 * What a backend's spend reads as in the status bar item and its tooltip. Never "$0.00" for what
 * nobody priced, nor for spend that is not money at all (a plan's requests).
 */
import { formatAmounts } from './formatMoney';
import type { Totals } from './rollups';

/**
 * What nothing spent reads as: "$0.00" would name a currency the backend may not bill in (a
 * yuan-priced one), and the status bar does not load the price data to know.
 */
export const NO_COST = 'no cost';

/**
 * "$0.0042 · ¥0.03", or "… + unpriced" when some requests had no known price (never shown as
 * free); "included in plan" when a plan covers every request.
 */
export function spendText(totals: Totals): string {
  // Requests the model never ran (refused, not sent) cost nothing and are no one's spend.
  const served = totals.requests - totals.unservedRequests;
  if (served <= 0) return NO_COST;
  if (totals.planRequests >= served) return 'included in plan';
  if (totals.unpricedRequests >= served - totals.planRequests) return 'price unknown';
  return `${formatAmounts(totals.cost)}${totals.unpricedRequests > 0 ? ' + unpriced' : ''}`;
}

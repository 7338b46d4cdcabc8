/** How the dashboard writes figures. Days are UTC, as the ledger counts them. */
import { formatMoney, formatTotalCost } from '../../core/usage/formatMoney';
import type { DashboardData } from '../../core/usage/dashboardData';
import type { Amounts, Currency } from '../../core/usage/money';

const counts = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return counts.format(value);
}

/** "12.3K" on chart axes, where space is short. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

export function formatMs(value: number | null): string {
  return value === null ? '—' : `${counts.format(Math.round(value))} ms`;
}

/**
 * Cost of a group of requests. Requests without a known price are never counted as $0: all of
 * them unpriced reads "price unknown", some of them adds "+ N unpriced"; a plan's requests read
 * "included in plan" (all) or "+ N in plan" (some). Requests the model never ran (`unserved`) are
 * no spend and left out.
 */
export function formatCost(cost: Amounts, requests: number, unpriced: number, inPlan = 0, unserved = 0): string {
  return formatTotalCost(cost, requests, unpriced, inPlan, unserved);
}

/** One currency's figure, for a series or a row that is in one currency. */
export function formatCostIn(
  currency: Currency,
  micros: number,
  requests: number,
  unpriced: number,
  inPlan = 0,
  unserved = 0,
): string {
  return formatCost({ [currency]: micros }, requests, unpriced, inPlan, unserved);
}

export { formatMoney };

/** "Nov 22" for `2025-11-22`, in UTC so the label is the ledger's day wherever the reader is. */
export function formatDay(day: string, withYear = false): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    ...(withYear && { year: 'numeric' }),
    timeZone: 'UTC',
  });
}

/** A backend's name, with its currency when that is not US dollars ("qwen-cn (CNY)"). */
export function seriesLabel(series: { label: string; currency: Currency }): string {
  return series.currency === 'USD' ? series.label : `${series.label} (${series.currency})`;
}

/**
 * The currency the cost chart plots: one axis cannot hold dollars and yuan without an exchange
 * rate, so it shows US dollars unless only yuan were spent; the summary and the note name the other.
 */
export function chartCurrency(data: DashboardData): Currency {
  return !data.totals.cost.USD && data.totals.cost.CNY ? 'CNY' : 'USD';
}

/**
 * The budget Add Provider offers for a backend that bills per request: a daily cap in the currency
 * it bills in, asked for while the user is deciding to spend, not after the first surprise. Not
 * offered where nothing would count it (a local, free or plan backend, or a price nobody knows),
 * nor where an overall budget in that currency already covers it.
 */
import type { BackendSpend } from './budgetAction';
import type { Currency } from './money';

export type BudgetKey = 'usdPerDay' | 'usdPerMonth' | 'cnyPerDay' | 'cnyPerMonth';

export interface NewBudget {
  /** Where it is written, under the entry's `limits`. */
  key: 'usdPerDay' | 'cnyPerDay';
  currency: Currency;
}

/**
 * The daily budget to offer for a backend whose roles spend `spends` (one per role), given the
 * overall budget as set (`switchboard.budget`); undefined when none is due.
 */
export function newBackendBudget(
  spends: readonly BackendSpend[],
  overall: Partial<Record<BudgetKey, unknown>>,
): NewBudget | undefined {
  const currency = spends.find((spend): spend is Currency => spend === 'USD' || spend === 'CNY');
  if (currency === undefined) return undefined;
  const covering =
    currency === 'CNY' ? [overall.cnyPerDay, overall.cnyPerMonth] : [overall.usdPerDay, overall.usdPerMonth];
  if (covering.some((amount) => typeof amount === 'number' && Number.isFinite(amount) && amount >= 0)) return undefined;
  return currency === 'CNY' ? { key: 'cnyPerDay', currency } : { key: 'usdPerDay', currency };
}

/**
 * What was typed at the budget step: empty for no budget, otherwise an amount above zero (a budget
 * of 0 would allow this paid backend nothing at all), in whole units with up to 6 decimals.
 */
export function parseNewBudget(text: string): { amount?: number; error?: string } {
  const trimmed = text.trim().replace(/^[$¥]\s*/, '');
  if (trimmed === '') return {};
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(trimmed) || Number(trimmed) <= 0)
    return { error: 'Type an amount above 0, such as 2 or 0.50, or leave it empty for no budget.' };
  return { amount: Number(trimmed) };
}

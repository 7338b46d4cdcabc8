/**
 * The one place money and prices become text. Amounts are integer micro-units of their currency
 * (see money.ts); prices per 1M tokens are decimal numbers as written in a price list.
 */
import { CURRENCIES, type Amounts, type Currency } from './money';

const MICROS_PER_CENT = 10_000;
/** Below this (0.0001 of a unit), two significant digits would still read as noise. */
const SMALLEST_SHOWN = 100;

const SYMBOL: Record<Currency, string> = { USD: '$', CNY: '¥' };

/** "$1,234.57", "¥0.01"; half up to the cent (fen). */
function formatCents(micros: number, symbol: string): string {
  const cents = Math.floor((micros + MICROS_PER_CENT / 2) / MICROS_PER_CENT);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${symbol}${whole}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * "$1.20" from a cent up; below it two significant digits ("$0.0013", "$0.00042"), because a
 * completion costs fractions of a cent and "$0.00" would hide it; under $0.0001 "< $0.0001".
 * Null is "price unknown", never "$0.00".
 */
export function formatMoney(micros: number | null, currency: Currency = 'USD'): string {
  if (micros === null || !Number.isFinite(micros)) return 'price unknown';
  if (micros < 0) return `-${formatMoney(-micros, currency)}`;
  const symbol = SYMBOL[currency];
  const whole = Math.round(micros);
  if (whole === 0) return `${symbol}0.00`;
  if (whole < SMALLEST_SHOWN) return `< ${symbol}0.0001`;
  if (whole >= MICROS_PER_CENT) return formatCents(whole, symbol);
  const step = 10 ** Math.max(0, String(whole).length - 2);
  const rounded = Math.floor((whole + step / 2) / step) * step;
  if (rounded >= MICROS_PER_CENT) return formatCents(rounded, symbol);
  return `${symbol}0.${String(rounded).padStart(6, '0').replace(/0+$/, '')}`;
}

/** Decimals needed to write a chart tick exactly (ticks are multiples of a step such as 0.000025). */
function tickDecimals(units: number): number {
  for (let decimals = 0; decimals < 12; decimals++) {
    const scaled = units * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) return decimals;
  }
  return 12;
}

/**
 * A chart axis's amounts (whole units, not micros), all at one precision fine enough that no two
 * ticks read the same: "$0", "$0.00001", "$0.00002"; "$2.50", "$5.00"; "$500", "$1,000". The
 * cut-offs of `formatMoney` ("< $0.0001") would label every tick of a small range alike.
 */
export function formatMoneyTicks(ticks: readonly number[], currency: Currency = 'USD'): string[] {
  const needed = Math.max(0, ...ticks.map((units) => tickDecimals(Math.abs(units))));
  // Cents are written in full once there are any: "$2.50", not "$2.5".
  const decimals = needed === 0 ? 0 : Math.max(2, needed);
  const number = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return ticks.map((units) =>
    units === 0
      ? `${SYMBOL[currency]}0`
      : `${units < 0 ? '-' : ''}${SYMBOL[currency]}${number.format(Math.abs(units))}`,
  );
}

/** "$0.42 · ¥3.10": each currency apart, never summed; "$0.00" when nothing was spent. */
export function formatAmounts(amounts: Amounts): string {
  const parts = CURRENCIES.filter((currency) => amounts[currency]).map((currency) =>
    formatMoney(amounts[currency]!, currency),
  );
  return parts.length ? parts.join(' · ') : formatMoney(0);
}

/** Spend with the requests it could not price: "$0.42 · ¥3.10 + 2 unpriced". */
export function formatSpend(amounts: Amounts, unpricedRequests: number): string {
  return `${formatAmounts(amounts)}${unpricedRequests > 0 ? ` + ${unpricedRequests.toLocaleString('en-US')} unpriced` : ''}`;
}

/** An amount in whole units of a currency a server reported (a balance); unknown codes stay as written. */
export function formatUnits(amount: number, currency: string = 'USD'): string {
  if (currency === 'USD' || currency === 'CNY') return formatMoney(Math.round(amount * 1_000_000), currency);
  return `${amount.toFixed(2)} ${currency}`;
}

/** A rate with at least two decimals and as many more as its price list gives: "$0.30", "¥4.00", "$0.574". */
function formatRate(perMTok: number, currency: Currency): string {
  const exact = String(Number(perMTok.toPrecision(6)));
  if (exact.includes('e')) return `${SYMBOL[currency]}${exact}`;
  const digits = Math.max(2, exact.split('.')[1]?.length ?? 0);
  const grouped = Number(exact).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${SYMBOL[currency]}${grouped}`;
}

/** "$1 / $5 per 1M" (input / output); "free" when both are zero. */
export function formatPerMTok(price: { input: number; output: number; currency?: Currency }): string {
  const currency = price.currency ?? 'USD';
  if (price.input === 0 && price.output === 0) return 'free';
  return `${formatRate(price.input, currency)} / ${formatRate(price.output, currency)} per 1M`;
}

/** "1 request", "2 requests", "1,200 requests". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A total over some requests: "included in plan" when a plan covers all of them, "price unknown"
 * when none of the rest had a price, else `formatSpend`, with "+ N in plan" for the plan's share
 * (a plan's request is never shown as "$0.00"). Requests the model never ran (`unservedRequests`:
 * refused, not sent) cost nothing and are left out, so they never read as metered spend; the
 * caller says how many there were.
 */
export function formatTotalCost(
  cost: Amounts,
  requests: number,
  unpricedRequests: number,
  planRequests = 0,
  unservedRequests = 0,
): string {
  const served = requests - unservedRequests;
  if (served > 0 && planRequests >= served) return 'included in plan';
  const metered = served - planRequests;
  const inPlan = planRequests > 0 ? ` + ${planRequests.toLocaleString('en-US')} in plan` : '';
  if (metered > 0 && unpricedRequests >= metered) return `price unknown${inPlan}`;
  return `${formatSpend(cost, unpricedRequests)}${inPlan}`;
}

/** A model's price per 1M tokens, or "price unknown" (never "free" by default). */
export function formatPrice(price: { input: number; output: number; currency?: Currency } | undefined): string {
  return price ? formatPerMTok(price) : 'price unknown';
}

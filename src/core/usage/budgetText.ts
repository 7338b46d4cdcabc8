/**
 * The words of a budget that holds: the status bar figure, the tooltip line, the notification's
 * note, the chat's question, and the check of a raised budget typed by the user.
 */
import { formatMoney, formatSpend } from './formatMoney';
import type { BudgetHold, UncountedBudget } from './budgetAction';
import type { Amounts, Currency } from './money';
import type { LimitReading } from './limits';
import { describeReading, formatReset } from './switchAdvice';

/** The setting key a budget reading comes from: `usdPerDay`, `cnyPerMonth`… */
export function budgetKey(reading: LimitReading): 'usdPerDay' | 'usdPerMonth' | 'cnyPerDay' | 'cnyPerMonth' {
  switch (reading.kind) {
    case 'usd-per-month':
      return 'usdPerMonth';
    case 'cny-per-day':
      return 'cnyPerDay';
    case 'cny-per-month':
      return 'cnyPerMonth';
    default:
      return 'usdPerDay';
  }
}

/** "today's $0.50 budget", "this month's ¥20.00 budget". */
export function budgetName(reading: LimitReading): string {
  const period = reading.kind.endsWith('-per-day') ? "today's" : "this month's";
  return `${period} ${formatMoney(reading.limit, reading.currency === 'CNY' ? 'CNY' : 'USD')} budget`;
}

/** "Qwen's today's $0.50 budget" or "today's $0.50 budget over all backends". */
function whose(hold: BudgetHold): string {
  return hold.backend === undefined
    ? `${budgetName(hold.reading)} over all backends`
    : `${hold.name}'s ${budgetName(hold.reading)}`;
}

/**
 * "00:00" when the pause ends within a day (the next time the clock shows it), else "Feb 1", or
 * "Jan 31 16:00" west of UTC: short enough for the status bar. A date alone reads as its own
 * midnight, so it stands alone only when it is one; budgets reset at UTC midnight, which is
 * 09:00 in Tokyo.
 */
function shortTime(at: number, now: number, timeZone?: string): string {
  const zone = timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options }).format(at);
  const clock = format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (at - now <= 86_400_000) return clock;
  const date = format({ month: 'short', day: 'numeric' });
  return clock === '00:00' ? date : `${date} ${clock}`;
}

/**
 * Today's spend as the budget's words quote it: "$0.52", "$0.52 + 3 unpriced" (a request with no
 * known price is not $0); "unknown (…)" when nothing could be counted (`unavailable` says why).
 */
export function spentTodayText(
  totals: { cost: Amounts; unpricedRequests: number } | undefined,
  unavailable?: string,
): string {
  if (unavailable) return `unknown (${unavailable})`;
  return totals ? formatSpend(totals.cost, totals.unpricedRequests) : formatMoney(0);
}

/** "DeepSeek's today's $5.00 budget cannot be checked: the usage ledger could not be opened". */
function uncheckedWhy(hold: BudgetHold): string {
  const budget = whose(hold);
  return `${budget.charAt(0).toUpperCase()}${budget.slice(1)} cannot be checked: the usage ledger could not be opened, so what was spent is unknown`;
}

/** The status bar's figure: "completion paused · budget · until 00:00". */
export function pausedFigure(hold: BudgetHold, now: number, timeZone?: string): string {
  if (hold.unchecked) return 'completion paused · budget cannot be checked';
  if (hold.inFlight !== undefined) return 'completion paused · budget · requests under way';
  return `completion paused · budget · until ${shortTime(hold.until, now, timeZone)}`;
}

/** "…; up to $0.40 more under way": what requests under way may still cost, never added to what was spent. */
function underWay(hold: BudgetHold): string {
  return hold.inFlight === undefined
    ? ''
    : `; up to ${formatMoney(hold.inFlight, hold.reading.currency === 'CNY' ? 'CNY' : 'USD')} more under way`;
}

/** The tooltip's line: which budget holds, until when, and what was spent today. */
export function pausedTooltip(hold: BudgetHold, spentToday: string, now: number, timeZone?: string): string {
  if (hold.unchecked)
    return `Automatic completion is paused: ${uncheckedWhy(hold)} (see the Switchboard log; reload the window once the folder is fixed). Alt+\\ still asks.`;
  const why = hold.manual ? `paused by you until ${whose(hold)} resets` : `paused by ${whose(hold)}`;
  const until =
    hold.inFlight === undefined
      ? `until ${formatReset(hold.until, now, timeZone)}`
      : 'while the requests under way may reach it';
  return `Automatic completion ${why}, ${until} (${describeReading(hold.reading)}${underWay(hold)}; spent today: ${spentToday}). Alt+\\ still asks, and says what it may cost.`;
}

/**
 * Added to the notification when a budget is reached and its action pauses: the pause is already
 * on. When the sentence before it is about this budget, it named the reset already.
 */
export function pausedNote(hold: BudgetHold, now: number, resetNamed: boolean, timeZone?: string): string {
  return `Automatic completion is paused until ${resetNamed ? 'then' : formatReset(hold.until, now, timeZone)}; Alt+\\ still asks.`;
}

/** The modal question before a chat request past a budget. */
export function chatQuestion(hold: BudgetHold, spentToday: string, now: number, timeZone?: string): string {
  if (hold.unchecked) return `${uncheckedWhy(hold)}. Send this chat request anyway?`;
  const reached = hold.inFlight === undefined ? 'reached' : 'may reach, with the requests under way,';
  return `${hold.backend === undefined ? 'Your spending on all backends' : hold.name} ${reached} ${budgetName(hold.reading)} (${describeReading(hold.reading)}${underWay(hold)}); it resets at ${formatReset(hold.until, now, timeZone)}. Spent today: ${spentToday}. Send this chat request anyway?`;
}

const CURRENCY_WORDS: Record<Currency, string> = { USD: 'US dollars', CNY: 'yuan' };

/**
 * Said once when a backend's own budget can never hold it: "Moonshot bills in yuan: its
 * limits.usdPerDay ($1.00) counts nothing it spends and never pauses it. …"
 */
export function uncountedBudgetNote(name: string, uncounted: UncountedBudget): string {
  const { reading, spend } = uncounted;
  const key = budgetKey(reading);
  const budget = `its limits.${key} (${formatMoney(reading.limit, reading.currency === 'CNY' ? 'CNY' : 'USD')})`;
  if (spend === undefined)
    return `${name}'s price is unknown: ${budget} counts nothing it spends and never pauses it, until a price is set (Set Price…).`;
  const own = spend === 'CNY' ? key.replace('usd', 'cny') : key.replace('cny', 'usd');
  return `${name} bills in ${CURRENCY_WORDS[spend]}: ${budget} counts nothing it spends and never pauses it (there is no exchange rate). Set limits.${own} for a budget in ${CURRENCY_WORDS[spend]}.`;
}

/** What the status bar says when Alt+\ asks past a paused budget. */
export function manualTriggerNote(hold: BudgetHold, upTo: string | undefined): string {
  const why = hold.unchecked ? `paused: ${whose(hold)} cannot be checked` : `paused by ${whose(hold)}`;
  return `Switchboard: completion is ${why}; this request you asked for ${upTo ? `costs up to ${upTo}` : 'has no known price'}.`;
}

/**
 * A new budget as typed in "Raise budget…": a plain number of dollars or yuan, above what has
 * been spent (a budget at or below it would hold at once). Returns the amount or a message.
 */
export function parseBudget(
  text: string,
  reading: LimitReading,
): { amount: number; error?: undefined } | { amount?: undefined; error: string } {
  const trimmed = text.trim().replace(/^[$¥]/, '');
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(trimmed)) return { error: 'Type an amount such as 5 or 2.50.' };
  const amount = Number(trimmed);
  const currency = reading.currency === 'CNY' ? 'CNY' : 'USD';
  if (Math.round(amount * 1_000_000) <= reading.used)
    return { error: `Type more than what is already spent (${formatMoney(reading.used, currency)}).` };
  return { amount };
}

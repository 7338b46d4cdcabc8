/**
 * Tokens and money as the chat shows them: under each answer, and summed over the session (this
 * window, every request, stopped and failed ones included, since those may be billed too).
 */
import { formatMoney, formatPrice, formatTotalCost, plural } from '../usage/formatMoney';
import { addAmount, type Amounts, type Currency } from '../usage/money';
import type { AnswerUsage } from './conversation';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "1,234 in · 56 out tokens · $0.0012", with "≈" and "(estimated)" when the backend reported
 * nothing, and "(40 reasoning)" when it said how many of the output tokens went to reasoning.
 */
export function usageLine(usage: AnswerUsage): string {
  const reasoning = usage.reasoningTokens ? ` (${count(usage.reasoningTokens)} reasoning)` : '';
  const tokens = `${usage.reported ? '' : '≈ '}${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out tokens${reasoning}${usage.reported ? '' : ' (estimated)'}`;
  const cost = (micros: number | null) => (usage.inPlan ? 'included in plan' : formatMoney(micros, usage.currency));
  // Attempts sent again are in the ledger as requests of their own: said, so the line adds up with it.
  const retried = usage.retried?.requests
    ? ` · +${plural(usage.retried.requests, 'retried request')}, ${cost(usage.retried.costMicros)}`
    : '';
  return `${tokens} · ${cost(usage.costMicros)}${retried}`;
}

/** "$0.4 / $1.6 per 1M", "¥4 / ¥16 per 1M", "free", or "price unknown". */
export function perMTokText(price: { input: number; output: number; currency?: Currency } | undefined): string {
  return formatPrice(price);
}

export interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Per currency, never summed across currencies. */
  cost: Amounts;
  /** Requests whose price is unknown: not in `cost`. */
  unpriced: number;
  /** Requests a subscription plan covers. */
  inPlan?: number;
}

export class SessionTotals {
  private totals: Totals = { requests: 0, inputTokens: 0, outputTokens: 0, cost: {}, unpriced: 0 };

  add(usage: AnswerUsage): void {
    this.totals = addUsage(this.totals, usage);
  }

  get value(): Totals {
    return { ...this.totals };
  }
}

export function addUsage(totals: Totals, usage: AnswerUsage): Totals {
  const retried = usage.retried;
  const requests = 1 + (retried?.requests ?? 0);
  return {
    requests: totals.requests + requests,
    inputTokens: totals.inputTokens + usage.inputTokens + (retried?.inputTokens ?? 0),
    outputTokens: totals.outputTokens + usage.outputTokens + (retried?.outputTokens ?? 0),
    cost: retried
      ? withCost(withCost(totals.cost, usage), { ...usage, costMicros: retried.costMicros })
      : withCost(totals.cost, usage),
    unpriced:
      totals.unpriced +
      (usage.costMicros === null ? 1 : 0) +
      (retried && retried.costMicros === null ? retried.requests : 0),
    ...((totals.inPlan || usage.inPlan) && { inPlan: (totals.inPlan ?? 0) + (usage.inPlan ? requests : 0) }),
  };
}

/** "3 requests · 12,345 tokens · $0.0123", or "no requests yet". */
export function totalsLine(totals: Totals): string {
  if (totals.requests === 0) return 'no requests yet';
  const cost = formatTotalCost(totals.cost, totals.requests, totals.unpriced, totals.inPlan ?? 0);
  return `${plural(totals.requests, 'request')} · ${count(totals.inputTokens + totals.outputTokens)} tokens · ${cost}`;
}

function withCost(cost: Amounts, usage: AnswerUsage): Amounts {
  const next = { ...cost };
  if (usage.costMicros !== null) addAmount(next, usage.currency ?? 'USD', usage.costMicros);
  return next;
}

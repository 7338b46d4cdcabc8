/**
 * Tokens and money as the chat shows them: under each answer, and summed over the session (this
 * window, every request, stopped and failed ones included, since those may be billed too).
 */
import { formatMicros } from '../usage/formatMoney';
import type { AnswerUsage } from './conversation';

const count = (n: number) => n.toLocaleString('en-US');

/** "1,234 in · 56 out tokens · $0.0012", with "≈" and "(estimated)" when the backend reported nothing. */
export function usageLine(usage: AnswerUsage): string {
  const tokens = `${usage.reported ? '' : '≈ '}${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out tokens${usage.reported ? '' : ' (estimated)'}`;
  return `${tokens} · ${usage.inPlan ? 'included in plan' : formatMicros(usage.costMicros)}`;
}

/** "$0.40 / $1.60 per 1M", "free", or "price unknown". */
export function perMTokText(price: { input: number; output: number } | undefined): string {
  if (!price) return 'price unknown';
  if (price.input === 0 && price.output === 0) return 'free';
  const dollars = (n: number) => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : String(Number(n.toPrecision(2)))}`;
  return `${dollars(price.input)} / ${dollars(price.output)} per 1M`;
}

export interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** Requests whose price is unknown: not in `costMicros`. */
  unpriced: number;
  /** Requests a subscription plan covers. */
  inPlan?: number;
}

export class SessionTotals {
  private totals: Totals = { requests: 0, inputTokens: 0, outputTokens: 0, costMicros: 0, unpriced: 0 };

  add(usage: AnswerUsage): void {
    this.totals = addUsage(this.totals, usage);
  }

  get value(): Totals {
    return { ...this.totals };
  }
}

export function addUsage(totals: Totals, usage: AnswerUsage): Totals {
  return {
    requests: totals.requests + 1,
    inputTokens: totals.inputTokens + usage.inputTokens,
    outputTokens: totals.outputTokens + usage.outputTokens,
    costMicros: totals.costMicros + (usage.costMicros ?? 0),
    unpriced: totals.unpriced + (usage.costMicros === null ? 1 : 0),
    ...((totals.inPlan || usage.inPlan) && { inPlan: (totals.inPlan ?? 0) + (usage.inPlan ? 1 : 0) }),
  };
}

/** "3 requests · 12,345 tokens · $0.0123", or "no requests yet". */
export function totalsLine(totals: Totals): string {
  if (totals.requests === 0) return 'no requests yet';
  const inPlan = totals.inPlan ?? 0;
  const paid = totals.requests - inPlan;
  const cost =
    paid === 0
      ? 'included in plan'
      : totals.unpriced === paid
        ? `price unknown${inPlan ? ` + ${inPlan} in plan` : ''}`
        : `${formatMicros(totals.costMicros)}${totals.unpriced ? ` + ${totals.unpriced} unpriced` : ''}${inPlan ? ` + ${inPlan} in plan` : ''}`;
  return `${count(totals.requests)} request${totals.requests === 1 ? '' : 's'} · ${count(totals.inputTokens + totals.outputTokens)} tokens · ${cost}`;
}

/**
 * What one request is recorded as: the tokens it used (reported, or estimated from the text
 * when the backend said nothing, since a cancelled or failed request may still be billed) and
 * what that cost. A request the server never saw, or turned away before running the model (see
 * `wasRefused`), used nothing.
 */
import { wasRefused, type ProviderErrorKind } from '../providers/providerError';
import type { Usage } from '../providers/types';
import { estimatedUsage, estimateTokens } from '../providers/usage';
import type { Price } from './pricing';

export interface MeterInput {
  /** Reported by the backend, or undefined when the request failed before any count. */
  usage?: Usage;
  promptText?: string;
  outputText?: string;
  /** Of `outputText`, what the model wrote reasoning: an estimate counts it as reasoning tokens. */
  reasoningText?: string;
  /**
   * `status` is the HTTP status the server refused the request with, when it did; `usage` what
   * the client knew the request used when it failed (see `ProviderError.usage`).
   */
  error?: { kind: ProviderErrorKind; notSent?: boolean; status?: number; usage?: Usage };
}

export interface Metered {
  usage: Usage;
  price: Price;
  /** The model never ran: refused before serving, or never sent (`UsageRecord.unserved`). */
  unserved?: true;
}

const NOTHING: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true };

/** `price` is the pricing function (passed in so the price data loads only where it is needed). */
export function meterRequest(input: MeterInput, price: (usage: Usage) => Price): Metered {
  // Nothing went out (no connection, or Switchboard would not send it): a failure, not spend, and
  // never "unpriced".
  if (input.error?.notSent) {
    return { usage: { ...NOTHING }, price: { micros: 0, currency: 'USD', source: 'not-sent' }, unserved: true };
  }
  // Turned away before the model ran (a bad key, a rate limit, a spent quota): nothing was billed.
  if (input.error && wasRefused(input.error)) {
    return { usage: { ...NOTHING }, price: { micros: 0, currency: 'USD', source: 'refused' }, unserved: true };
  }
  const usage = input.usage ?? input.error?.usage ?? estimated(input);
  return { usage, price: price(usage) };
}

/** From the text, with the reasoning among the output counted as such (a thinking rate may apply). */
function estimated(input: MeterInput): Usage {
  const usage = estimatedUsage(input.promptText ?? '', input.outputText ?? '');
  const reasoning = Math.min(estimateTokens(input.reasoningText ?? ''), usage.outputTokens);
  return reasoning > 0 ? { ...usage, reasoningTokens: reasoning } : usage;
}

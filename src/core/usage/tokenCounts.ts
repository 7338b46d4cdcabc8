/**
 * The one rule for a count the meter keeps (tokens, and the micro-units a cost is counted in): a
 * non-negative safe integer. A server's report, a price and a ledger line are all held to it, so
 * what one window counts and writes is what every window reads back. A server's count that breaks
 * it (a string, a negative, a fraction, a number past 2^53) is no count: the usage is estimated.
 */
import type { Usage } from '../providers/types';

/** `value` when it is a count; else undefined. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** A count a server may leave out: 0 when absent (undefined or null), undefined when present and no count. */
export function optionalCount(value: unknown): number | undefined {
  return value === undefined || value === null ? 0 : count(value);
}

/**
 * The usage when its counts are sound: each one a count, the cache reads and writes within the
 * input (ours counts every input token, cache included), any reasoning within the output.
 * Undefined otherwise, for the caller to estimate: a report that does not add up is no report.
 */
export function soundUsage(usage: Usage): Usage | undefined {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens } = usage;
  const counts = [inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens];
  if (counts.some((value) => count(value) === undefined)) return undefined;
  if (cacheReadTokens + cacheWriteTokens > inputTokens) return undefined;
  if (reasoningTokens !== undefined && (count(reasoningTokens) === undefined || reasoningTokens > outputTokens))
    return undefined;
  return usage;
}

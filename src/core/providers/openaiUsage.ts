/**
 * Usage as OpenAI-compatible servers report it. In OpenAI's own counting `completion_tokens`
 * holds all the output, reasoning included, and `total_tokens` is prompt plus completion. Some
 * servers leave a model's thinking out of `completion_tokens` while billing it: it then shows only
 * in a larger `total_tokens` (Gemini's thoughts as relays of it report them, mozilla-ai/any-llm#1290,
 * router-for-me/CLIProxyAPI#5733), or in `reasoning_tokens` larger than the completion. Such
 * thinking is counted as output, since it is billed as output.
 */
import { count, optionalCount, soundUsage } from '../usage/tokenCounts';
import type { Usage } from './types';

export interface UsageCounts {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /**
   * `cache_write_tokens`: OpenRouter's count of the prompt written to a cache (Anthropic's and
   * Gemini's, billed above the input rate), part of `prompt_tokens` like the cache reads
   * (openrouter.ai/docs/use-cases/usage-accounting).
   */
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  /** OpenAI's, and those who copy it (OpenRouter, Alibaba, Z.ai, Moonshot): reasoning among the output. */
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** DeepSeek's own count of input tokens served from its context cache (api-docs.deepseek.com/guides/kv_cache). */
  prompt_cache_hit_tokens?: number;
}

/**
 * The usage the counts report; undefined when they report none that can be billed, for the caller
 * to estimate. Without a usable `prompt_tokens` they are no report: the input would be billed at
 * nothing, or, taken out of `total_tokens` as output, at the output rate. Nor are they with a
 * completion or cache count that is no count, or more cached (read and written) than prompt tokens. A total or a
 * reasoning count that is no count only says nothing more.
 */
export function usageFromCounts(usage: UsageCounts): Usage | undefined {
  const input = count(usage.prompt_tokens);
  const completion = optionalCount(usage.completion_tokens);
  const cached = optionalCount(usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens);
  const written = optionalCount(usage.prompt_tokens_details?.cache_write_tokens);
  if (input === undefined || completion === undefined || cached === undefined || written === undefined)
    return undefined;
  const total = count(usage.total_tokens);
  const reported = count(usage.completion_tokens_details?.reasoning_tokens) ?? 0;
  // Thinking left out of the completion shows as a larger total, or as reasoning beyond it.
  const output = Math.max(
    completion,
    total !== undefined ? total - input : 0,
    reported > completion ? completion + reported : 0,
  );
  const reasoning = reported > 0 && reported <= output ? reported : 0;
  return soundUsage({
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cached,
    cacheWriteTokens: written,
    reported: true,
    ...(reasoning && { reasoningTokens: reasoning }),
  });
}

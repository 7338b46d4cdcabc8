/**
 * The implicit prefix cache the hosted backends keep on their side: a request whose start repeats
 * the start of a recent one is billed partly at the cache-hit rate, and the response's usage says
 * how many input tokens were hits. Modelled per backend: the longest prefix shared with a
 * remembered prompt, in whole tokens, rounded down to the backend's block and nothing below its
 * minimum. Tokens are the emulator's four characters each (tokens.ts).
 * DeepSeek: https://api-docs.deepseek.com/guides/kv_cache (64-token storage units; V4's "cache
 *   prefix units" are coarser still, which the 64-token rounding leaves out).
 * OpenAI: https://platform.openai.com/docs/guides/prompt-caching (from 1,024 tokens, in steps of 128).
 * Model Studio implicit cache: https://www.alibabacloud.com/help/en/model-studio/context-cache
 *   (at least 256 tokens; no block size documented).
 */
import type { Dialect } from './options';

export interface CacheRule {
  /** Fewer shared tokens than this are not a hit at all. */
  minTokens: number;
  /** A hit counts whole blocks only. */
  blockTokens: number;
}

export const IMPLICIT_CACHE_RULES: Partial<Record<Dialect, CacheRule>> = {
  deepseek: { minTokens: 64, blockTokens: 64 },
  openai: { minTokens: 1024, blockTokens: 128 },
  dashscope: { minTokens: 256, blockTokens: 1 },
  // The Coding Plan is DashScope's compatible mode on a host of its own.
  'coding-plan': { minTokens: 256, blockTokens: 1 },
};

/** Prompts remembered per backend: a real cache is bounded, and so is the emulator's memory. */
export const REMEMBERED_PROMPTS = 32;
const CHARS_PER_TOKEN = 4;

function sharedLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}

export class PrefixCache {
  private readonly prompts = new Map<Dialect, string[]>();

  /**
   * The input tokens of `prompt` this backend would serve from its cache, then remembers it.
   * Undefined for a backend without an implicit cache.
   */
  lookup(dialect: Dialect, prompt: string): number | undefined {
    const rule = IMPLICIT_CACHE_RULES[dialect];
    if (!rule) return undefined;
    const seen = this.prompts.get(dialect) ?? [];
    let shared = 0;
    for (const earlier of seen) shared = Math.max(shared, sharedLength(earlier, prompt));
    const tokens = Math.floor(shared / CHARS_PER_TOKEN);
    const cached = tokens < rule.minTokens ? 0 : tokens - (tokens % rule.blockTokens);
    const kept = seen.filter((earlier) => earlier !== prompt);
    kept.unshift(prompt);
    this.prompts.set(dialect, kept.slice(0, REMEMBERED_PROMPTS));
    return cached;
  }

  clear(): void {
    this.prompts.clear();
  }
}

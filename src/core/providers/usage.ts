import type { Usage } from './types';

/** About four characters a token: good enough to bill an estimate when a backend reports nothing. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function estimatedUsage(input: string, output: string): Usage {
  return {
    inputTokens: estimateTokens(input),
    outputTokens: estimateTokens(output),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: false,
  };
}

/** What a chat template adds before and between the messages' text, in tokens, at most. */
const FRAMING_TOKENS = 32;

/**
 * What a backend last reported reading from its prompt cache, per model, for estimating a request
 * whose own report never came (a completion stream closed once nothing more of it was used, or
 * cancelled while it streamed: the server's count comes at a stream's end). Estimating such a
 * prompt as all uncached would show several times its cost on backends that bill cached input at
 * a fraction (DeepSeek, Model Studio, OpenAI), where consecutive completion prompts share most of
 * their start.
 *
 * The estimate stays on the safe side: it counts the cache read last reported only when this
 * prompt starts with all of what was read then (the prefix the cache served, whatever the
 * backend's minimum and units), and none otherwise.
 */
export class PromptCacheMemory {
  private readonly last = new Map<string, { text: string; cacheReadTokens: number }>();

  /** Notes a reported usage for `text`, the prompt as the model reads it; a count no server could mean is not kept. */
  remember(model: string, text: string, usage: Usage): void {
    if (!usage.reported) return;
    const read = usage.cacheReadTokens;
    const sane = Number.isSafeInteger(read) && read >= 0 && read <= usage.inputTokens;
    this.last.set(model, { text, cacheReadTokens: sane ? read : 0 });
  }

  /** An estimate for a prompt `text` that produced `output`, with the cache read it can count on. */
  estimate(model: string, text: string, output: string): Usage {
    const usage = estimatedUsage(text, output);
    const last = this.last.get(model);
    if (!last?.cacheReadTokens) return usage;
    let shared = 0;
    const limit = Math.min(text.length, last.text.length);
    while (shared < limit && text.charCodeAt(shared) === last.text.charCodeAt(shared)) shared++;
    // About four characters a token, as the estimate counts them; the server also counts the
    // framing a chat template adds around the text (roles, control tokens), which it leaves out.
    if (Math.floor(shared / 4) + FRAMING_TOKENS < last.cacheReadTokens) return usage;
    return { ...usage, cacheReadTokens: Math.min(usage.inputTokens, last.cacheReadTokens) };
  }
}

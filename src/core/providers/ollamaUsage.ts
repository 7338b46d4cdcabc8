/** Ollama's token counts, as its last object (of /api/generate or /api/chat) reports them. */
import { optionalCount } from '../usage/tokenCounts';
import type { Usage } from './types';

/**
 * The counts of Ollama's last object, when it has any and every one it has is a count; undefined
 * otherwise, for an estimate. One it leaves out is 0: Ollama before mid-2024 left prompt_eval_count
 * out when the whole prompt came from its cache (ollama/ollama#2068).
 */
export function ollamaUsage(data: { prompt_eval_count?: unknown; eval_count?: unknown }): Usage | undefined {
  if (data.prompt_eval_count === undefined && data.eval_count === undefined) return undefined;
  const inputTokens = optionalCount(data.prompt_eval_count);
  const outputTokens = optionalCount(data.eval_count);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true };
}

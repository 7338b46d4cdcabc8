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

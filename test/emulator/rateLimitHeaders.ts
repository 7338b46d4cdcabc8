/**
 * Rate-limit headers as each backend writes them.
 * OpenAI: https://platform.openai.com/docs/guides/rate-limits (x-ratelimit-*, resets as Go
 *   durations such as `6m0s`, `1s`, `12ms`).
 * Anthropic: https://docs.anthropic.com/en/api/rate-limits (anthropic-ratelimit-*, resets as
 *   RFC 3339 times).
 * OpenRouter: https://openrouter.ai/docs/api-reference/limits (X-RateLimit-* only on its own 429s,
 *   reset in epoch milliseconds).
 */

/** Where a quota window stands, for the headers. */
export interface RateLimitSnapshot {
  now: number;
  requestLimit: number;
  requestsRemaining: number;
  requestsResetAt: number;
  tokenLimit: number;
  tokensRemaining: number;
  tokensResetAt: number;
}

/** A duration in Go's `time.Duration` notation, which OpenAI's reset headers use. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function openAiRateLimitHeaders(s: RateLimitSnapshot): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(s.requestLimit),
    'x-ratelimit-remaining-requests': String(s.requestsRemaining),
    'x-ratelimit-reset-requests': goDuration(s.requestsResetAt - s.now),
    'x-ratelimit-limit-tokens': String(s.tokenLimit),
    'x-ratelimit-remaining-tokens': String(s.tokensRemaining),
    'x-ratelimit-reset-tokens': goDuration(s.tokensResetAt - s.now),
  };
}

export function anthropicRateLimitHeaders(s: RateLimitSnapshot): Record<string, string> {
  const tokens = { limit: String(s.tokenLimit), remaining: String(s.tokensRemaining), reset: rfc3339(s.tokensResetAt) };
  const headers: Record<string, string> = {
    'anthropic-ratelimit-requests-limit': String(s.requestLimit),
    'anthropic-ratelimit-requests-remaining': String(s.requestsRemaining),
    'anthropic-ratelimit-requests-reset': rfc3339(s.requestsResetAt),
  };
  for (const kind of ['tokens', 'input-tokens', 'output-tokens']) {
    headers[`anthropic-ratelimit-${kind}-limit`] = tokens.limit;
    headers[`anthropic-ratelimit-${kind}-remaining`] = tokens.remaining;
    headers[`anthropic-ratelimit-${kind}-reset`] = tokens.reset;
  }
  return headers;
}

export function openRouterRateLimitHeaders(s: RateLimitSnapshot): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(s.requestLimit),
    'X-RateLimit-Remaining': String(s.requestsRemaining),
    'X-RateLimit-Reset': String(s.requestsResetAt),
  };
}

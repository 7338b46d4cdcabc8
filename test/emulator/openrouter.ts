/**
 * OpenRouter: `GET /api/v1/key` (credit and limits of the key), 402 with `metadata.limit_source`
 * when credits or the key's limit run out, and chat/completions under `/api/v1` (served by
 * openai.ts in OpenRouter's dialect, mid-stream errors included).
 * Key: https://openrouter.ai/docs/api-reference/limits and
 *   https://openrouter.ai/docs/api/api-reference/api-keys/get-current-key
 * 402 and limit_source: https://openrouter.ai/docs/api-reference/limits#handling-402-errors
 */
import type { RequestContext } from './context';
import type { Reply } from './errors';
import type { OpenRouterAccount } from './options';

const DEFAULT_ACCOUNT = {
  label: 'sk-or-v1-emu...0000',
  usage: 0.25,
  limit: 10 as number | null,
  limitReset: 'monthly' as OpenRouterAccount['limitReset'],
  isFreeTier: false,
  credits: 20,
  rateLimit: { requests: 1000, interval: '10s' },
};

function account(ctx: RequestContext) {
  return { ...DEFAULT_ACCOUNT, ...ctx.settings.openrouter };
}

function remaining(limit: number | null, usage: number): number | null {
  return limit === null ? null : Math.max(0, Number((limit - usage).toFixed(6)));
}

export function keyInfo(ctx: RequestContext): Promise<void> {
  const key = account(ctx);
  return ctx.ok({
    data: {
      label: key.label,
      limit: key.limit,
      limit_reset: key.limitReset ?? null,
      limit_remaining: remaining(key.limit, key.usage),
      include_byok_in_limit: false,
      usage: key.usage,
      usage_daily: key.usage,
      usage_weekly: key.usage,
      usage_monthly: key.usage,
      byok_usage: 0,
      byok_usage_daily: 0,
      byok_usage_weekly: 0,
      byok_usage_monthly: 0,
      is_free_tier: key.isFreeTier,
      rate_limit: key.rateLimit,
    },
  });
}

/** OpenRouter refuses to generate when the account's credits or the key's limit are spent. */
export function openRouterAccountRefusal(ctx: RequestContext): Reply | undefined {
  const key = account(ctx);
  if (key.credits <= 0) {
    return {
      status: 402,
      body: {
        error: {
          code: 402,
          message: 'Insufficient credits. Add more using https://openrouter.ai/settings/credits',
          metadata: {
            limit_source: 'openrouter_credits',
            remedy_hint: 'Add credits at https://openrouter.ai/settings/credits.',
          },
        },
      },
    };
  }
  if (remaining(key.limit, key.usage) === 0) {
    return {
      status: 402,
      body: {
        error: {
          code: 402,
          message: 'Key limit exceeded. Manage it using https://openrouter.ai/settings/keys',
          metadata: {
            limit_source: 'openrouter_key_limit',
            remedy_hint: "Raise the key's credit limit or wait for it to reset.",
          },
        },
      },
    };
  }
  return undefined;
}

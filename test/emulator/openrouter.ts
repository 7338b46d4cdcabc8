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
      // The account's `:free` allowance for the UTC day; its ceiling depends on credits ever bought
      // (https://openrouter.ai/docs/client-sdks/typescript/models/freemodeldailyrequests).
      free_model_daily_requests: {
        limit: freeDailyLimit(key),
        remaining: Math.max(0, freeDailyLimit(key) - freeUsedToday(ctx)),
        used: freeUsedToday(ctx),
      },
    },
  });
}

const FREE_PER_MINUTE = 20;
const DAY = 86_400_000;
/** `:free` requests served per emulator and UTC day. */
const freeCounts = new WeakMap<object, { day: number; used: number; minute: number; inMinute: number }>();

/** Forgets the `:free` requests counted so far (the emulator's `resetQuota()`). */
export function resetFreeCounts(state: object): void {
  freeCounts.delete(state);
}

function freeDailyLimit(key: ReturnType<typeof account>): number {
  // NO_CREDITS_RPD=50 below a $10 purchase, HAS_CREDITS_RPD=1000 from it (openrouter.ai free-variant docs).
  return (key.creditsPurchased ?? key.credits) >= 10 ? 1000 : 50;
}

function freeCounter(ctx: RequestContext) {
  const now = ctx.state.now();
  let counter = freeCounts.get(ctx.state);
  if (!counter || counter.day !== Math.floor(now / DAY)) {
    counter = { day: Math.floor(now / DAY), used: 0, minute: Math.floor(now / 60_000), inMinute: 0 };
    freeCounts.set(ctx.state, counter);
  }
  if (counter.minute !== Math.floor(now / 60_000)) {
    counter.minute = Math.floor(now / 60_000);
    counter.inMinute = 0;
  }
  return counter;
}

function freeUsedToday(ctx: RequestContext): number {
  return freeCounter(ctx).used;
}

/**
 * `:free` variants draw on the account's allowance: 20 a minute and 50 or 1,000 a UTC day, for all
 * free models together; past it, the 429 OpenRouter sends (free-models-per-min / -per-day).
 */
function freeModelRefusal(ctx: RequestContext): Reply | undefined {
  const counter = freeCounter(ctx);
  const limit = freeDailyLimit(account(ctx));
  const perDay = counter.used >= limit;
  if (perDay || counter.inMinute >= FREE_PER_MINUTE) {
    const message = perDay
      ? `Rate limit exceeded: free-models-per-day. ${limit < 1000 ? 'Add 10 credits to unlock 1000 free model requests per day' : ''}`.trim()
      : 'Rate limit exceeded: free-models-per-min. ';
    return { status: 429, body: { error: { message, code: 429, metadata: { provider_name: null } } } };
  }
  counter.used += 1;
  counter.inMinute += 1;
  return undefined;
}

/** OpenRouter refuses to generate when the account's credits or the key's limit are spent. */
export function openRouterAccountRefusal(ctx: RequestContext): Reply | undefined {
  // Free variants need no credits; they draw on the free allowance instead.
  if (typeof ctx.json.model === 'string' && ctx.json.model.endsWith(':free')) return freeModelRefusal(ctx);
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

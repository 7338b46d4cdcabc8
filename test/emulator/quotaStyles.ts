/**
 * What an exhausted quota looks like at each backend. The per-minute window answers the style's
 * rate-limit error, the per-day window its quota-exhausted error.
 * OpenAI: https://platform.openai.com/docs/guides/error-codes (429 rate_limit_exceeded /
 *   insufficient_quota) and https://platform.openai.com/docs/guides/rate-limits (headers).
 * Anthropic: https://docs.anthropic.com/en/api/errors and https://docs.anthropic.com/en/api/rate-limits
 *   (429 rate_limit_error with retry-after; the spend cap carries
 *   error.details.error_code = enforced_spend_limit_reached and no retry-after).
 * DashScope / Model Studio: https://help.aliyun.com/en/model-studio/error-code-start and
 *   https://www.alibabacloud.com/help/en/model-studio/rate-limit (Throttling.RateQuota,
 *   Throttling.AllocationQuota "Free allocated quota exceeded.").
 * DeepSeek: https://api-docs.deepseek.com/quick_start/error_codes (429 Rate Limit Reached, 402
 *   Insufficient Balance; no rate-limit headers).
 * OpenRouter: https://openrouter.ai/docs/api-reference/limits (free-models-per-min/-per-day,
 *   X-RateLimit-* on the 429).
 * Gemini: 429 RESOURCE_EXHAUSTED in Google's shape (in a list on the OpenAI-compatible endpoint),
 *   naming each quota run past in a QuotaFailure and the wait in a RetryInfo, which it sends even
 *   for a spent day (googleapis/python-genai#2044, continuedev/continue#9570). No rate-limit headers.
 *   The emulator's day is the UTC day; Google's ends at midnight Pacific.
 * Z.ai (the GLM Coding Plan): 429 with a business code as a string: 1302 for concurrency, 1308 for
 *   the spent 5-hour window, 1310 for the week, 1304 for a day's calls; the reset in the words, in
 *   Beijing time (https://docs.bigmodel.cn/cn/api/api-code; the 1308 body as dirge-code/dirge#818
 *   quotes it).
 * Alibaba's Coding Plan: a spent window fails the call (no pay-as-you-go fallback). Its own error
 *   body is not documented; the endpoint is DashScope's compatible mode on another host, so it
 *   answers as that mode answers a spent allocation (429 `insufficient_quota`).
 */
import { anthropicError, googleError, openAiError, type Reply } from './errors';
import type { QuotaStyle } from './options';
import type { QuotaTracker, QuotaWindow } from './quota';
import {
  anthropicRateLimitHeaders,
  openAiRateLimitHeaders,
  openRouterRateLimitHeaders,
  rfc3339,
} from './rateLimitHeaders';

export interface QuotaContext {
  tracker: QuotaTracker;
  window: QuotaWindow;
  requestId: string;
  model: string;
  /** DashScope's OpenAI-compatible mode wraps errors in `{"error": …}`; its native API does not. */
  compatibleMode: boolean;
  /** Replaces the quota-exhausted message (not the per-minute one). */
  message?: string;
}

export function quotaRejection(style: QuotaStyle, q: QuotaContext): Reply {
  switch (style) {
    case 'openai':
      return openAiQuota(q);
    case 'anthropic':
      return anthropicQuota(q);
    case 'dashscope':
    case 'dashscope-free':
      return dashScopeQuota(style, q);
    case 'deepseek':
      return q.window === 'day'
        ? { status: 402, body: openAiError('Insufficient Balance', 'unknown_error', 'invalid_request_error') }
        : { status: 429, body: openAiError('Rate Limit Reached', 'rate_limit_error', 'invalid_request_error') };
    case 'openrouter':
      return openRouterQuota(q);
    case 'coding-plan':
      return codingPlanQuota(q);
    case 'gemini':
      return geminiQuota(q);
    case 'zai':
      return zaiQuota(q);
  }
}

function exhaustedSnapshot(q: QuotaContext) {
  return { ...q.tracker.snapshot(q.window), requestsRemaining: 0 };
}

function openAiQuota(q: QuotaContext): Reply {
  const snapshot = exhaustedSnapshot(q);
  const headers = { ...openAiRateLimitHeaders(snapshot), 'x-request-id': q.requestId };
  if (q.window === 'day') {
    return {
      status: 429,
      headers,
      body: openAiError(
        q.message ??
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        'insufficient_quota',
      ),
    };
  }
  const retryAfter = q.tracker.retryAfterSeconds('minute');
  const limit = snapshot.requestLimit;
  return {
    status: 429,
    headers: { ...headers, 'retry-after': String(retryAfter) },
    body: openAiError(
      `Rate limit reached for ${q.model} in organization org-emulator on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${retryAfter}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      'rate_limit_exceeded',
    ),
  };
}

function anthropicQuota(q: QuotaContext): Reply {
  const headers = { ...anthropicRateLimitHeaders(exhaustedSnapshot(q)), 'request-id': q.requestId };
  if (q.window === 'day') {
    const body = anthropicError(
      'rate_limit_error',
      `You have reached your specified API usage limits. You will regain access on ${rfc3339(q.tracker.resetAt('day'))}.`,
      q.requestId,
    );
    return {
      status: 429,
      headers,
      body: { ...body, error: { ...body.error, details: { error_code: 'enforced_spend_limit_reached' } } },
    };
  }
  return {
    status: 429,
    headers: { ...headers, 'retry-after': String(q.tracker.retryAfterSeconds('minute')) },
    body: anthropicError(
      'rate_limit_error',
      `This request would exceed the rate limit for your organization (emulator) of ${exhaustedSnapshot(q).requestLimit} requests per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.`,
      q.requestId,
    ),
  };
}

function dashScopeQuota(style: 'dashscope' | 'dashscope-free', q: QuotaContext): Reply {
  // The free tier answers the same way whichever window ran out, as users of Qwen OAuth saw it.
  const native =
    style === 'dashscope-free'
      ? { code: 'Throttling.AllocationQuota', message: q.message ?? 'Free allocated quota exceeded.' }
      : q.window === 'day'
        ? {
            code: 'Throttling.AllocationQuota',
            message: q.message ?? 'Allocated quota exceeded, please increase your quota limit.',
          }
        : { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' };
  if (!q.compatibleMode) return { status: 429, body: { ...native, request_id: q.requestId } };
  const compatible =
    native.code === 'Throttling.RateQuota'
      ? openAiError(native.message, 'limit_requests', 'limit_requests')
      : openAiError(native.message, 'insufficient_quota', 'insufficient_quota');
  return { status: 429, body: { ...compatible, request_id: q.requestId } };
}

function openRouterQuota(q: QuotaContext): Reply {
  const headers = openRouterRateLimitHeaders(exhaustedSnapshot(q));
  const message =
    q.window === 'day'
      ? 'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day'
      : 'Rate limit exceeded: free-models-per-min. ';
  return { status: 429, headers, body: { error: { message, code: 429, metadata: { headers, provider_name: null } } } };
}

function codingPlanQuota(q: QuotaContext): Reply {
  if (q.window === 'minute')
    return {
      status: 429,
      body: {
        ...openAiError('Requests rate limit exceeded, please try again later.', 'limit_requests', 'limit_requests'),
        request_id: q.requestId,
      },
    };
  return {
    status: 429,
    body: {
      ...openAiError(
        'Allocated quota exceeded, please increase your quota limit.',
        'insufficient_quota',
        'insufficient_quota',
      ),
      request_id: q.requestId,
    },
  };
}

function geminiQuota(q: QuotaContext): Reply {
  const daily = q.window === 'day';
  const limit = daily ? q.tracker.snapshot('day').requestLimit : q.tracker.snapshot('minute').requestLimit;
  const quotaId = daily
    ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'
    : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  // Google suggests a wait of seconds even when the day is spent.
  const retry = q.tracker.retryAfterSeconds('minute');
  return {
    status: 429,
    body: googleError(
      429,
      'RESOURCE_EXHAUSTED',
      `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded for metric: ${metric}, limit: ${limit}, model: ${q.model}\nPlease retry in ${retry}s.`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [
            {
              description: 'Learn more about Gemini API quotas',
              url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
            },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaMetric: metric, quotaId, quotaDimensions: { location: 'global', model: q.model } }],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retry}s` },
      ],
    ),
  };
}

/** `YYYY-MM-DD HH:MM:SS` in Beijing time (UTC+8), as Z.ai writes a reset. */
function beijingTime(epoch: number): string {
  return new Date(epoch + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function zaiQuota(q: QuotaContext): Reply {
  const error = (code: string, message: string): Reply => ({ status: 429, body: { error: { code, message } } });
  switch (q.window) {
    case 'minute':
      return error(
        '1302',
        'High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits',
      );
    case '5h':
      return error('1308', `已达到 5 小时的使用上限。您的限额将在 ${beijingTime(q.tracker.resetAt('5h'))} 重置。`);
    case 'week':
      return error('1310', `您已达到每周/每月使用上限,您的限额将在 ${beijingTime(q.tracker.resetAt('week'))} 重置`);
    case 'day':
      return error('1304', '该 API 已达今日调用次数限额,如有更多需求,请联系客服购买');
  }
}

/**
 * Turns a backend's error response into one `ProviderError`. The backend's own code or type
 * decides first, the HTTP status second; message text never decides where a structured field
 * exists. Body shapes, as the providers send them:
 * - OpenAI: `{"error":{"message","type","param","code"}}`; billing errors share the type
 *   `insufficient_quota` and differ in `code`
 *   (https://help.openai.com/en/articles/6614457-troubleshooting-api-usage-and-spend-limits,
 *   https://developers.openai.com/api/docs/guides/spend-limits.md).
 * - Anthropic: `{"type":"error","error":{"type","message","details"?},"request_id"}`
 *   (https://docs.claude.com/en/api/errors); a monthly spend cap is a 429 `rate_limit_error` told
 *   apart only by `error.details.error_code = enforced_spend_limit_reached`
 *   (https://www.developersdigest.tech/errors/api/anthropic-api/429-enforced-spend-limit-reached).
 * - DashScope native `{"code","message","request_id"}` and compatible mode
 *   `{"error":{"code","message","type","param"}}` (https://help.aliyun.com/en/model-studio/error-code,
 *   https://alibabacloud.com/help/en/model-studio/developer-reference/error-code).
 * - DeepSeek: OpenAI-shaped but generic, e.g. 402 `{"error":{"message":"Insufficient Balance",
 *   "type":"unknown_error","param":null,"code":"invalid_request_error"}}`
 *   (https://github.com/Aider-AI/aider/issues/4851), so its status decides
 *   (https://api-docs.deepseek.com/quick_start/error_codes).
 * - OpenRouter: `{"error":{"code":<number>,"message","metadata"?}}`; a 402 names the exhausted
 *   limit in `metadata.limit_source`; after a 200 an error arrives as an SSE `data:` event with an
 *   `error` field (https://openrouter.ai/docs/errors, https://openrouter.ai/docs/api_reference/limits).
 * - Z.ai / Zhipu (GLM): `{"error":{"code":"1308","message"}}`, a business code as a string under a
 *   status that says less (most are 429), or `{"type":"error","error":{"type":"1113",…}}` on its
 *   Anthropic-compatible endpoint (https://docs.bigmodel.cn/cn/api/api-code,
 *   https://docs.z.ai/api-reference/api-code).
 * - Gemini: Google's `{"error":{"code":<number>,"message","status","details":[…]}}`, which the
 *   OpenAI-compatible endpoint wraps in a one-element list; `status` is Google's canonical code
 *   (`RESOURCE_EXHAUSTED`, `INVALID_ARGUMENT`, …) and the details say more (see googleErrors.ts).
 */
import { isRetryableKind, kindFromStatus, ProviderError, type ProviderErrorKind } from './providerError';
import { headerGetter, parseRateLimitHeaders, waitFromSnapshot, type HeaderSource } from './rateLimitHeaders';
import { nextPacificMidnight, readGoogleDetails } from './googleErrors';
import { redactSecrets } from './redact';
import { CODE_WORDS, PREFIX } from './errorWords';
import { isRecord } from '../jsonValue';

export { headerGetter, type HeaderSource } from './rateLimitHeaders';

/**
 * Codes and types that decide a kind by themselves, lower-cased. Generic ones are left out on
 * purpose (`invalid_request_error`, `InvalidParameter`, DeepSeek's `unknown_error`): there the
 * status says more.
 */
const CODE_KINDS: ReadonlyMap<string, ProviderErrorKind> = new Map<string, ProviderErrorKind>([
  // OpenAI billing codes; retrying does not restore access until someone pays or raises a limit.
  ['insufficient_quota', 'quota-exhausted'],
  ['credit_balance_exhausted', 'quota-exhausted'],
  ['organization_spend_limit_exceeded', 'quota-exhausted'],
  ['project_spend_limit_exceeded', 'quota-exhausted'],
  ['organization_usage_limit_exceeded', 'quota-exhausted'],
  ['enforced_spend_limit_reached', 'quota-exhausted'],
  // DashScope sends this code both for "Free allocated quota exceeded." (free tier spent) and for
  // "Allocated quota exceeded, please increase your quota limit.", which its rate-limit page calls
  // a tokens-per-minute limit (https://www.alibabacloud.com/help/en/model-studio/rate-limit). Only
  // the message tells them apart, so the code decides: a spent quota is the failure that must not
  // be retried in a loop, and a per-minute limit wrongly called spent costs one fallback.
  ['throttling.allocationquota', 'quota-exhausted'],
  // 403 when "use free tier only" is on and the free tier is spent
  // (https://github.com/axoviq-ai/synthadoc/issues/215).
  ['allocationquota.freetieronly', 'quota-exhausted'],
  ['billing_error', 'insufficient-balance'],
  // Moonshot suspends a prepaid account whose balance reached zero with this type, as a 429 or a
  // 403 (forum.moonshot.ai/t/api-billing-behaviour/111, kimi.com/help/kimi-api/api-error-codes).
  ['exceeded_current_quota_error', 'insufficient-balance'],
  // A LiteLLM proxy's key, user or team budget spent (429, 400 in older versions): retrying is
  // refused until the budget resets or is raised.
  ['budget_exceeded', 'quota-exhausted'],
  // one-api / new-api gateways (a team's relay) out of credit, as a 403 or a 429.
  ['insufficient_user_quota', 'insufficient-balance'],
  ['arrearage', 'insufficient-balance'],
  ['prepaidbilloverdue', 'insufficient-balance'],
  ['postpaidbilloverdue', 'insufficient-balance'],
  ['rate_limit_exceeded', 'rate-limited'],
  ['rate_limit_error', 'rate-limited'],
  ['rate_limit_reached_error', 'rate-limited'],
  ['slow_down', 'rate-limited'],
  ['throttling', 'rate-limited'],
  ['throttling.ratequota', 'rate-limited'],
  ['limitrequests', 'rate-limited'],
  ['overloaded_error', 'overloaded'],
  ['server_is_overloaded', 'overloaded'],
  ['engine_overloaded_error', 'overloaded'],
  ['modelunavailable', 'overloaded'],
  ['invalid_api_key', 'auth'],
  ['invalidapikey', 'auth'],
  ['authentication_error', 'auth'],
  ['permission_error', 'auth'],
  ['invalid_authentication_error', 'auth'],
  ['model_not_found', 'model-not-found'],
  ['modelnotfound', 'model-not-found'],
  ['not_found_error', 'model-not-found'],
  ['context_length_exceeded', 'context-too-long'],
  // llama.cpp's llama-server, with `n_prompt_tokens` and `n_ctx` beside it (tools/server/utils.hpp).
  ['exceed_context_size_error', 'context-too-long'],
  // Z.ai / Zhipu business codes. Most come as 429, which alone would read as a rate limit: a spent
  // plan window (1308: the GLM Coding Plan's 5 hours, 1310: its week or month), a day's calls
  // (1304), an expired plan (1309) or arrears (1113) are not lifted by retrying.
  ['1000', 'auth'],
  ['1001', 'auth'],
  ['1002', 'auth'],
  ['1003', 'auth'],
  ['1004', 'auth'],
  ['1110', 'auth'],
  ['1111', 'auth'],
  ['1112', 'auth'],
  ['1121', 'auth'],
  ['1113', 'insufficient-balance'],
  ['1211', 'model-not-found'],
  ['1311', 'model-not-found'],
  ['1261', 'context-too-long'],
  ['1302', 'rate-limited'],
  ['1303', 'rate-limited'],
  ['1305', 'rate-limited'],
  ['1313', 'rate-limited'],
  ['1304', 'quota-exhausted'],
  ['1308', 'quota-exhausted'],
  ['1309', 'quota-exhausted'],
  ['1310', 'quota-exhausted'],
  ['1312', 'overloaded'],
  // Google's canonical codes (Gemini's `error.status`) and its ErrorInfo reason for a bad key,
  // which comes as a 400 INVALID_ARGUMENT. INVALID_ARGUMENT itself is generic: the status decides.
  ['api_key_invalid', 'auth'],
  ['unauthenticated', 'auth'],
  ['permission_denied', 'auth'],
  ['resource_exhausted', 'rate-limited'],
  ['unavailable', 'overloaded'],
  ['deadline_exceeded', 'timeout'],
  ['internal', 'server'],
  ['request_too_large', 'context-too-long'],
  ['requesttimeout', 'timeout'],
  ['api_error', 'server'],
  ['server_error', 'server'],
  ['internalerror', 'server'],
  ['systemerror', 'server'],
  // Anthropic also answers a spend limit the user set with a 400 `invalid_request_error`, known
  // only by its message ("You have reached your specified API usage limits"); with no structured
  // field that stays a bad request
  // (https://www.developersdigest.tech/errors/api/anthropic-api/400-spend-limit-reached).
]);

/**
 * A prompt past the model's context, in the words of servers that give it no code of its own:
 * vLLM (a 400 typed only `BadRequestError`: "This model's maximum context length is 4096
 * tokens…"), LM Studio (a bare `{"error":"…loaded with context length of only 4096 tokens…"}`),
 * llama.cpp builds before its error type, and proxies in front of them. Read only for a 400 whose
 * fields decide nothing, which would otherwise be a plain bad request: the chat would call the
 * request invalid and offer no new chat, and a completion could not tell it from a refused option.
 */
const CONTEXT_WORDS =
  /maximum context length|context length of only|exceeds the available context size|context window/i;

/** OpenRouter 402s name the exhausted limit: the account's credits, or a cap set on the key. */
const LIMIT_SOURCE_KINDS: ReadonlyMap<string, ProviderErrorKind> = new Map<string, ProviderErrorKind>([
  ['openrouter_credits', 'insufficient-balance'],
  ['openrouter_key_limit', 'quota-exhausted'],
]);

const MAX_MESSAGE_CHARS = 300;

/** What an error body says, read defensively: any field may be missing or of another type. */
interface ErrorFacts {
  /** Structured identifiers, most specific first. */
  identifiers: string[];
  /** OpenRouter's `error.code` is the HTTP status as a number. */
  numericCode?: number;
  message?: string;
  limitSource?: string;
  requestId?: string;
  /** OpenRouter repeats rate-limit headers in `error.metadata.headers`. */
  bodyHeaders?: Record<string, string>;
  /** Google's per-day quota the request ran past (Gemini): spent until midnight Pacific. */
  dailyQuota?: string;
  /** Google's `RetryInfo.retryDelay`, in ms. */
  retryDelayMs?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function readFacts(body: unknown): ErrorFacts {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      // Cloudflare answers some errors (Anthropic's 413, 5xx pages) in HTML; that is no message.
      return { identifiers: [], message: /^\s*</.test(body) ? undefined : text(body) };
    }
  }
  if (typeof value === 'string') return { identifiers: [], message: text(value) };
  // Gemini's OpenAI-compatible endpoint sends Google's error object in a one-element list.
  if (Array.isArray(value) && isRecord(value[0])) value = value[0];
  if (!isRecord(value)) return { identifiers: [] };

  // openai-node's APIError.error is the body's inner `error` member, the Anthropic SDK's the whole
  // body; a record with no `error` of its own is read as the error object itself.
  const error = isRecord(value.error) ? value.error : value;
  const details = isRecord(error.details) ? error.details : undefined;
  const metadata = isRecord(error.metadata) ? error.metadata : undefined;
  const google = readGoogleDetails(error);
  const identifiers = [
    text(details?.error_code),
    google.reason,
    text(error.code),
    text(value.code),
    text(error.type),
    text(error.status),
  ].filter((id): id is string => id !== undefined);
  let bodyHeaders: Record<string, string> | undefined;
  if (isRecord(metadata?.headers)) {
    bodyHeaders = {};
    for (const [key, headerValue] of Object.entries(metadata.headers)) {
      if (typeof headerValue === 'string') bodyHeaders[key.toLowerCase()] = headerValue;
    }
  }
  return {
    identifiers,
    numericCode: typeof error.code === 'number' ? error.code : undefined,
    message:
      text(error.message) ??
      text(value.message) ??
      text(value.error) ??
      validationMessage(error.message) ??
      validationMessage(value),
    limitSource: text(metadata?.limit_source),
    requestId: text(value.request_id),
    bodyHeaders,
    dailyQuota: google.dailyQuota,
    retryDelayMs: google.retryDelayMs,
  };
}

/**
 * FastAPI's validation errors, as Mistral (inside `message`) and vLLM (at the top) send them:
 * `detail: [{loc: ["body", "stream_options", …], msg}]` read as "stream_options.…: msg".
 */
function validationMessage(value: unknown): string | undefined {
  const detail = isRecord(value) ? value.detail : undefined;
  if (!Array.isArray(detail)) return text(detail);
  const parts = detail.slice(0, 3).flatMap((item: unknown) => {
    if (!isRecord(item) || typeof item.msg !== 'string') return [];
    const loc = Array.isArray(item.loc)
      ? item.loc
          .filter((part) => part !== 'body')
          .map(String)
          .join('.')
      : '';
    return [loc ? `${loc}: ${item.msg}` : item.msg];
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The kind the body's structured fields decide, and the field that decided it. */
function kindFromFacts(facts: ErrorFacts): { kind: ProviderErrorKind; code: string } | undefined {
  const bySource = facts.limitSource ? LIMIT_SOURCE_KINDS.get(facts.limitSource) : undefined;
  if (bySource && facts.limitSource) return { kind: bySource, code: facts.limitSource };
  // A day's quota spent is not a rate limit, whatever else the request also ran past.
  if (facts.dailyQuota) return { kind: 'quota-exhausted', code: facts.dailyQuota };
  for (const id of facts.identifiers) {
    const kind = CODE_KINDS.get(id.toLowerCase());
    if (kind) return { kind, code: id };
  }
  return undefined;
}

function userMessage(
  kind: ProviderErrorKind,
  where: string,
  backendMessage: string | undefined,
  apiKey?: string,
  code?: string,
): string {
  const words = code ? CODE_WORDS.get(code.toLowerCase()) : undefined;
  if (words) backendMessage = `${words.explanation}${backendMessage ? ` ${backendMessage}` : ''}`;
  const head = `${words?.prefix ?? PREFIX[kind]} (${where})`;
  if (!backendMessage) return `${head}.`;
  const clean = redactSecrets(backendMessage.replace(/\s+/g, ' ').trim(), [apiKey]);
  const short = clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS - 1)}…` : clean;
  return `${head}: ${short}`;
}

/** Real headers first, then those OpenRouter copied into the body. */
function withBodyHeaders(headers: HeaderSource, bodyHeaders: Record<string, string>): HeaderSource {
  const merged: Record<string, string> = { ...bodyHeaders };
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => (merged[key.toLowerCase()] = value));
  } else {
    const get = headerGetter(headers);
    for (const key of Object.keys(headers)) {
      const value = get(key);
      if (value !== undefined) merged[key.toLowerCase()] = value;
    }
  }
  return merged;
}

export interface HttpErrorInput {
  providerId: string;
  status: number;
  /** The parsed JSON body, its inner `error` object (as openai-node's `APIError.error`), or the raw text. */
  body: unknown;
  headers: HeaderSource;
  /** Redacted from the message if the backend echoes it. */
  apiKey?: string;
  /** Epoch ms; defaults to `Date.now()`. Resets and HTTP dates are measured from it. */
  now?: number;
}

/** The `ProviderError` for a non-2xx HTTP response. */
export function classifyHttpError(input: HttpErrorInput): ProviderError {
  const now = input.now ?? Date.now();
  const facts = readFacts(input.body);
  const decided = kindFromFacts(facts);
  const kind =
    decided?.kind ??
    (input.status === 400 && CONTEXT_WORDS.test(facts.message ?? '')
      ? 'context-too-long'
      : kindFromStatus(input.status));

  const headers = facts.bodyHeaders ? withBodyHeaders(input.headers, facts.bodyHeaders) : input.headers;
  const snapshot = parseRateLimitHeaders(headers, now);
  let retryAfterMs: number | undefined;
  if (snapshot && isRetryableKind(kind)) {
    // A window with nothing left only explains a rate limit; other kinds wait only when told to.
    retryAfterMs = kind === 'rate-limited' ? waitFromSnapshot(snapshot, now) : snapshot.retryAfterMs;
  }
  if (isRetryableKind(kind)) retryAfterMs ??= facts.retryDelayMs;
  // Google's per-day quotas come back at midnight Pacific (its few seconds of RetryInfo would not).
  const resetAt =
    kind === 'quota-exhausted' && facts.dailyQuota !== undefined
      ? nextPacificMidnight(now)
      : retryAfterMs === undefined
        ? undefined
        : now + retryAfterMs;
  const get = headerGetter(input.headers);
  return new ProviderError({
    kind,
    providerId: input.providerId,
    status: input.status,
    message: userMessage(kind, `${input.providerId} ${input.status}`, facts.message, input.apiKey, decided?.code),
    code: decided?.code ?? facts.identifiers[0],
    retryAfterMs,
    resetAt,
    limitSource: facts.limitSource,
    requestId: snapshot?.requestId ?? get('x-request-id') ?? get('request-id') ?? facts.requestId,
  });
}

export interface StreamErrorInput {
  providerId: string;
  /** The parsed `data:` payload of the error event, or its raw text. */
  data: unknown;
  apiKey?: string;
}

/**
 * The `ProviderError` for an error that arrived inside a stream after a 200: OpenRouter's
 * `{"error":{"code","message"}}` chunk or Anthropic's `event: error` with
 * `{"type":"error","error":{"type":"overloaded_error",…}}`. With no usable signal it is a
 * server-side failure, which is retryable.
 */
export function classifyStreamError(input: StreamErrorInput): ProviderError {
  const facts = readFacts(input.data);
  const decided = kindFromFacts(facts);
  const kind =
    decided?.kind ??
    (facts.numericCode !== undefined && facts.numericCode >= 400 ? kindFromStatus(facts.numericCode) : 'server');
  return new ProviderError({
    kind,
    providerId: input.providerId,
    message: userMessage(kind, input.providerId, facts.message, input.apiKey),
    code:
      decided?.code ??
      facts.identifiers[0] ??
      (facts.numericCode === undefined ? undefined : String(facts.numericCode)),
    limitSource: facts.limitSource,
    requestId: facts.requestId,
  });
}

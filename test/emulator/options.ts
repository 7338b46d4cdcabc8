/**
 * What a test can script about the emulator: at start (`startEmulator(options)`) and while it
 * runs (`emulator.configure(settings)`). Every field is read at request time, so a change applies
 * to the next request.
 */
import type { FimResponder, FimRule } from './answers';

/** Whose wire conventions a route follows: auth header, error bodies, rate-limit headers. */
export type Dialect =
  | 'openai'
  | 'dashscope'
  | 'anthropic'
  | 'ollama'
  | 'deepseek'
  | 'mistral'
  | 'openrouter'
  | 'litellm'
  /** Alibaba's Coding Plan (coding-intl.dashscope.aliyuncs.com/v1): DashScope's compatible mode on a host of its own. */
  | 'coding-plan'
  /** Z.ai: the GLM Coding Plan's OpenAI-compatible root and its quota endpoint. */
  | 'zai'
  /** Google's Gemini API, at its OpenAI-compatible root (`/v1beta/openai`). */
  | 'gemini';

/** Whose exact 429/402 body and headers an exhausted scripted quota answers with. */
export type QuotaStyle =
  | 'openai'
  | 'anthropic'
  | 'dashscope'
  | 'dashscope-free'
  | 'deepseek'
  | 'openrouter'
  | 'coding-plan'
  | 'gemini'
  | 'zai';

/** A quota for one backend, overriding the emulator-wide quota fields. */
export interface BackendQuota {
  requestsPerMinute?: number;
  requestsPerDay?: number;
  /** A subscription plan's rolling window: requests in any 5 hours. */
  requestsPer5h?: number;
  /** A subscription plan's week, from Monday 00:00 UTC+8 (Alibaba's Coding Plan reset). */
  requestsPerWeek?: number;
  tokensPerMinute?: number;
  quotaStyle?: QuotaStyle;
  /** The words of the quota-exhausted error instead of the style's own (a hostile server's, say). */
  quotaMessage?: string;
}

/** The DeepSeek account behind `/user/balance`; a total of 0 makes generation answer 402. */
export interface DeepSeekAccount {
  currency?: 'CNY' | 'USD';
  grantedBalance?: number;
  toppedUpBalance?: number;
}

/** The OpenRouter key behind `/api/v1/key`; exhausted credits or key limit make generation answer 402. */
export interface OpenRouterAccount {
  label?: string;
  /** USD spent with this key. */
  usage?: number;
  /** The key's credit limit in USD; null for none. */
  limit?: number | null;
  limitReset?: 'daily' | 'weekly' | 'monthly' | null;
  isFreeTier?: boolean;
  /** Account balance in USD; 0 or less answers 402 with `limit_source: openrouter_credits`. */
  credits?: number;
  /** USD of credits ever bought; from $10 the `:free` allowance is 1,000 a day instead of 50. Default: `credits`. */
  creditsPurchased?: number;
  rateLimit?: { requests: number; interval: string };
}

/** The Z.ai GLM Coding Plan account behind `/api/monitor/usage/quota/limit`. */
export interface ZaiAccount {
  level?: 'lite' | 'pro' | 'max';
  /** Tokens allowed per 5 hours (reported, not enforced). */
  tokensPer5h?: number;
  /** Answer as newer accounts do: `percentage` and `nextResetTime` only, no counts. */
  percentageOnly?: boolean;
}

/** The LiteLLM virtual key behind `/key/info`. */
export interface LiteLlmKey {
  keyAlias?: string | null;
  spend?: number;
  maxBudget?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: string | null;
}

export interface EmulatorOptions {
  port?: number;
  /** Delay before the response headers, in ms. */
  latencyMs?: number;
  /** Stream pace; 0 sends every chunk at once. */
  tokensPerSecond?: number;
  /**
   * When set, requests must carry it the way their backend expects: `Authorization: Bearer` for
   * OpenAI-compatible routes, `x-api-key` for Anthropic. Ollama never asks for one.
   */
  apiKey?: string;
  /**
   * Echo a refused key whole in 401 messages, as some self-hosted gateways do, so tests can check
   * that nothing downstream repeats it.
   */
  echoRejectedKey?: boolean;
  /**
   * Answer 400 to a `/completions` request that carries `stream_options`, as OpenAI-compatible
   * proxies that predate the field do ("Unrecognized request argument supplied: stream_options").
   */
  refuseStreamOptions?: boolean;
  fimRules?: readonly FimRule[];
  /** Answers FIM requests from the text around the cursor before the rules are tried (benchmarks). */
  fimResponder?: FimResponder;
  /** Answers a chat question (not a hole-fill) in place of the emulator's own words, when it returns text. */
  chatResponder?: (question: string) => string | undefined;
  /**
   * Report cache hits as the hosted backends do (DeepSeek, OpenAI, Model Studio, the Coding Plan):
   * the longest prefix a prompt shares with a recent one on the same backend, by each backend's
   * rules (prefixCache.ts). Off by default, so usage stays simple for tests that do not ask.
   */
  implicitPrefixCache?: boolean;
  /**
   * A hostile or broken server's counts: every usage object the emulator reports (the
   * OpenAI-style `usage`, Anthropic's usage in `message_start`, `message_delta` and a whole
   * message, Ollama's `prompt_eval_count` and `eval_count`) goes through this, and what it returns
   * is sent in its place, the rest of the wire format unchanged (a field set to undefined is left
   * out). `where` says which one it is.
   */
  reportUsage?: (usage: Record<string, unknown>, where: UsageReport) => Record<string, unknown>;
  /** How the emulated Ollama sizes its context window (see `OllamaContext`). */
  ollama?: OllamaContext;
  /** Model ids every backend lists (Ollama shows them as `id:latest`). */
  models?: readonly string[];
  /** Generation requests allowed per clock minute; more answer 429. */
  requestsPerMinute?: number;
  /** Generation requests allowed per UTC day; more answer the style's quota-exhausted error. */
  requestsPerDay?: number;
  /** Shown in OpenAI/Anthropic token rate-limit headers (not enforced). */
  tokensPerMinute?: number;
  /** Whose error body answers an exhausted quota; by default the route's own backend. */
  quotaStyle?: QuotaStyle;
  /**
   * Per-backend quotas (each backend counts its own requests, as separate accounts would); a field
   * set here wins over the emulator-wide one. E.g. `{ dashscope: { requestsPerDay: 0 } }` to
   * exhaust only DashScope in a fallback test.
   */
  quotas?: Partial<Record<Dialect, BackendQuota>>;
  /** The clock (ms since the epoch) for quota windows, `created` fields and reset times. */
  now?: () => number;
  deepseek?: DeepSeekAccount;
  openrouter?: OpenRouterAccount;
  litellm?: LiteLlmKey;
  zai?: ZaiAccount;
}

/**
 * Ollama's context window: a request gets its `options.num_ctx`, else the Modelfile's
 * `PARAMETER num_ctx`, else the server's default, never more than the model was trained for; a
 * prompt longer than that is cut from its start and answered anyway (see ollamaWindow.ts). Set, it
 * also makes `/v1/chat/completions` Ollama's OpenAI-compatible chat, read in the same window.
 */
export interface OllamaContext {
  /** The server's default (OLLAMA_CONTEXT_LENGTH): 4096 unless set, as Ollama since 2025; 2048 before. */
  defaultNumCtx?: number;
  /** `<architecture>.context_length` in /api/show; 32768 unless set (Qwen2.5-Coder). */
  contextLength?: number;
  /** A Modelfile's `PARAMETER num_ctx`, by model name as /api/tags lists it (`name:latest`). */
  modelNumCtx?: Readonly<Record<string, number>>;
}

/** Which usage object `EmulatorOptions.reportUsage` is given. */
export type UsageReport = 'openai' | 'anthropic-start' | 'anthropic-delta' | 'anthropic-message' | 'ollama';

/** What `configure()` may change while the emulator runs: everything but the port. */
export type EmulatorSettings = Omit<EmulatorOptions, 'port'>;

export const DEFAULT_MODELS: readonly string[] = ['emulator-chat', 'emulator-coder'];

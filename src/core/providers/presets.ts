/**
 * The catalogue of backends a user can pick: data, not classes.
 * Every value here is a default the user can override in `switchboard.providers`.
 */

export type Protocol =
  | 'openai' // OpenAI-compatible chat/completions over the `openai` SDK
  | 'anthropic' // Anthropic Messages API over `@anthropic-ai/sdk`
  | 'ollama' // Ollama's native /api/* (chat also works over its /v1)
  | 'qwen-oauth' // Qwen Code's OAuth login (legacy free tier), OpenAI-compatible once authorised
  | 'vscode-lm'; // the chat models VS Code itself offers (vscode.lm), reached through the editor, not HTTP

/** How fill-in-the-middle reaches the backend, best first. */
export type FimRoute =
  | 'completions-suffix' // OpenAI-compatible /v1/completions with a `suffix` field (SiliconFlow, some gateways)
  | 'deepseek-beta' // DeepSeek POST /beta/completions {model, prompt, suffix}
  | 'mistral-fim' // Mistral/Codestral POST /v1/fim/completions
  | 'ollama-generate' // Ollama /api/generate with `suffix` (or raw:true with the model's FIM tokens)
  | 'raw-template' // a model-specific FIM template sent as the prompt of /v1/completions
  | 'chat'; // a hole-filling prompt over chat, for chat-only models

import {
  ALIBABA_CODING_PLAN_CN,
  ALIBABA_CODING_PLAN_INTL,
  ZAI_GLM_CODING_PLAN,
  type SubscriptionPlan,
} from './subscriptionPlans';

/** How the key is sent. */
export type AuthStyle = 'bearer' | 'x-api-key' | 'none' | 'oauth';

/** Limits a backend publishes, so the meter can warn before they bite. */
export interface PublishedQuota {
  requestsPerMinute?: number;
  requestsPerDay?: number;
  tokensPerMinute?: number;
  /** Where the figure comes from, or what it depends on. */
  note?: string;
}

/**
 * How a backend's requests are paid for:
 * - 'paid': by the token, at a price Switchboard knows (the price dataset or its own table);
 * - 'plan': included in a subscription (a coding plan, a Copilot seat), not billed per request;
 * - 'free': costs nothing (a free tier or free model);
 * - 'local': runs on this machine;
 * - 'user': the user's own server or gateway, whose price only they know ("Set price…").
 */
export type Billing = 'paid' | 'plan' | 'free' | 'local' | 'user';

export interface Preset {
  id: string;
  name: string;
  protocol: Protocol;
  /**
   * Where the API lives, without a trailing slash. Its shape depends on `protocol`:
   * - 'openai' and 'qwen-oauth': the versioned root the `openai` SDK takes as `baseURL`, with the
   *   API version in its path (`…/v1`, `…/compatible-mode/v1`, `…/v1beta/openai`, `…/api/paas/v4`);
   *   the SDK appends `/chat/completions`, `/completions`, `/models`.
   * - 'anthropic': the host root (`https://api.anthropic.com`); the SDK adds `/v1/messages`.
   * - 'ollama': the server root (`http://127.0.0.1:11434`); the client adds `/api/…` for the
   *   native API and `/v1` for its OpenAI-compatible routes.
   * - 'vscode-lm': empty; the editor's models have no address of their own.
   */
  baseUrl: string;
  authStyle: AuthStyle;
  /** Environment variable that holds the key, read as a fallback to SecretStorage. */
  apiKeyEnv?: string;
  /** Local servers need no key. */
  requiresKey: boolean;
  /** True for servers on this machine: cost $0, found by probing their default port. */
  local?: boolean;
  chatModel: string;
  completionModel: string;
  fimRoute: FimRoute;
  /** A different base URL for FIM, when the backend serves it elsewhere (DeepSeek's /beta). */
  fimBaseUrl?: string;
  /**
   * False where the server refuses OpenAI's `stream_options` (Mistral's API answers 422 "Extra inputs
   * are not permitted"); its streams report usage unasked.
   */
  streamOptions?: false;
  /**
   * How a completion turns off the thinking its models do by default: `thinking: {"type":
   * "disabled"}` on Z.ai's GLM-4.5 and later and Moonshot's Kimi K2.5 and later;
   * `enable_thinking: false` on Alibaba's endpoints, where Qwen3.5 and later (and the open Qwen3
   * models) think unless told not to; `reasoning: {"effort": "none"}` on OpenRouter, which
   * normalizes it across its models (and ignores it for those that do not reason);
   * `reasoning_effort` at the least each Gemini model takes (see geminiThinking.ts);
   * `reasoning_effort: "none"` on an OpenAI-compatible endpoint of Ollama, the only switch it reads
   * there (ollama/ollama#12004, ollama/ollama#14820; the Ollama preset's own client sends
   * `think: false` over /api/chat instead, see ollamaChat.ts), and on LM Studio's, which reads it
   * since 0.4.17 (lmstudio-bug-tracker#2057) and ignores the template's kwargs (#1990); `chat_template_kwargs:
   * {"enable_thinking": false}` on llama.cpp's server and vLLM, which hand it to the model's chat
   * template (Qwen3's hybrids think unless it says not to).
   * A thinking model spends a completion's few tokens, and seconds, on reasoning before any answer.
   */
  thinkingSwitch?:
    'thinking-type' | 'enable-thinking' | 'reasoning-effort' | 'gemini-effort' | 'effort-none' | 'template-kwargs';
  /** Other models worth offering in pickers. */
  models?: readonly string[];
  quota?: PublishedQuota;
  /** Where the backend tells its balance or budget, when it does. */
  balance?: 'openrouter' | 'deepseek' | 'litellm' | 'moonshot';
  /** How requests are paid for; 'paid' (or 'local' for local servers) when unset. */
  billing?: Billing;
  /** The subscription whose windows limit this backend, for `billing: 'plan'`. */
  plan?: SubscriptionPlan;
  /** Keys for this backend start so; a key of another form is for another endpoint. */
  keyPrefix?: string;
  /** Why a key the user believes right may be refused here: said beside a refused key. */
  keyNote?: string;
  /**
   * The vendor's domains, where its key variable (`apiKeyEnv`) may go: an entry pointed anywhere
   * else (a proxy, a gateway) gets the variable only by naming it. The base URL's domain when unset.
   */
  keyDomains?: readonly string[];
  /** A backend that no longer serves new requests (the Qwen OAuth free tier, ended 2026-04-15). */
  discontinued?: { since: string; message: string };
  docs: string;
}

// Values checked against the provider's own pages in the stored documentation corpus (late 2026);
// each entry's `docs` is the page it was checked against. A value that could not be confirmed
// there carries an `// unverified:` note. Every value stays overridable in `switchboard.providers`.

/** Qwen Code's documented OAuth free tier ended on this day (QwenLM/qwen-code PR #3291). */
const QWEN_OAUTH_END = '2026-04-15';

// Alibaba Model Studio (DashScope). The `dashscope*.aliyuncs.com` hosts are the "DashScope domain":
// shared, still served, and accepting a key from any workspace of the region. Alibaba now
// recommends workspace-dedicated hosts (`{WorkspaceId}.{region}.maas.aliyuncs.com/compatible-mode/v1`)
// for production; those embed the user's workspace id, so they can only be a user override.
// Keys are per region: a Singapore key does not work against Beijing or Virginia.
const DASHSCOPE_BASE_URL_DOCS = 'https://www.alibabacloud.com/help/en/model-studio/base-url';
const DASHSCOPE_KEY_NOTE =
  'Model Studio keys work only in the region whose console made them (Singapore, US Virginia and China Beijing keys differ): if this key comes from another region, add that region’s “Qwen (Alibaba Model Studio, …)” backend instead.';
const DASHSCOPE_QUOTA: PublishedQuota = {
  note: 'Per-model RPM/TPM limits are on Model Studio\'s "Throttling" page and differ by region; new accounts get a per-model free token allowance that expires. Quota errors: 429 Throttling.AllocationQuota / insufficient_quota.',
};
// Model Studio's OpenAI-compatible Completions API (/completions, FIM tokens in the prompt) is
// documented for China (Beijing) only. In Singapore and Virginia FIM therefore goes over chat.
// "Partial mode" (a trailing assistant message with `partial: true`) is available there for
// qwen3-coder-plus/flash, but it only continues a prefix and cannot see the suffix, so it is not
// a fill-in-the-middle route.
const QWEN_CODER_CHAT_MODELS = ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-coder-next'] as const;

export const PRESETS: readonly Preset[] = [
  {
    id: 'custom',
    name: 'OpenAI-compatible server',
    protocol: 'openai',
    // A placeholder: the user sets the address of their own server.
    baseUrl: 'http://127.0.0.1:8000/v1',
    authStyle: 'none',
    requiresKey: false,
    billing: 'user',
    chatModel: 'default',
    completionModel: 'default',
    // The legacy OpenAI shape; servers that reject `suffix` need `raw-template` (see vllm below).
    fimRoute: 'completions-suffix',
    docs: 'https://platform.openai.com/docs/api-reference/completions',
  },

  // ── Qwen ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'dashscope-intl',
    name: 'Qwen (Alibaba Model Studio, Singapore)',
    protocol: 'openai',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    apiKeyEnv: 'DASHSCOPE_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'qwen3-coder-plus',
    // Fast and listed for Singapore; /completions FIM is Beijing-only, so completion is a chat hole-fill.
    completionModel: 'qwen3-coder-flash',
    fimRoute: 'chat',
    thinkingSwitch: 'enable-thinking',
    models: [
      ...QWEN_CODER_CHAT_MODELS,
      // unverified: the qwen2.5-coder instruct models are documented for Beijing; Singapore availability not confirmed.
      'qwen2.5-coder-32b-instruct',
      'qwen2.5-coder-7b-instruct',
    ],
    keyNote: DASHSCOPE_KEY_NOTE,
    quota: DASHSCOPE_QUOTA,
    docs: 'https://www.alibabacloud.com/help/en/model-studio/qwen-coder',
  },
  {
    id: 'dashscope-us',
    name: 'Qwen (Alibaba Model Studio, US Virginia)',
    protocol: 'openai',
    // Bound to the "Global" (and "United States") deployment scope.
    baseUrl: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
    apiKeyEnv: 'DASHSCOPE_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // unverified: the Virginia model list was not found; these are the Singapore defaults.
    chatModel: 'qwen3-coder-plus',
    completionModel: 'qwen3-coder-flash',
    fimRoute: 'chat',
    thinkingSwitch: 'enable-thinking',
    models: [...QWEN_CODER_CHAT_MODELS],
    keyNote: DASHSCOPE_KEY_NOTE,
    quota: DASHSCOPE_QUOTA,
    docs: DASHSCOPE_BASE_URL_DOCS,
  },
  {
    id: 'dashscope-cn',
    name: 'Qwen (Alibaba Model Studio, China Beijing)',
    protocol: 'openai',
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    apiKeyEnv: 'DASHSCOPE_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'qwen3-coder-plus',
    // Alibaba recommends qwen2.5-coder-7b-instruct (or qwen-coder-turbo) where completion speed matters.
    completionModel: 'qwen2.5-coder-7b-instruct',
    // Beijing's /completions serves qwen2.5-coder-*-instruct and qwen-coder-turbo with the FIM
    // tokens written into the prompt: `<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>`.
    // The documented request has no `suffix` field, so this is a raw template, not completions-suffix.
    fimRoute: 'raw-template',
    thinkingSwitch: 'enable-thinking',
    models: [...QWEN_CODER_CHAT_MODELS, 'qwen2.5-coder-32b-instruct', 'qwen2.5-coder-14b-instruct', 'qwen-coder-turbo'],
    keyNote: DASHSCOPE_KEY_NOTE,
    quota: DASHSCOPE_QUOTA,
    docs: 'https://www.alibabacloud.com/help/en/model-studio/completions',
  },
  // Alibaba Cloud Coding Plan: a flat monthly subscription with request windows (5 h, week,
  // month), on endpoints and keys of its own (`sk-sp-…`; a Model Studio key does not work there).
  // Qwen Code's VS Code companion uses these base URLs (packages/vscode-ide-companion/src/services/
  // subscriptionPlanDefinitions.ts). When a window is spent, calls fail; they never fall back to
  // pay-as-you-go.
  {
    id: 'coding-plan-intl',
    name: 'Alibaba Coding Plan (international)',
    protocol: 'openai',
    baseUrl: 'https://coding-intl.dashscope.aliyuncs.com/v1',
    // The variable Qwen Code's own setup uses for Coding Plan keys (Bailian is Model Studio's Chinese name).
    apiKeyEnv: 'BAILIAN_CODING_PLAN_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    keyPrefix: 'sk-sp-',
    billing: 'plan',
    plan: ALIBABA_CODING_PLAN_INTL,
    chatModel: 'qwen3-coder-plus',
    // The plan's fast coder; qwen3-coder-flash is not among the plan's models.
    completionModel: 'qwen3-coder-next',
    fimRoute: 'chat',
    thinkingSwitch: 'enable-thinking',
    models: ['qwen3-coder-next', 'qwen3.7-plus', 'qwen3-max-2026-01-23', 'glm-5', 'kimi-k2.5'],
    docs: 'https://www.alibabacloud.com/help/en/model-studio/coding-plan',
  },
  {
    id: 'coding-plan-cn',
    name: 'Alibaba Coding Plan (China)',
    protocol: 'openai',
    baseUrl: 'https://coding.dashscope.aliyuncs.com/v1',
    apiKeyEnv: 'BAILIAN_CODING_PLAN_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    keyPrefix: 'sk-sp-',
    billing: 'plan',
    plan: ALIBABA_CODING_PLAN_CN,
    chatModel: 'qwen3-coder-plus',
    completionModel: 'qwen3-coder-next',
    fimRoute: 'chat',
    thinkingSwitch: 'enable-thinking',
    models: ['qwen3-coder-next', 'qwen3.7-plus', 'qwen3-max-2026-01-23', 'glm-5', 'kimi-k2.5'],
    docs: 'https://help.aliyun.com/zh/model-studio/coding-plan',
  },
  {
    id: 'qwen-oauth',
    name: 'Qwen Code login (legacy free tier)',
    protocol: 'qwen-oauth',
    // `https://{resource_url}/v1` from ~/.qwen/oauth_creds.json; `resource_url` is usually portal.qwen.ai.
    baseUrl: 'https://portal.qwen.ai/v1',
    authStyle: 'oauth',
    requiresKey: true,
    // It was a free tier; it has ended, so nothing more is billed either.
    billing: 'free',
    chatModel: 'qwen3-coder-plus',
    completionModel: 'qwen3-coder-flash',
    fimRoute: 'chat',
    models: ['qwen3-coder-plus', 'qwen3-coder-flash'],
    quota: {
      requestsPerDay: 2000,
      requestsPerMinute: 60,
      note: 'Historical figures from 2025-08; cut to 1,000/day (qwen-code PR #1730, 2026-02) and 100/day (#3203, 2026-04-13) before the tier ended on 2026-04-15 (#3291). There was never a quota API.',
    },
    discontinued: {
      since: QWEN_OAUTH_END,
      message:
        "The Qwen Code OAuth free tier ended on 2026-04-15; logins now fail with 401. Use Qwen through Alibaba's Coding Plan (coding-plan-intl or coding-plan-cn, a flat monthly subscription), Alibaba Model Studio pay-as-you-go (dashscope-intl, dashscope-us or dashscope-cn with a DASHSCOPE_API_KEY), the free qwen/qwen3-coder:free on OpenRouter (openrouter), or a local qwen2.5-coder in Ollama (ollama).",
    },
    docs: 'https://github.com/QwenLM/qwen-code',
  },

  // ── Frontier labs ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'openai',
    name: 'OpenAI',
    protocol: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'gpt-5.5',
    // OpenAI's pick "for latency and cost"; current models no longer accept `suffix`.
    completionModel: 'gpt-5.4-mini',
    fimRoute: 'chat',
    models: ['gpt-5.4', 'gpt-5.4-nano', 'gpt-4.1-mini'],
    quota: { note: "Limits depend on the organisation's usage tier; read the x-ratelimit-* headers." },
    docs: 'https://developers.openai.com/docs/models',
  },
  {
    id: 'anthropic',
    name: 'Anthropic Claude',
    protocol: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    authStyle: 'x-api-key',
    requiresKey: true,
    // Aliases from Anthropic's model catalogue. A newer Sonnet ("Sonnet 5") is listed there, but its
    // id was only a placeholder in the copy available, so it is not offered here.
    chatModel: 'claude-sonnet-4-6',
    completionModel: 'claude-haiku-4-5',
    fimRoute: 'chat',
    models: ['claude-opus-4-8', 'claude-sonnet-4-5'],
    quota: { note: 'Limits depend on the usage tier; read the anthropic-ratelimit-* headers.' },
    docs: 'https://platform.claude.com/docs/en/about-claude/models/overview',
  },
  {
    id: 'gemini',
    name: 'Google Gemini',
    protocol: 'openai',
    // Google documents the root with a trailing slash; kept without it like every other entry.
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    apiKeyEnv: 'GEMINI_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'gemini-3.8-flash',
    completionModel: 'gemini-3.5-flash-lite',
    fimRoute: 'chat',
    thinkingSwitch: 'gemini-effort',
    models: ['gemini-3.1-pro-preview', 'gemini-3.7-flash', 'gemini-3.1-flash-lite'],
    quota: {
      note: 'Free-tier RPM/RPD are per model and per project, shown only in AI Studio (aistudio.google.com/rate-limit).',
    },
    docs: 'https://ai.google.dev/gemini-api/docs/openai',
  },

  // ── Code-specialised APIs ───────────────────────────────────────────────────────────────────
  {
    id: 'deepseek',
    balance: 'deepseek',
    name: 'DeepSeek',
    protocol: 'openai',
    // DeepSeek documents `https://api.deepseek.com`; `/v1` is an accepted alias (not a model
    // version) and keeps the SDK base URL uniform.
    baseUrl: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // deepseek-chat / deepseek-reasoner were aliases of deepseek-v4-flash (non-thinking / thinking)
    // and stopped being served after 2026-07-24.
    // unverified: a third-party changelog (2026-09) says DeepSeek V4.1 Flash is served as `deepseek-flash`.
    chatModel: 'deepseek-v4-flash',
    completionModel: 'deepseek-v4-flash',
    // POST /beta/completions {model, prompt, suffix}; non-thinking mode only, output ≤ 4K tokens.
    fimRoute: 'deepseek-beta',
    fimBaseUrl: 'https://api.deepseek.com/beta',
    models: ['deepseek-v4-pro'],
    quota: {
      note: 'No published rate limit; the pricing page lists a concurrency limit (2,500 for v4-flash, 500 for v4-pro). 402 Insufficient Balance when the prepaid balance runs out.',
    },
    docs: 'https://api-docs.deepseek.com/quick_start/pricing',
  },
  {
    id: 'mistral',
    name: 'Mistral (La Plateforme)',
    protocol: 'openai',
    baseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // Medium 3.5 folded Devstral (agentic coding) into the Medium line.
    chatModel: 'mistral-medium-latest',
    completionModel: 'codestral-latest',
    fimRoute: 'mistral-fim',
    streamOptions: false,
    models: ['codestral-latest', 'devstral-small-latest', 'mistral-small-latest'],
    docs: 'https://docs.mistral.ai/capabilities/code_generation/',
  },
  {
    id: 'codestral',
    name: 'Codestral (codestral.mistral.ai)',
    protocol: 'openai',
    // The IDE endpoint: its own key, not interchangeable with an api.mistral.ai key.
    baseUrl: 'https://codestral.mistral.ai/v1',
    apiKeyEnv: 'CODESTRAL_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'codestral-latest',
    completionModel: 'codestral-latest',
    fimRoute: 'mistral-fim',
    streamOptions: false,
    quota: {
      // unverified: third-party free-tier tables (not Mistral's own pages) give these figures.
      requestsPerMinute: 30,
      requestsPerDay: 2000,
      note: 'Figures from community free-tier tables, not from Mistral; treat as a guide.',
    },
    docs: 'https://docs.mistral.ai/capabilities/code_generation/',
  },

  // ── Gateways and hosted open models ─────────────────────────────────────────────────────────
  {
    id: 'openrouter',
    balance: 'openrouter',
    name: 'OpenRouter',
    protocol: 'openai',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'qwen/qwen3-coder:free',
    completionModel: 'qwen/qwen3-coder:free',
    fimRoute: 'chat',
    thinkingSwitch: 'reasoning-effort',
    // The :free pool rotates; check openrouter.ai/models?q=free.
    models: ['qwen/qwen3-coder', 'qwen/qwen3-coder-next'],
    quota: {
      requestsPerMinute: 20,
      requestsPerDay: 50,
      note: 'For :free model variants, account-wide (not per model or key): 20/min, and 50/day below $10 of credits purchased (all time), 1,000/day at or above. Inline completion on a :free model uses the daily allowance fast. GET /api/v1/key reports free_model_daily_requests; paid models are limited by credits (402).',
    },
    docs: 'https://openrouter.ai/docs/guides/routing/model-variants/free',
  },
  {
    id: 'groq',
    name: 'Groq',
    protocol: 'openai',
    baseUrl: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // unverified: model ids taken from third-party summaries of Groq's model list.
    chatModel: 'openai/gpt-oss-120b',
    completionModel: 'llama-3.1-8b-instant',
    fimRoute: 'chat',
    models: ['llama-3.3-70b-versatile', 'openai/gpt-oss-20b', 'qwen/qwen3-32b'],
    quota: {
      // unverified: from a 2026-07 summary of console.groq.com/docs/rate-limits, not the page itself.
      requestsPerMinute: 30,
      requestsPerDay: 1000,
      note: 'Free plan, per model and per organisation (gpt-oss-120b, llama-3.3-70b-versatile); llama-3.1-8b-instant allows 14,400/day. Token caps apply too; the live figures are in console.groq.com/settings/limits.',
    },
    docs: 'https://console.groq.com/docs/openai',
  },
  {
    id: 'together',
    name: 'Together AI',
    protocol: 'openai',
    baseUrl: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
    completionModel: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
    fimRoute: 'chat',
    models: ['deepseek-ai/DeepSeek-V3', 'moonshotai/Kimi-K2-Instruct', 'openai/gpt-oss-120b'],
    docs: 'https://docs.together.ai/docs/openai-api-compatibility',
  },
  {
    id: 'fireworks',
    name: 'Fireworks AI',
    protocol: 'openai',
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: 'FIREWORKS_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'accounts/fireworks/models/gpt-oss-120b',
    completionModel: 'accounts/fireworks/models/gpt-oss-20b',
    fimRoute: 'chat',
    models: ['accounts/fireworks/models/kimi-k2-instruct', 'accounts/fireworks/models/glm-4p5'],
    // unverified: Fireworks' own OpenAI-compatibility page was not in the corpus; base URL from SDK docs.
    docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
  },
  {
    id: 'siliconflow',
    name: 'SiliconFlow',
    protocol: 'openai',
    // The global host; mainland China accounts use https://api.siliconflow.cn/v1 with their own key.
    baseUrl: 'https://api.siliconflow.com/v1',
    apiKeyEnv: 'SILICONFLOW_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // unverified: chat model id not confirmed on SiliconFlow's model list.
    chatModel: 'Qwen/Qwen3-Coder-480B-A35B-Instruct',
    // SiliconFlow documents /completions with `prompt` + `suffix` for DeepSeek-V3 and the
    // Qwen2.5-Coder models; of those only DeepSeek-V3 has a published price on siliconflow.com
    // ($0.25 / $1.00 per 1M), so it is the default: a default that prices as "unknown" would
    // leave the status bar and budgets blind (#12). The Qwen coders stay one pick away.
    completionModel: 'deepseek-ai/DeepSeek-V3',
    fimRoute: 'completions-suffix',
    models: ['Qwen/Qwen2.5-Coder-7B-Instruct', 'Qwen/Qwen2.5-Coder-32B-Instruct', 'deepseek-ai/DeepSeek-V3'],
    docs: 'https://docs.siliconflow.cn/en/userguide/guides/fim',
  },

  // ── Chinese labs (international endpoints) ───────────────────────────────────────────────────
  {
    id: 'moonshot',
    balance: 'moonshot',
    name: 'Moonshot Kimi',
    protocol: 'openai',
    // International platform; mainland China accounts use https://api.moonshot.cn/v1 (keys differ).
    baseUrl: 'https://api.moonshot.ai/v1',
    apiKeyEnv: 'MOONSHOT_API_KEY',
    keyDomains: ['moonshot.ai', 'moonshot.cn'],
    authStyle: 'bearer',
    requiresKey: true,
    // The K2 preview ids (kimi-k2-0905-preview, kimi-k2-turbo-preview, …) were withdrawn in 2026.
    chatModel: 'kimi-k2.6',
    completionModel: 'kimi-k2.6',
    fimRoute: 'chat',
    thinkingSwitch: 'thinking-type',
    // unverified: code variants seen in third-party provider docs only.
    models: ['kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.5'],
    docs: 'https://platform.moonshot.ai/docs',
  },
  {
    id: 'zhipu',
    name: 'Zhipu GLM (Z.ai)',
    protocol: 'openai',
    // International Z.ai; the mainland BigModel platform is https://open.bigmodel.cn/api/paas/v4.
    // Z.ai's Coding Plan subscription uses https://api.z.ai/api/coding/paas/v4 instead.
    baseUrl: 'https://api.z.ai/api/paas/v4',
    apiKeyEnv: 'ZAI_API_KEY',
    keyDomains: ['z.ai', 'bigmodel.cn'],
    authStyle: 'bearer',
    requiresKey: true,
    chatModel: 'glm-5.1',
    completionModel: 'glm-4.7-flash',
    fimRoute: 'chat',
    thinkingSwitch: 'thinking-type',
    models: ['glm-5', 'glm-4.7', 'glm-4.6'],
    // unverified: Z.ai's own docs were not in the corpus; values from integrators' docs.
    docs: 'https://docs.z.ai/guides/overview/quick-start',
  },

  {
    id: 'zai-coding-plan',
    name: 'Z.ai GLM Coding Plan',
    protocol: 'openai',
    // The plan's own OpenAI-compatible root; the same Z.ai key as the pay-as-you-go API.
    baseUrl: 'https://api.z.ai/api/coding/paas/v4',
    apiKeyEnv: 'ZAI_API_KEY',
    keyDomains: ['z.ai', 'bigmodel.cn'],
    authStyle: 'bearer',
    requiresKey: true,
    billing: 'plan',
    plan: ZAI_GLM_CODING_PLAN,
    chatModel: 'glm-5.1',
    completionModel: 'glm-4.5-air',
    fimRoute: 'chat',
    thinkingSwitch: 'thinking-type',
    models: ['glm-5-turbo', 'glm-4.7'],
    docs: 'https://docs.z.ai/devpack/overview',
  },

  // ── On this machine ─────────────────────────────────────────────────────────────────────────
  {
    id: 'ollama',
    name: 'Ollama (local)',
    protocol: 'ollama',
    baseUrl: 'http://127.0.0.1:11434',
    authStyle: 'none',
    requiresKey: false,
    local: true,
    chatModel: 'qwen2.5-coder:7b',
    // A base (not instruct) tag: FIM-trained, and its template handles `.Suffix`.
    completionModel: 'qwen2.5-coder:1.5b-base',
    fimRoute: 'ollama-generate',
    // unverified: tags assumed from the Ollama library's naming; pull what fits the machine.
    models: ['qwen2.5-coder:7b-base', 'qwen2.5-coder:3b-base', 'qwen3-coder:30b'],
    docs: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
  },
  {
    id: 'lmstudio',
    name: 'LM Studio (local)',
    protocol: 'openai',
    baseUrl: 'http://127.0.0.1:1234/v1',
    authStyle: 'none',
    requiresKey: false,
    local: true,
    // LM Studio names models by what the user downloaded; these are its usual Qwen identifiers.
    // unverified: exact identifiers depend on the download.
    chatModel: 'qwen2.5-coder-7b-instruct',
    completionModel: 'qwen2.5-coder-1.5b',
    // LM Studio serves /v1/completions but neither documents `suffix` nor exposes llama.cpp's
    // /infill, so FIM goes as the model's own template in the prompt.
    fimRoute: 'raw-template',
    // For a model with no FIM template, asked over chat: LM Studio reads `reasoning_effort: "none"`
    // there (0.4.17, lmstudio-bug-tracker#2057), not the template's kwargs (#1990).
    thinkingSwitch: 'effort-none',
    docs: 'https://lmstudio.ai/docs/api/openai-api',
  },
  {
    id: 'llamacpp',
    name: 'llama.cpp server (local)',
    protocol: 'openai',
    baseUrl: 'http://127.0.0.1:8080/v1',
    authStyle: 'none',
    requiresKey: false,
    local: true,
    // llama-server serves the one model it was started with and ignores the name.
    chatModel: 'default',
    completionModel: 'default',
    // llama-server's native FIM is POST /infill {input_prefix, input_suffix, input_extra}; its
    // OpenAI-compatible /v1/completions does not take `suffix`. Of the two routes available here,
    // the raw template is the one that works (with a FIM-trained GGUF such as Qwen2.5-Coder base).
    fimRoute: 'raw-template',
    // For a model with no FIM template, asked over chat (a plain Qwen3 thinks unless told not to).
    thinkingSwitch: 'template-kwargs',
    docs: 'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md',
  },
  {
    id: 'vllm',
    name: 'vLLM (local)',
    protocol: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    authStyle: 'none',
    requiresKey: false,
    local: true,
    chatModel: 'Qwen/Qwen2.5-Coder-7B-Instruct',
    completionModel: 'Qwen/Qwen2.5-Coder-1.5B',
    // vLLM's /v1/completions rejects `suffix` ("suffix is not currently supported"; PR #9522 still
    // open, issue #44228 in 2026), so FIM is the model's template sent as the prompt.
    fimRoute: 'raw-template',
    thinkingSwitch: 'template-kwargs',
    docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
  {
    id: 'litellm',
    balance: 'litellm',
    name: 'LiteLLM proxy',
    protocol: 'openai',
    // The proxy's default port; it serves both /chat/completions and /v1/chat/completions.
    // Usually a shared team gateway on another host: set its address here.
    baseUrl: 'http://127.0.0.1:4000/v1',
    apiKeyEnv: 'LITELLM_API_KEY',
    authStyle: 'bearer',
    requiresKey: true,
    // What sits behind a team gateway's aliases, and at what price, only its admin knows.
    billing: 'user',
    // Model names are the `model_name` aliases in the proxy's config.yaml.
    chatModel: 'default',
    completionModel: 'default',
    // What sits behind an alias is unknown, so the route that works with any chat model.
    fimRoute: 'chat',
    quota: {
      note: 'Budgets and limits are set per virtual key by the proxy admin; GET /key/info reports spend, max_budget and the reset.',
    },
    docs: 'https://docs.litellm.ai/docs/simple_proxy',
  },

  // ── The editor's own models ─────────────────────────────────────────────────────────────────
  {
    id: 'vscode-lm',
    name: 'VS Code language models',
    protocol: 'vscode-lm',
    baseUrl: '',
    // Access is the editor's business: the chat extension that contributes the models signs the user
    // in, and VS Code asks the user once before Switchboard may use them.
    authStyle: 'none',
    requiresKey: false,
    // Billed, if at all, by whoever contributes the models (a Copilot plan), not per request here.
    billing: 'plan',
    // `auto` takes the first model VS Code offers; `<vendor>/<model id or family>` (for example
    // `copilot/gpt-4.1`) or a bare vendor picks one.
    chatModel: 'auto',
    completionModel: 'auto',
    // The Language Model API is chat only.
    fimRoute: 'chat',
    docs: 'https://code.visualstudio.com/api/extension-guides/ai/language-model',
  },
];

/** Every preset id, in catalogue order: what users may type in `switchboard.providers[].preset`. */
export const PRESET_IDS: readonly string[] = PRESETS.map((preset) => preset.id);

export function billingOf(preset: Preset): Billing {
  return preset.billing ?? (preset.local ? 'local' : 'paid');
}

/**
 * A server the user runs or chooses (on this machine, their own OpenAI-compatible server, their
 * team's gateway): it has no fixed address, so its base URL is whatever the user set.
 */
export function runsAnywhere(preset: Preset): boolean {
  return preset.local === true || preset.id === 'custom' || preset.id === 'litellm';
}

/** The last two labels of a host name ("api.deepseek.com" → "deepseek.com"); an address as it is. */
function domainOf(hostname: string): string {
  if (/^[\d.]+$/.test(hostname) || hostname.startsWith('[')) return hostname;
  return hostname.split('.').slice(-2).join('.');
}

/** Whether `baseUrl` is one of the preset vendor's own hosts, where its key variable may go. */
export function onVendorHost(preset: Preset, baseUrl: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(baseUrl).hostname;
  } catch {
    return false;
  }
  const domains = preset.keyDomains ?? [domainOf(new URL(preset.baseUrl).hostname)];
  return domains.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

/**
 * What a failed connection test says to the user: the server's words, and where the key was
 * refused, the preset's note on why a key may not work here.
 */
export function testFailureText(preset: Pick<Preset, 'keyNote'>, probe: { detail?: string; kind?: string }): string {
  const said = probe.detail ?? 'No detail.';
  return probe.kind === 'auth' && preset.keyNote ? `${said}\n\n${preset.keyNote}` : said;
}

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}

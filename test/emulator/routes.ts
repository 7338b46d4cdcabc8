/**
 * Every route the emulator serves, with the backend whose conventions it follows. One server
 * answers for all backends; each backend's base URL points at its part of the path space.
 */
import { listAnthropicModels, messages } from './anthropic';
import type { RequestContext } from './context';
import { balance, deepSeekAccountRefusal, fimCompletions } from './deepseek';
import type { Reply } from './errors';
import { litellmKeyInfo } from './litellm';
import { mistralFim } from './mistral';
import { chat, generateRoute, show, tags } from './ollama';
import { chatCompletions, completions, listModels } from './openai';
import type { Dialect, QuotaStyle } from './options';
import { keyInfo, openRouterAccountRefusal } from './openrouter';
import { zaiQuota } from './zai';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  dialect: Dialect;
  /** Generates text: counts against quotas and needs a funded account. */
  generates?: boolean;
  /** Served without a key even when one is set. */
  public?: boolean;
  /** Narrows a route that shares its path with another backend. */
  when?: (ctx: RequestContext) => boolean;
  handle: (ctx: RequestContext) => Promise<void>;
}

const hasAnthropicVersion = (ctx: RequestContext) => ctx.header('anthropic-version') !== undefined;

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/',
    dialect: 'openai',
    public: true,
    handle: (ctx) => ctx.ok({ emulator: 'switchboard', ok: true }),
  },
  // OpenAI-compatible (and Anthropic's model list, which shares the path).
  { method: 'GET', path: '/v1/models', dialect: 'anthropic', when: hasAnthropicVersion, handle: listAnthropicModels },
  { method: 'GET', path: '/v1/models', dialect: 'openai', handle: listModels },
  { method: 'POST', path: '/v1/chat/completions', dialect: 'openai', generates: true, handle: chatCompletions },
  { method: 'POST', path: '/v1/completions', dialect: 'openai', generates: true, handle: (ctx) => completions(ctx) },
  { method: 'POST', path: '/v1/messages', dialect: 'anthropic', generates: true, handle: messages },
  // DashScope (Alibaba Model Studio) compatible mode.
  { method: 'GET', path: '/compatible-mode/v1/models', dialect: 'dashscope', handle: listModels },
  {
    method: 'POST',
    path: '/compatible-mode/v1/chat/completions',
    dialect: 'dashscope',
    generates: true,
    handle: chatCompletions,
  },
  {
    method: 'POST',
    path: '/compatible-mode/v1/completions',
    dialect: 'dashscope',
    generates: true,
    handle: (ctx) => completions(ctx),
  },
  // Alibaba's Coding Plan (coding-intl.dashscope.aliyuncs.com/v1): chat only, plan windows.
  { method: 'GET', path: '/coding/v1/models', dialect: 'coding-plan', handle: listModels },
  {
    method: 'POST',
    path: '/coding/v1/chat/completions',
    dialect: 'coding-plan',
    generates: true,
    handle: chatCompletions,
  },
  // Z.ai's GLM Coding Plan and its quota endpoint.
  { method: 'GET', path: '/api/coding/paas/v4/models', dialect: 'zai', handle: listModels },
  {
    method: 'POST',
    path: '/api/coding/paas/v4/chat/completions',
    dialect: 'zai',
    generates: true,
    handle: chatCompletions,
  },
  { method: 'GET', path: '/api/monitor/usage/quota/limit', dialect: 'zai', handle: zaiQuota },
  // DeepSeek.
  // Gemini's OpenAI-compatible root.
  { method: 'GET', path: '/v1beta/openai/models', dialect: 'gemini', handle: listModels },
  {
    method: 'POST',
    path: '/v1beta/openai/chat/completions',
    dialect: 'gemini',
    generates: true,
    handle: chatCompletions,
  },
  { method: 'GET', path: '/models', dialect: 'deepseek', handle: listModels },
  { method: 'POST', path: '/chat/completions', dialect: 'deepseek', generates: true, handle: chatCompletions },
  { method: 'POST', path: '/beta/completions', dialect: 'deepseek', generates: true, handle: fimCompletions },
  { method: 'GET', path: '/user/balance', dialect: 'deepseek', handle: balance },
  // Mistral (Codestral).
  { method: 'POST', path: '/v1/fim/completions', dialect: 'mistral', generates: true, handle: mistralFim },
  // OpenRouter.
  { method: 'GET', path: '/api/v1/key', dialect: 'openrouter', handle: keyInfo },
  { method: 'GET', path: '/api/v1/models', dialect: 'openrouter', handle: listModels },
  { method: 'POST', path: '/api/v1/chat/completions', dialect: 'openrouter', generates: true, handle: chatCompletions },
  {
    method: 'POST',
    path: '/api/v1/completions',
    dialect: 'openrouter',
    generates: true,
    handle: (ctx) => completions(ctx),
  },
  // LiteLLM proxy.
  { method: 'GET', path: '/key/info', dialect: 'litellm', handle: litellmKeyInfo },
  // Ollama.
  { method: 'GET', path: '/api/version', dialect: 'ollama', handle: (ctx) => ctx.ok({ version: '0.6.5' }) },
  { method: 'GET', path: '/api/tags', dialect: 'ollama', handle: tags },
  { method: 'POST', path: '/api/show', dialect: 'ollama', handle: show },
  { method: 'POST', path: '/api/generate', dialect: 'ollama', generates: true, handle: generateRoute },
  { method: 'POST', path: '/api/chat', dialect: 'ollama', generates: true, handle: chat },
];

export function findRoute(ctx: RequestContext): Route | undefined {
  return ROUTES.find(
    (route) => route.method === ctx.req.method && route.path === ctx.path && (route.when?.(ctx) ?? true),
  );
}

/** The quota style a route answers with when the test did not choose one; Ollama has no quotas. */
export const NATIVE_QUOTA_STYLE: Record<Dialect, QuotaStyle | undefined> = {
  openai: 'openai',
  dashscope: 'dashscope',
  anthropic: 'anthropic',
  deepseek: 'deepseek',
  openrouter: 'openrouter',
  mistral: 'openai',
  litellm: 'openai',
  ollama: undefined,
  'coding-plan': 'coding-plan',
  zai: 'zai',
  gemini: 'gemini',
};

/** Backends that refuse to generate on an empty account. */
export const ACCOUNT_GATES: Partial<Record<Dialect, (ctx: RequestContext) => Reply | undefined>> = {
  deepseek: deepSeekAccountRefusal,
  openrouter: openRouterAccountRefusal,
};

/**
 * The provider emulator: a real HTTP server on 127.0.0.1 that speaks the backends' wire formats,
 * for tests, benchmarks and `npm run sandbox`. One server answers for every backend (see
 * routes.ts): OpenAI-compatible, Anthropic, Ollama, DeepSeek, Mistral, OpenRouter, DashScope's
 * compatible mode and LiteLLM's key info. Quotas, balances, latency and faults are scriptable at
 * start and while running; answers are deterministic.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { authRefusal } from './auth';
import { RequestContext, type EmulatorState } from './context';
import { badRequest, openAiError, serverFailure } from './errors';
import { FaultQueue, type FaultSpec } from './faults';
import { closeServer, listen, readBody } from './httpIo';
import type { EmulatorOptions, EmulatorSettings } from './options';
import { resetFreeCounts } from './openrouter';
import { PrefixCache } from './prefixCache';
import { backendQuota } from './quota';
import { quotaRejection } from './quotaStyles';
import { anthropicRateLimitHeaders, openAiRateLimitHeaders } from './rateLimitHeaders';
import { recordRequest, type RecordedRequest } from './recording';
import { ACCOUNT_GATES, findRoute, NATIVE_QUOTA_STYLE } from './routes';
import { approxTokens } from './tokens';

export type {
  BackendQuota,
  Dialect,
  EmulatorOptions,
  EmulatorSettings,
  QuotaStyle,
  DeepSeekAccount,
  OpenRouterAccount,
  LiteLlmKey,
} from './options';
export type { Fault, FaultKind, FaultSpec } from './faults';
export type { RecordedRequest } from './recording';

/** Where each backend's client should point. */
export interface EmulatorBaseUrls {
  /** OpenAI-compatible (`…/v1`); Ollama's OpenAI-compatible API lives here too. */
  openai: string;
  /** Anthropic SDK base URL (it appends `/v1/messages`). */
  anthropic: string;
  /** Ollama's native API (`/api/…`). */
  ollama: string;
  /** DeepSeek chat and `/user/balance`. */
  deepseek: string;
  /** DeepSeek's beta base URL, for FIM at `/completions`. */
  deepseekBeta: string;
  /** Mistral (`…/v1`, FIM at `/fim/completions`). */
  mistral: string;
  /** OpenRouter (`…/api/v1`). */
  openrouter: string;
  /** DashScope compatible mode (`…/compatible-mode/v1`). */
  dashscope: string;
  /** Gemini's OpenAI-compatible root (`…/v1beta/openai`). */
  gemini: string;
  /** LiteLLM proxy root (`/key/info`). */
  litellm: string;
  /** Alibaba's Coding Plan OpenAI-compatible root (`…/coding/v1`). */
  codingPlan: string;
  /** Z.ai's GLM Coding Plan root (`…/api/coding/paas/v4`); its quota endpoint is on the same host. */
  zaiCodingPlan: string;
}

export interface Emulator {
  url: string;
  /** Base URL for OpenAI-compatible clients (`…/v1`). */
  openaiBaseUrl: string;
  baseUrls: EmulatorBaseUrls;
  port: number;
  /** Every request, in arrival order, without credentials. */
  requests: RecordedRequest[];
  /** The live options; `configure()` changes them. */
  options: EmulatorOptions;
  /** Changes settings for the next requests (pass `undefined` to clear one). */
  configure(settings: EmulatorSettings): void;
  /** Scripts a fault for the next `times` matching requests. */
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  /** Forgets the requests counted against the per-minute and per-day quotas. */
  resetQuota(): void;
  /** How many recorded requests hit this path (exact, or a pattern). */
  count(path: string | RegExp): number;
  /** Stops the server and drops every connection, stalled ones included. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state: EmulatorState = {
    settings: options,
    requests: [],
    quotas: new Map(),
    faults: new FaultQueue(),
    promptCache: new Set(),
    prefixCache: new PrefixCache(),
    sequence: 0,
    now: () => options.now?.() ?? Date.now(),
  };
  const server = createServer((req, res) => {
    void handle(req, res, state).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) res.destroy();
      else {
        const payload = JSON.stringify(openAiError(`emulator failure: ${String(error)}`, 'server_error', null));
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      }
    });
  });
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    baseUrls: {
      openai: `${url}/v1`,
      anthropic: url,
      ollama: url,
      deepseek: url,
      deepseekBeta: `${url}/beta`,
      mistral: `${url}/v1`,
      openrouter: `${url}/api/v1`,
      dashscope: `${url}/compatible-mode/v1`,
      gemini: `${url}/v1beta/openai`,
      litellm: url,
      codingPlan: `${url}/coding/v1`,
      zaiCodingPlan: `${url}/api/coding/paas/v4`,
    },
    port,
    requests: state.requests,
    options,
    configure: (settings) => void Object.assign(options, settings),
    fault: (spec) => state.faults.add(spec),
    clearFaults: () => state.faults.clear(),
    resetQuota: () => {
      state.quotas.forEach((tracker) => tracker.reset());
      resetFreeCounts(state);
    },
    count: (path) =>
      state.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).length,
    close: () => closeServer(server),
  };
}

/** Not a provider route: the requests recorded so far, as JSON, and not itself recorded. */
export const INSPECT_PATH = '/_emulator/requests';

async function handle(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  if (req.method === 'GET' && path === INSPECT_PATH) {
    // For tests in another process (the extension host): what was asked, credentials left out.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(state.requests));
    return;
  }
  const raw = await readBody(req);
  let body: unknown = undefined;
  let unparsable = false;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      unparsable = true;
    }
  }
  const record = recordRequest(req, path, body);
  state.requests.push(record);
  const ctx = new RequestContext(req, res, state, path, body, record);
  const route = findRoute(ctx);
  if (!route) {
    return ctx.send({
      status: 404,
      body: openAiError(`Unknown request URL: ${req.method ?? 'GET'} ${path}.`, 'invalid_request_error', 'unknown_url'),
    });
  }
  ctx.dialect = route.dialect;
  ctx.requestId = route.dialect === 'mistral' ? ctx.nextId('', 32) : ctx.nextId('req_emu');
  if (route.dialect === 'openai') ctx.responseHeaders['x-request-id'] = ctx.requestId;
  if (route.dialect === 'anthropic') ctx.responseHeaders['request-id'] = ctx.requestId;
  if (unparsable)
    return ctx.send(badRequest(route.dialect, 'We could not parse the JSON body of your request.', ctx.requestId));

  const refusal = route.public ? undefined : authRefusal(ctx);
  if (refusal) return ctx.send(refusal);
  if (state.settings.latencyMs && !(await ctx.sleep(state.settings.latencyMs))) return;

  const quota = backendQuota(state.settings, route.dialect);
  const quotaStyle = quota.quotaStyle ?? NATIVE_QUOTA_STYLE[route.dialect];
  const exhausted =
    route.generates && route.dialect !== 'ollama' && quotaStyle ? ctx.quota.admit(approxTokens(raw)) : undefined;
  // OpenAI and Anthropic describe the quota on every response, refusals included.
  if (route.dialect === 'openai') Object.assign(ctx.responseHeaders, openAiRateLimitHeaders(ctx.quota.snapshot()));
  if (route.dialect === 'anthropic')
    Object.assign(ctx.responseHeaders, anthropicRateLimitHeaders(ctx.quota.snapshot()));
  if (exhausted && quotaStyle) {
    const model = typeof ctx.json.model === 'string' ? ctx.json.model : 'emulator-chat';
    return ctx.send(
      quotaRejection(quotaStyle, {
        tracker: ctx.quota,
        window: exhausted,
        requestId: ctx.requestId,
        model,
        compatibleMode: route.dialect === 'dashscope',
        message: quota.quotaMessage,
      }),
    );
  }
  const broke = route.generates ? ACCOUNT_GATES[route.dialect]?.(ctx) : undefined;
  if (broke) return ctx.send(broke);

  const fault = state.faults.take(path);
  if (fault?.kind === 'server-error') return ctx.send(serverFailure(route.dialect, fault.status ?? 500, ctx.requestId));
  if (fault?.kind === 'huge-body') return ctx.sendHuge(fault);
  if (fault?.kind === 'redirect') {
    ctx.res.writeHead(fault.status ?? 307, { location: fault.location, 'content-length': '0' });
    return void ctx.res.end();
  }
  if (fault?.kind === 'slow-headers') {
    if (!(await ctx.sleep(fault.delayMs))) return;
  } else ctx.fault = fault;
  await route.handle(ctx);
}

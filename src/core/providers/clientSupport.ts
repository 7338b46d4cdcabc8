/** Pieces every client shares: the chat FIM route, the probe, and the retry wrapper. */
import type { Deadline } from './deadline';
import { cleanHoleFillAnswer, holeFillChatRequest } from './holeFillPrompt';
import { ProviderError } from './providerError';
import { parseRateLimitHeaders } from './rateLimitHeaders';
import { withRetry, type RetryOptions } from './retryPolicy';
import { withSendTrace } from './sendTrace';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimListener,
  FimRequest,
  FimResult,
  ModelInfo,
  ProbeResult,
  ProviderHooks,
  SentLimits,
  Usage,
} from './types';
import { estimatedUsage, type PromptCacheMemory } from './usage';

/**
 * The listener a FIM call streams to, when streaming can show anything sooner: an answer cut at
 * its first line break (a single line) has nothing to show before it ends, so it comes whole.
 */
export function fimListener(request: FimRequest): FimListener | undefined {
  return request.stop?.includes('\n') ? undefined : request.onText;
}

/** A chat request's text as the model reads it, in order: what a prompt cache can serve. */
export function chatReadText(request: ChatRequest): string {
  return [request.system ?? '', ...request.messages.map((message) => message.content)].join('\n');
}

/**
 * Fills the hole with a chat model and keeps only the code of its answer. Chat always streams, so
 * a caller that listens (`onText`) hears the raw answer as it grows, marked as coming over chat.
 */
export async function fimOverChat(
  chat: (request: ChatRequest) => AsyncIterable<ChatEvent>,
  request: FimRequest,
  model: string,
  promptCache?: PromptCacheMemory,
): Promise<FimResult> {
  const chatRequest = holeFillChatRequest({ ...request, model });
  const readText = chatReadText(chatRequest);
  // What the client says it sent, else what it was asked to send.
  let sent: SentLimits = {
    maxTokens: chatRequest.maxTokens,
    temperature: chatRequest.temperature,
    stop: chatRequest.stop,
  };
  chatRequest.onSent = (limits) => (sent = limits);
  let text = '';
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  let stoppedEarly = false;
  for await (const event of chat(chatRequest)) {
    if (event.type === 'text') {
      text += event.text;
      // Leaving the loop ends the chat stream, and with it the request.
      if (request.onText?.(text, 'chat') === 'enough') {
        stoppedEarly = true;
        break;
      }
    } else if (event.type === 'done') {
      usage = event.usage;
      finishReason = event.finishReason;
      if (usage) promptCache?.remember(model, readText, usage);
    }
  }
  return {
    text: cleanHoleFillAnswer(text),
    route: 'chat',
    model,
    finishReason,
    ...(stoppedEarly && { stoppedEarly }),
    sent,
    usage:
      usage ??
      (promptCache
        ? promptCache.estimate(model, readText, text)
        : estimatedUsage(request.prefix + request.suffix, text)),
  };
}

/** A cheap health check: listing models costs nothing on every backend we know. */
export async function probeByListing(
  listModels: (options: CallOptions) => Promise<ModelInfo[]>,
  options: CallOptions = {},
): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const models = await listModels({ timeoutMs: 3_000, ...options });
    return { ok: true, latencyMs: performance.now() - started, detail: `${models.length} models` };
  } catch (error) {
    return {
      ok: false,
      latencyMs: performance.now() - started,
      detail: error instanceof Error ? error.message : String(error),
      ...(ProviderError.is(error) && { kind: error.kind }),
    };
  }
}

/** Runs one request under the retry policy, turning every failure into a ProviderError first. */
export function retryingCall<T>(
  deadline: Deadline,
  operation: () => Promise<T>,
  toProviderError: (error: unknown) => ProviderError,
  retry: Omit<RetryOptions, 'signal'> = {},
): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await withSendTrace(deadline.sent, operation);
      } catch (error) {
        throw toProviderError(error);
      }
    },
    {
      ...retry,
      signal: deadline.signal,
      ...((deadline.onRetry || retry.onRetry) && {
        onRetry: (info: Parameters<NonNullable<RetryOptions['onRetry']>>[0]) => {
          // An attempt that never went out (no connection) reached no server: no request to count.
          if (!info.error.notSent) deadline.onRetry?.(info.error);
          retry.onRetry?.(info);
        },
      }),
    },
  );
}

/** Hands a response's rate-limit headers to the usage meter. */
export function reportRateLimits(
  hooks: ProviderHooks | undefined,
  providerId: string,
  headers: Headers | undefined,
): void {
  if (!headers || typeof headers.get !== 'function' || !hooks?.onRateLimit) return;
  const snapshot = parseRateLimitHeaders(headers, Date.now());
  if (snapshot) hooks.onRateLimit(providerId, snapshot);
}

/**
 * A fetch for the SDK clients that keeps the raw body of every failed response. The `openai` SDK
 * keeps only a body's `error` member, so DashScope's native `{ code, message }` would reach the
 * classifier empty; the SDK passes the response's own Headers object to its error, which lets
 * `bodyOf` find the body again.
 */
export function errorBodyCapture(transport: typeof fetch): { fetch: typeof fetch; bodyOf(headers: unknown): unknown } {
  const bodies = new WeakMap<object, unknown>();
  return {
    async fetch(input, init) {
      // The transport (see guardedFetch) has already cut an error body to a bounded size.
      const response = await transport(input, init);
      if (!response.ok) {
        const text = await response
          .clone()
          .text()
          .catch(() => '');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Plain text stays text.
        }
        bodies.set(response.headers, body);
      }
      return response;
    },
    bodyOf(headers) {
      return typeof headers === 'object' && headers !== null ? bodies.get(headers) : undefined;
    },
  };
}

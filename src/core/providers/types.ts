/**
 * The one interface chat and completion use, whatever the backend.
 * Nothing here knows about VS Code.
 */

import type { Clock } from '../clock';
import type { ProviderError, ProviderErrorKind } from './providerError';
import type { RateLimitSnapshot } from './rateLimitHeaders';

export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Options every call accepts: the caller can always cancel, and nothing waits forever. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Longest wait in milliseconds for the answer to start (for a call that is not streamed, for
   * the whole answer). A streamed answer is not limited in length, only in silence.
   */
  timeoutMs?: number;
  /** Longest silence in milliseconds between two parts of a streamed answer. */
  idleTimeoutMs?: number;
  /** The clock the limits run on; tests pass a fake one. */
  clock?: Clock;
  /**
   * Hears each attempt that reached the server, failed and is sent again (a 500, an overload);
   * not one that never went out (`notSent`: no connection), which no server counted.
   * The retry that follows is another request, and only the last attempt's outcome reaches the
   * caller: a plan that counts requests counts the failed one too, so the meter records it.
   */
  onRetry?: (error: ProviderError) => void;
}

export interface ChatRequest extends CallOptions {
  model?: string;
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  /** A hole-fill for inline completion: ghost text cannot wait, so a reasoning model reasons as little as it can. */
  purpose?: 'completion';
  /** Hears the limits the request went out with, once the client fitted them to the backend. */
  onSent?: (limits: SentLimits) => void;
}

/** A request's limits as sent, which a client may have fitted to what its backend takes. */
export interface SentLimits {
  maxTokens?: number;
  temperature?: number;
  stop?: readonly string[];
  /** How much a reasoning model was asked to reason, when it was asked. */
  reasoningEffort?: string;
  /** What was left out of the conversation to fit the model's context window, where anything was. */
  context?: ContextFit;
}

/** How a chat was fitted into a context window too small for all of it. */
export interface ContextFit {
  /** The window, in tokens. */
  window: number;
  /** Messages left out from the start (whole exchanges: a question with its answers). */
  droppedMessages: number;
  /** Characters cut from the start of the latest message, which did not fit on its own. */
  cutChars: number;
}

/**
 * Token counts for one request. `inputTokens` counts every input token, cached ones included;
 * `cacheReadTokens` and `cacheWriteTokens` are the parts of it billed at cache rates.
 * `reported` is false when we had to estimate.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reported: boolean;
  /** Of `outputTokens`, those the model spent reasoning, where the backend says so. */
  reasoningTokens?: number;
}

export type ChatEvent =
  | { type: 'text'; text: string }
  /**
   * The model reasons (`reasoning_content` or `reasoning` in its stream, or `<think>` in its
   * content): `text` is the reasoning since the last event, never part of the answer. The first
   * one says the model is thinking, so a wait of seconds reads as such; the text is billed as
   * output, and counted when a stopped or failed request has no usage of its own.
   */
  | { type: 'thinking'; text: string }
  | { type: 'done'; usage: Usage; finishReason?: string };

export interface FimRequest extends CallOptions {
  model?: string;
  prefix: string;
  suffix: string;
  /**
   * The whole prompt, already in the model's FIM template, for the 'raw-template' route (the
   * completion engine builds templates from the model id). Other routes ignore it; without it, a
   * 'raw-template' backend fills the hole over chat.
   */
  rawPrompt?: string;
  /**
   * `rawPrompt` built again with at least the first `chars` characters of the code before the
   * cursor left out (to a line start): for a backend whose context window the whole would overflow.
   */
  rawPromptCut?: (chars: number) => string;
  /** The template's control tokens, added to `stop` only where `rawPrompt` is sent. */
  rawStop?: string[];
  stop?: string[];
  maxTokens?: number;
  temperature?: number;
  /**
   * The 'chat' route's message layout: 'stable' (the default) puts the code after the hole first,
   * so consecutive prompts share all but the last few characters; 'legacy' is the earlier
   * prefix-first layout, kept for the benchmark's baseline.
   */
  promptOrder?: 'stable' | 'legacy';
  /**
   * Called as the answer streams in, with the raw text received so far (not a delta), so the
   * completion engine can show a first line before the rest has arrived. A provider that can
   * stream its FIM route streams when this is given; one that cannot ignores it and the caller
   * gets the whole text from the result as before. Never called after the call settles.
   * `route` is 'chat' when a chat model fills the hole: its text may still carry a fence, tags or
   * an echo of the code before the cursor, which the caller unwraps.
   *
   * Returning 'enough' says the caller has all of the answer it can use: the provider stops
   * reading, closes the stream (so the server stops generating, and billing, the rest) and settles
   * with the text so far and `stoppedEarly`.
   */
  onText?: (textSoFar: string, route?: string) => 'enough' | void;
}

/** Hears a streamed FIM answer as it grows (`FimRequest.onText`). */
export type FimListener = NonNullable<FimRequest['onText']>;

export interface FimResult {
  text: string;
  usage: Usage;
  model: string;
  finishReason?: string;
  /** Which route served it. */
  route: string;
  /**
   * The caller said it had enough (`onText` returned 'enough') and the stream was closed there:
   * `text` is what had arrived, and `usage` an estimate, as the server's report comes at the end.
   */
  stoppedEarly?: boolean;
  /** The limits as sent, where the route fitted them to the backend (over chat). */
  sent?: SentLimits;
}

export interface ModelInfo {
  id: string;
  name?: string;
}

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  detail?: string;
  /** Why it failed, where the failure was classified (a refused key is `auth`). */
  kind?: ProviderErrorKind;
}

/** What a client reports besides its answers, for the usage meter. */
export interface ProviderHooks {
  /** Rate-limit headers seen on a response (success or failure). */
  onRateLimit?(providerId: string, snapshot: RateLimitSnapshot): void;
  /**
   * Asked before a key goes over plain http to a server that is not this machine; true sends it.
   * Without it, such a request is refused.
   */
  confirmPlainHttpKey?(origin: string): Promise<boolean>;
}

export interface Provider {
  readonly id: string;
  chat(request: ChatRequest): AsyncIterable<ChatEvent>;
  fim(request: FimRequest): Promise<FimResult>;
  /**
   * The usage of a FIM request that went out but whose server report never came (cancelled while
   * the answer streamed): `output` is the text received. A provider that knows its backend's
   * prompt cache counts what it can count on; without this, the caller estimates from the text.
   */
  estimateFimUsage?(request: FimRequest, output: string): Usage;
  listModels(options?: CallOptions): Promise<ModelInfo[]>;
  probe(options?: CallOptions): Promise<ProbeResult>;
  /**
   * The model the server serves in place of `model`, where `model` is a placeholder it ignores
   * (llama-server's 'default'), so the completion engine can pick a FIM template from the model's
   * own name; `model` itself otherwise, or when the server does not say which one it serves.
   */
  servedModel?(model: string, options?: CallOptions): Promise<string>;
}

/**
 * The one interface chat and completion use, whatever the backend.
 * Nothing here knows about VS Code.
 */

export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Options every call accepts: the caller can always cancel, and nothing waits forever. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overall deadline for the call in milliseconds. */
  timeoutMs?: number;
}

export interface ChatRequest extends CallOptions {
  model?: string;
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
}

/** Token counts for one request. `reported` is false when we had to estimate. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reported: boolean;
}

export type ChatEvent = { type: 'text'; text: string } | { type: 'done'; usage: Usage; finishReason?: string };

export interface FimRequest extends CallOptions {
  model?: string;
  prefix: string;
  suffix: string;
  stop?: string[];
  maxTokens?: number;
  temperature?: number;
}

export interface FimResult {
  text: string;
  usage: Usage;
  model: string;
  finishReason?: string;
}

export interface ModelInfo {
  id: string;
  name?: string;
}

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  detail?: string;
}

export interface Provider {
  readonly id: string;
  chat(request: ChatRequest): AsyncIterable<ChatEvent>;
  fim(request: FimRequest): Promise<FimResult>;
  listModels(options?: CallOptions): Promise<ModelInfo[]>;
  probe(options?: CallOptions): Promise<ProbeResult>;
}

/**
 * One client for every OpenAI-compatible backend, on the official `openai` SDK.
 * Presets differ only in data (base URL, models, FIM route), not in code.
 */
import OpenAI from 'openai';
import type { ProviderConfig } from '../settings/providerSettings';
import { startDeadline, type Deadline } from './deadline';
import { kindFromStatus, ProviderError } from './providerError';
import { redactSecrets } from './redact';
import type { CallOptions, ChatEvent, ChatRequest, FimRequest, FimResult, ModelInfo, Provider, ProbeResult, Usage } from './types';

const DEFAULT_TIMEOUT_MS = 60_000;

export class OpenAICompatibleProvider implements Provider {
  readonly id: string;
  private readonly client: OpenAI;

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
  ) {
    this.id = config.id;
    this.client = new OpenAI({
      // Local servers take no key, but the SDK insists on one; they ignore the header.
      apiKey: apiKey ?? 'no-key',
      baseURL: config.baseUrl,
      defaultHeaders: config.headers,
      // Retries are decided by our own policy, which knows quota from rate limit.
      maxRetries: 0,
      timeout: DEFAULT_TIMEOUT_MS,
    });
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const deadline = startDeadline(request, DEFAULT_TIMEOUT_MS);
    const model = request.model ?? this.config.chatModel;
    try {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
      if (request.system) messages.push({ role: 'system', content: request.system });
      for (const message of request.messages) messages.push({ role: message.role, content: message.content });
      const stream = await this.client.chat.completions.create(
        {
          model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
          ...(request.temperature !== undefined && { temperature: request.temperature }),
          ...(request.stop?.length && { stop: request.stop }),
        },
        { signal: deadline.signal },
      );
      let usage: Usage | undefined;
      let finishReason: string | undefined;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'text', text };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = toUsage(chunk.usage);
      }
      // The SDK ends iteration quietly when the request is aborted; a cut-off answer must not
      // look complete, so say why it ended.
      if (deadline.signal.aborted) throw abortError(this.id, deadline);
      yield { type: 'done', usage: usage ?? estimatedUsage(), finishReason };
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  async fim(request: FimRequest): Promise<FimResult> {
    const deadline = startDeadline(request, DEFAULT_TIMEOUT_MS);
    const model = request.model ?? this.config.completionModel;
    try {
      const response = await this.client.completions.create(
        {
          model,
          prompt: request.prefix,
          suffix: request.suffix,
          max_tokens: request.maxTokens ?? 128,
          temperature: request.temperature ?? 0,
          ...(request.stop?.length && { stop: request.stop }),
        },
        { signal: deadline.signal },
      );
      const choice = response.choices[0];
      return {
        text: choice?.text ?? '',
        model: response.model || model,
        finishReason: choice?.finish_reason ?? undefined,
        usage: response.usage ? toUsage(response.usage) : estimatedUsage(),
      };
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  async listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    const deadline = startDeadline(options, 10_000);
    try {
      const models: ModelInfo[] = [];
      for await (const model of this.client.models.list({ signal: deadline.signal })) models.push({ id: model.id });
      return models;
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  async probe(options: CallOptions = {}): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const models = await this.listModels({ timeoutMs: 3_000, ...options });
      return { ok: true, latencyMs: performance.now() - started, detail: `${models.length} models` };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, latencyMs: performance.now() - started, detail };
    }
  }

  private toProviderError(error: unknown, deadline: Deadline): ProviderError {
    if (error instanceof ProviderError) return error;
    const providerId = this.id;
    const clean = (text: string) => redactSecrets(text, [this.apiKey]);
    if (deadline.signal.aborted) return abortError(providerId, deadline);
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      return new ProviderError({ kind: 'timeout', providerId, message: 'The backend did not answer in time.' });
    }
    if (error instanceof OpenAI.APIConnectionError) {
      return new ProviderError({ kind: 'network', providerId, message: clean(`Could not reach ${this.config.baseUrl}: ${error.message}`) });
    }
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return new ProviderError({
        kind: kindFromStatus(error.status),
        providerId,
        status: error.status,
        code: typeof error.code === 'string' ? error.code : undefined,
        message: clean(error.message),
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError({ kind: 'network', providerId, message: clean(message) });
  }
}

function abortError(providerId: string, deadline: Deadline): ProviderError {
  return deadline.timedOut()
    ? new ProviderError({ kind: 'timeout', providerId, message: 'The backend did not answer in time.' })
    : new ProviderError({ kind: 'cancelled', providerId, message: 'Cancelled.' });
}

function toUsage(usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null }): Usage {
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    reported: true,
  };
}

function estimatedUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reported: false };
}

/**
 * Anthropic's Messages API on the official `@anthropic-ai/sdk`. Claude has no FIM endpoint, so
 * completion goes through the hole-filling chat prompt.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ProviderConfig } from '../settings/providerSettings';
import { HOSTED_CHAT_SILENCE, SDK_TIMEOUT_MS, startDeadline, type Deadline } from './deadline';
import { errorBodyCapture, fimOverChat, probeByListing, reportRateLimits, retryingCall } from './clientSupport';
import { clientHeaders } from './clientEnv';
import { guardedFetch } from './guardedFetch';
import { ProviderError } from './providerError';
import type { RetryOptions } from './retryPolicy';
import { abortError, fromSdkError } from './sdkErrors';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimRequest,
  FimResult,
  ModelInfo,
  Provider,
  ProviderHooks,
  ProbeResult,
  Usage,
} from './types';
import { estimatedUsage, estimateTokens } from './usage';
import { count, optionalCount, soundUsage } from '../usage/tokenCounts';

/** Anthropic requires max_tokens on every request. */
const DEFAULT_MAX_TOKENS = 4_096;

export interface AnthropicOptions {
  hooks?: ProviderHooks;
  retry?: Omit<RetryOptions, 'signal'>;
}

export class AnthropicProvider implements Provider {
  readonly id: string;
  private readonly errorBodies: ReturnType<typeof errorBodyCapture>;
  private readonly client: Anthropic;

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
    private readonly options: AnthropicOptions = {},
  ) {
    this.errorBodies = errorBodyCapture(
      guardedFetch({ providerId: config.id, apiKey, confirmPlainHttpKey: options.hooks?.confirmPlainHttpKey }),
    );
    this.id = config.id;
    this.client = new Anthropic({
      // Without a key the SDK would send ANTHROPIC_AUTH_TOKEN or run its credential chain against
      // this backend (see clientEnv.ts); the placeholder, like the OpenAI client's, is no key.
      apiKey: apiKey ?? 'no-key',
      baseURL: config.baseUrl,
      defaultHeaders: clientHeaders(config.headers, apiKey),
      maxRetries: 0,
      // Our own deadline (startDeadline) ends every call; the SDK's timer only backs it up.
      timeout: SDK_TIMEOUT_MS,
      fetch: this.errorBodies.fetch,
    });
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const deadline = startDeadline(request, HOSTED_CHAT_SILENCE);
    const model = request.model ?? this.config.chatModel;
    // The API refuses a stop sequence that is only whitespace (a 400 for the whole request): such a
    // stop (completion's blank-line stop) is left out; post-processing cuts the answer there anyway.
    const stops = (request.stop ?? []).filter((stop) => stop.trim() !== '');
    let answer = '';
    // message_start's input counts are final; its output_tokens is a placeholder. The output
    // count comes in message_delta (cumulative), which a stream cut short never sends.
    let started: Usage | undefined;
    try {
      const stream = await this.retrying(deadline, async () => {
        const { data, response } = await this.client.messages
          .create(
            {
              model,
              max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
              messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
              stream: true,
              ...(request.system && { system: request.system }),
              ...(request.temperature !== undefined && { temperature: request.temperature }),
              ...(stops.length && { stop_sequences: stops }),
            },
            { signal: deadline.signal },
          )
          .withResponse();
        this.noteHeaders(response.headers);
        return data;
      });
      request.onSent?.({
        maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: request.temperature,
        ...(stops.length && { stop: stops }),
      });
      let finalOutput: number | undefined;
      let ended = false;
      let finishReason: string | undefined;
      for await (const event of stream) {
        deadline.alive();
        switch (event.type) {
          case 'message_start':
            started = startCounts(event.message.usage);
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              answer += event.delta.text;
              yield { type: 'text', text: event.delta.text };
            }
            break;
          case 'message_delta':
            ended = true;
            finalOutput = count(event.usage.output_tokens);
            finishReason = event.delta.stop_reason ?? finishReason;
            break;
          case 'message_stop':
            ended = true;
            break;
        }
      }
      if (deadline.signal.aborted) throw abortError(this.id, deadline);
      const input = (request.system ?? '') + request.messages.map((m) => m.content).join('\n');
      const estimate = estimatedUsage(input, answer);
      if (started && finalOutput !== undefined) {
        yield { type: 'done', usage: { ...started, outputTokens: finalOutput }, finishReason };
        return;
      }
      // The input as the server counted it, where it said; the output from the text that came.
      const partial = started ? { ...started, outputTokens: estimate.outputTokens, reported: false } : estimate;
      // Ended before message_delta and message_stop (a proxy that closed it, say): the answer was
      // cut off, and what came of it is billed. Either one ends it, with or without a usable count.
      if (!ended) {
        throw new ProviderError({
          kind: 'server',
          providerId: this.id,
          message: 'The backend ended the answer early.',
          usage: partial,
        });
      }
      yield { type: 'done', usage: partial, finishReason };
    } catch (error) {
      const failure = this.toProviderError(error, deadline);
      // Stopped, timed out or failed after message_start: the server counted the input (its cache
      // reads and writes too) and billed it, and what was written is output. Only the output is
      // estimated, as a request with no report would be whole.
      if (!started || failure.usage) throw failure;
      throw new ProviderError({
        ...failure,
        message: failure.message,
        usage: { ...started, outputTokens: estimateTokens(answer), reported: false },
      });
    } finally {
      deadline.dispose();
    }
  }

  fim(request: FimRequest): Promise<FimResult> {
    return fimOverChat((chatRequest) => this.chat(chatRequest), request, request.model ?? this.config.completionModel);
  }

  async listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    const deadline = startDeadline(options, 10_000);
    try {
      const models: ModelInfo[] = [];
      for await (const model of this.client.models.list({}, { signal: deadline.signal }))
        models.push({ id: model.id, name: model.display_name });
      return models;
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  probe(options: CallOptions = {}): Promise<ProbeResult> {
    return probeByListing((o) => this.listModels(o), options);
  }

  private retrying<T>(deadline: Deadline, operation: () => Promise<T>): Promise<T> {
    return retryingCall(deadline, operation, (error) => this.toProviderError(error, deadline), this.options.retry);
  }

  private noteHeaders(headers: Headers | undefined): void {
    reportRateLimits(this.options.hooks, this.id, headers);
  }

  private toProviderError(error: unknown, deadline: Deadline): ProviderError {
    this.noteHeaders((error as { headers?: Headers }).headers);
    return fromSdkError(error, Anthropic, {
      providerId: this.id,
      apiKey: this.apiKey,
      baseUrl: this.config.baseUrl,
      deadline,
      rawBodyOf: this.errorBodies.bodyOf,
    });
  }
}

/**
 * message_start's input counts as ours: Anthropic's input_tokens leaves out the cached part; ours
 * counts every input token, cache included (OpenAI's prompt_tokens convention), which pricing
 * relies on. Undefined when a count is no count, for the input to be estimated.
 */
function startCounts(counts: {
  input_tokens: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
}): Usage | undefined {
  const uncached = count(counts.input_tokens);
  const cacheReadTokens = optionalCount(counts.cache_read_input_tokens);
  const cacheWriteTokens = optionalCount(counts.cache_creation_input_tokens);
  if (uncached === undefined || cacheReadTokens === undefined || cacheWriteTokens === undefined) return undefined;
  return soundUsage({
    inputTokens: uncached + cacheReadTokens + cacheWriteTokens,
    outputTokens: 0,
    cacheReadTokens,
    cacheWriteTokens,
    reported: true,
  });
}

/**
 * One client for every OpenAI-compatible backend, on the official `openai` SDK. Presets differ
 * only in data (base URL, models, FIM route), not in code.
 */
import OpenAI from 'openai';
import type { APIPromise } from 'openai/core/api-promise';
import type { Stream } from 'openai/streaming';
import type { ProviderConfig } from '../settings/providerSettings';
import { HOSTED_CHAT_SILENCE, SDK_TIMEOUT_MS, startDeadline, type Deadline } from './deadline';
import { geminiCompletionEfforts } from './geminiThinking';
import { openAiReasoningModel, type OpenAiReasoningModel, type ReasoningEffort } from './openaiReasoning';
import {
  chatReadText,
  errorBodyCapture,
  fimListener,
  fimOverChat,
  probeByListing,
  reportRateLimits,
  retryingCall,
} from './clientSupport';
import { clientHeaders } from './clientEnv';
import { serverPart } from './errorWords';
import { guardedFetch } from './guardedFetch';
import { holeFillChatRequest } from './holeFillPrompt';
import { ProviderError } from './providerError';
import { ThinkTagFilter } from './thinkTags';
import type { RetryOptions } from './retryPolicy';
import type { Preset } from './presets';
import { abortError, fromSdkError } from './sdkErrors';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimListener,
  FimRequest,
  FimResult,
  ModelInfo,
  Provider,
  ProviderHooks,
  ProbeResult,
  Usage,
} from './types';
import { usageFromCounts, type UsageCounts } from './openaiUsage';
import { estimatedUsage, PromptCacheMemory } from './usage';

const DEFAULT_TIMEOUT_MS = 60_000;

/** A model id the server ignores: llama-server serves the one model it was started with. */
const PLACEHOLDER_MODEL = 'default';
/** How long the model a server lists stands for it: a restarted llama-server may serve another. */
const SERVED_MODEL_MS = 60_000;

export interface OpenAICompatibleOptions {
  hooks?: ProviderHooks;
  retry?: Omit<RetryOptions, 'signal'>;
}

export class OpenAICompatibleProvider implements Provider {
  readonly id: string;
  private readonly errorBodies: ReturnType<typeof errorBodyCapture>;
  private readonly client: OpenAI;
  private fimClient: OpenAI | undefined;
  /** Whether FIM calls may stream; off for good once the server refused a streamed one. */
  private fimStreams = true;
  /** Whether chat asks for usage in its stream; off where the preset or the server refuses it. */
  private chatStreamOptions: boolean;
  /** Models that refused the temperature asked for: they are asked at their own from then on. */
  private readonly temperatureRefused = new Set<string>();
  /**
   * How often each model refused the switch that turns its thinking down: past the last setting
   * its preset has (one for most, a Gemini model's levels), nothing is sent to it again.
   */
  private readonly thinkingRefusals = new Map<string, number>();
  /** The prompt cache reads completions last reported, for estimating those whose report never came. */
  private readonly promptCache = new PromptCacheMemory();
  /** The model the server listed in place of the placeholder, and when it was asked (`servedModel`). */
  private served: { model: Promise<string | undefined>; askedAt: number } | undefined;

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
    private readonly options: OpenAICompatibleOptions = {},
  ) {
    this.id = config.id;
    this.errorBodies = errorBodyCapture(
      guardedFetch({ providerId: config.id, apiKey, confirmPlainHttpKey: options.hooks?.confirmPlainHttpKey }),
    );
    this.client = this.makeClient(config.baseUrl);
    this.chatStreamOptions = config.preset.streamOptions !== false;
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const deadline = startDeadline(request, HOSTED_CHAT_SILENCE);
    const model = request.model ?? this.config.chatModel;
    // OpenAI's reasoning models refuse max_tokens, temperature and stop (see openaiReasoning.ts).
    const reasoning = openAiReasoningModel(model);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
    if (request.system) messages.push({ role: 'system', content: request.system });
    for (const message of request.messages) messages.push({ role: message.role, content: message.content });
    try {
      // A completion cannot wait for a model to think first (see Preset.thinkingSwitch).
      let thinkingOff = request.purpose === 'completion' ? this.thinkingOff(model) : undefined;
      const sending: ChatSending = {
        streamOptions: this.chatStreamOptions,
        temperature: !reasoning && request.temperature !== undefined && !this.temperatureRefused.has(model),
        thinking: thinkingOff !== undefined,
      };
      // Retrying is safe only until the first token: after that a retry would repeat text.
      const create = () =>
        this.sent(deadline, () =>
          this.client.chat.completions.create(
            chatBody(model, messages, request, reasoning, sending, thinkingOff?.fields),
            {
              signal: deadline.signal,
            },
          ),
        );
      let stream: Awaited<ReturnType<typeof create>> | undefined;
      while (!stream) {
        try {
          stream = await create();
        } catch (error) {
          // A server that refuses `stream_options`, this model's temperature (Kimi K2.5 and later
          // take only their own) or the thinking switch, by name, billed nothing: the request goes
          // again without it, and from then on (usage is then read if the stream carries it). A
          // Gemini model that refuses a thinking level is asked at its next one.
          const refused = refusedParameter(error, sending, this.config.preset.thinkingSwitch === 'gemini-effort');
          if (refused === undefined) throw error;
          sending[refused] = false;
          if (refused === 'streamOptions') this.chatStreamOptions = false;
          else if (refused === 'temperature') this.temperatureRefused.add(model);
          else {
            // The next setting down, if the preset has one (a Gemini model's next level).
            this.thinkingRefusals.set(model, (this.thinkingRefusals.get(model) ?? 0) + 1);
            thinkingOff = this.thinkingOff(model);
            sending.thinking = thinkingOff !== undefined;
          }
        }
      }
      request.onSent?.({
        maxTokens: request.maxTokens,
        temperature: sending.temperature ? request.temperature : undefined,
        ...(!reasoning && request.stop?.length && { stop: request.stop }),
        ...(reasoning?.fastestEffort &&
          request.purpose === 'completion' && { reasoningEffort: reasoning.fastestEffort }),
        ...(sending.thinking && thinkingOff && { reasoningEffort: thinkingOff.effort }),
      });
      let usage: Usage | undefined;
      let finishReason: string | undefined;
      // Whether the server sent a usage chunk at all, usable or not: it comes only at the end.
      let usageSent = false;
      // Reasoning some servers write into the content as <think>…</think> (see thinkTags.ts).
      const thinkTags = new ThinkTagFilter();
      let written = '';
      // Reasoning sent in `reasoning_content` or `reasoning`, beside the answer: billed as output too.
      let reasoned = '';
      for await (const chunk of stream) {
        deadline.alive();
        const choice = chunk.choices[0];
        const content = choice?.delta?.content ?? '';
        written += content;
        const filtered = content ? thinkTags.push(content) : { text: '', thinking: false, reasoning: '' };
        const text = filtered.text;
        const fieldReasoning = reasoningIn(choice?.delta);
        reasoned += fieldReasoning;
        const reasoning = fieldReasoning + filtered.reasoning;
        if (reasoning || filtered.thinking) yield { type: 'thinking', text: reasoning };
        if (text) yield { type: 'text', text };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        // The last report counts; one without usable counts leaves the usage to be estimated.
        if (chunk.usage) {
          usageSent = true;
          usage = usageFromCounts(chunk.usage);
        }
      }
      const ended = thinkTags.end();
      // A chat answer that opened with `<think>` and never closed it, though nothing cut it short,
      // was not reasoning: it is the answer, whole. A completion shows no such text.
      const rest =
        ended.unclosed && request.purpose !== 'completion' && finishReason !== 'length' ? written : ended.text;
      if (rest && !deadline.signal.aborted) yield { type: 'text', text: rest };
      // The SDK ends iteration quietly when the request is aborted; a cut-off answer must not
      // look complete, so say why it ended.
      if (deadline.signal.aborted) throw abortError(this.id, deadline);
      // What the model wrote counts: its reasoning, in the content or in a field of its own, too.
      const estimate = () => estimatedUsage(messages.map((m) => String(m.content)).join('\n'), reasoned + written);
      if (finishReason === 'error') {
        throw new ProviderError({
          kind: 'server',
          providerId: this.id,
          message: 'The backend stopped the answer with an error.',
        });
      }
      // Closed before its finish reason or usage (a proxy or load balancer that cut a long answer,
      // as the SDK ends quietly where `[DONE]` never came): the answer was cut off, and what came
      // of it is billed.
      if (finishReason === undefined && !usageSent) {
        throw new ProviderError({
          kind: 'server',
          providerId: this.id,
          message: 'The backend ended the answer early.',
          usage: estimate(),
        });
      }
      yield { type: 'done', usage: usage ?? estimate(), finishReason };
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  async fim(request: FimRequest): Promise<FimResult> {
    const route = this.config.preset.fimRoute;
    switch (route) {
      case 'chat':
        return fimOverChat(
          (chatRequest) => this.chat(chatRequest),
          request,
          request.model ?? this.config.completionModel,
          this.promptCache,
        );
      case 'mistral-fim':
        return this.fimMistral(request);
      case 'raw-template':
        // The completion engine picks the template from the model id or the user's setting. A
        // model whose id says nothing of its family (llama-server's `default`, LM Studio's
        // `qwen3-8b`, `openai/gpt-oss-20b`) has none: its hole is filled over chat, as Ollama's are.
        if (request.rawPrompt === undefined) return this.fimWithoutTemplate(request);
        // OpenAI-compatible servers take at most four stop sequences: the caller's first.
        return this.fimCompletions(
          { ...request, stop: [...(request.stop ?? []), ...(request.rawStop ?? [])].slice(0, 4) },
          request.rawPrompt,
          undefined,
          route,
        );
      default:
        // 'completions-suffix' and DeepSeek's /beta, which is the same call under another base URL.
        return this.fimCompletions(request, request.prefix, request.suffix, route);
    }
  }

  /** The hole filled over chat, for a raw-template backend whose model has no known template. */
  private async fimWithoutTemplate(request: FimRequest): Promise<FimResult> {
    const model = request.model ?? this.config.completionModel;
    try {
      return await fimOverChat((chatRequest) => this.chat(chatRequest), request, model, this.promptCache);
    } catch (error) {
      // A model that takes no chat either (a base model with no chat template) needs its family named.
      if (!ProviderError.is(error, 'bad-request')) throw error;
      throw new ProviderError({
        ...error,
        message: `${error.message} No FIM template is known for ${model}, so the completion went over chat; set switchboard.completion.template to the model's family to send its own FIM template.`,
      });
    }
  }

  estimateFimUsage(request: FimRequest, output: string): Usage {
    const model = request.model ?? this.config.completionModel;
    return this.promptCache.estimate(model, fimReadText(this.config.preset.fimRoute, request, model), output);
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

  probe(options: CallOptions = {}): Promise<ProbeResult> {
    return probeByListing((o) => this.listModels(o), options);
  }

  /**
   * llama-server's 'default' says nothing of the model, so no FIM template could be picked from
   * it; its /v1/models lists the one model it serves under the GGUF file's path or the alias it
   * was given (`qwen2.5-coder-1.5b-q8_0.gguf`), whose name does. Several listed (router mode)
   * or none, it cannot tell which one answers: the placeholder stays, and the hole goes over chat.
   */
  async servedModel(model: string, options: CallOptions = {}): Promise<string> {
    if (model !== PLACEHOLDER_MODEL || this.config.preset.fimRoute !== 'raw-template') return model;
    const now = Date.now();
    if (!this.served || now - this.served.askedAt > SERVED_MODEL_MS) {
      const asked = this.listModels({ timeoutMs: 3_000, ...options }).then(
        (models) => (models.length === 1 ? fileName(models[0]?.id ?? '') || undefined : undefined),
        () => {
          // A server still loading, or down, is asked again next time.
          if (this.served?.model === asked) this.served = undefined;
          return undefined;
        },
      );
      this.served = { model: asked, askedAt: now };
    }
    return (await this.served.model) ?? model;
  }

  private async fimCompletions(
    request: FimRequest,
    prompt: string,
    suffix: string | undefined,
    route: string,
  ): Promise<FimResult> {
    const onText = fimListener(request);
    if (!onText || !this.fimStreams) return this.fimCompletionsWhole(request, prompt, suffix, route);
    try {
      return await this.fimCompletionsStreamed(request, onText, prompt, suffix, route);
    } catch (error) {
      // A server that refuses a streamed FIM call outright (an old proxy that knows no
      // `stream_options`, say) was billed nothing: the same request goes again unstreamed, and
      // when that works, this backend gets whole answers from now on. A refusal for anything else
      // (a prompt past the context, a token the model does not take) would only come again, after
      // a local server evaluated the whole prompt a second time.
      if (!refusedStreaming(error)) throw error;
      const whole = await this.fimCompletionsWhole(request, prompt, suffix, route);
      this.fimStreams = false;
      return whole;
    }
  }

  private fimCompletionsWhole(
    request: FimRequest,
    prompt: string,
    suffix: string | undefined,
    route: string,
  ): Promise<FimResult> {
    const client = this.fimCompletionsClient();
    return this.fimCall(request, async (deadline, model) => {
      const response = await this.sent(deadline, () =>
        client.completions.create(
          { ...completionsBody(request, model, prompt, suffix), stream: false },
          { signal: deadline.signal },
        ),
      );
      const choice = response.choices[0];
      const text = choice?.text ?? '';
      return {
        text,
        route,
        model: response.model || model,
        finishReason: choice?.finish_reason ?? undefined,
        usage: this.fimUsage(model, prompt + (suffix ?? ''), text, response.usage),
      };
    });
  }

  /**
   * The same call, streamed: `onText` hears the text so far after every chunk, so the completion
   * engine can show a first line while the rest is still being generated. Usage comes in the last
   * chunk where the server reports it (`stream_options.include_usage`), else it is estimated.
   */
  private fimCompletionsStreamed(
    request: FimRequest,
    onText: FimListener,
    prompt: string,
    suffix: string | undefined,
    route: string,
  ): Promise<FimResult> {
    const client = this.fimCompletionsClient();
    return this.fimCall(request, async (deadline, model) => {
      // Retrying is safe only until the first token, as for chat.
      const stream = await this.sent(deadline, () =>
        client.completions.create(
          { ...completionsBody(request, model, prompt, suffix), stream: true, stream_options: { include_usage: true } },
          { signal: deadline.signal },
        ),
      );
      return this.gatherFim(stream, (choice) => choice.text, {
        deadline,
        onText,
        route,
        model,
        promptText: prompt + (suffix ?? ''),
      });
    });
  }

  /**
   * Reads a streamed FIM answer to its end: `onText` hears the text so far after every piece; the
   * usage is the server's from its last chunk where it reports one, else an estimate.
   */
  private async gatherFim<Choice extends { finish_reason?: string | null }>(
    stream: AsyncIterable<{ model?: string; choices?: Choice[]; usage?: UsageCounts | null }>,
    piece: (choice: Choice) => unknown,
    how: { deadline: Deadline; onText: FimListener; route: string; model: string; promptText: string },
  ): Promise<FimResult> {
    let text = '';
    let usage: UsageCounts | undefined;
    let finishReason: string | undefined;
    let answeredBy: string | undefined;
    let stoppedEarly = false;
    for await (const chunk of stream) {
      how.deadline.alive();
      answeredBy ||= chunk.model;
      const choice = chunk.choices?.[0];
      const more = choice ? piece(choice) : undefined;
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
      if (typeof more === 'string' && more) {
        text += more;
        // Leaving the loop closes the stream (the SDK aborts the request): the rest is never generated.
        if (how.onText(text) === 'enough' && !finishReason) {
          stoppedEarly = true;
          break;
        }
      }
    }
    // The SDK ends iteration quietly when the request is aborted: a cut-off answer is not one.
    if (how.deadline.signal.aborted && !stoppedEarly) throw abortError(this.id, how.deadline);
    // Nor is one whose stream closed before its finish reason or usage (see chat): its last line
    // may be cut mid-word, which must not show as ghost text; what came of it is billed.
    if (!stoppedEarly && finishReason === undefined && !usage) {
      throw new ProviderError({
        kind: 'server',
        providerId: this.id,
        message: 'The backend ended the answer early.',
        usage: this.fimUsage(how.model, how.promptText, text, undefined),
      });
    }
    return {
      text,
      route: how.route,
      model: answeredBy || how.model,
      finishReason,
      ...(stoppedEarly && { stoppedEarly }),
      usage: this.fimUsage(how.model, how.promptText, text, usage),
    };
  }

  /**
   * A FIM answer's usage: the server's, noted for estimating later ones, or, where none came (a
   * stream closed early, a server that reports nothing or no usable count), an estimate that counts the cache read
   * this backend's recent reports let it count on.
   */
  private fimUsage(model: string, promptText: string, text: string, reported: UsageCounts | null | undefined): Usage {
    const usage = reported ? usageFromCounts(reported) : undefined;
    if (!usage) return this.promptCache.estimate(model, promptText, text);
    this.promptCache.remember(model, promptText, usage);
    return usage;
  }

  private fimCompletionsClient(): OpenAI {
    return this.config.fimBaseUrl ? (this.fimClient ??= this.makeClient(this.config.fimBaseUrl)) : this.client;
  }

  /** Mistral's FIM endpoint is not part of the OpenAI API, but the SDK's generic POST reaches it. */
  private fimMistral(request: FimRequest): Promise<FimResult> {
    const onText = fimListener(request);
    return onText ? this.fimMistralStreamed(request, onText) : this.fimMistralWhole(request);
  }

  /** The same, streamed as chat-style deltas; Mistral puts the usage in the last chunk. */
  private fimMistralStreamed(request: FimRequest, onText: FimListener): Promise<FimResult> {
    return this.fimCall(request, async (deadline, model) => {
      const stream = await this.sent(deadline, () =>
        this.client.post<Stream<MistralFimChunk>>('/fim/completions', {
          body: { ...mistralFimBody(request, model), stream: true },
          stream: true,
          signal: deadline.signal,
        }),
      );
      return this.gatherFim(stream, (choice) => choice.delta?.content, {
        deadline,
        onText,
        route: 'mistral-fim',
        model,
        promptText: request.prefix + request.suffix,
      });
    });
  }

  private fimMistralWhole(request: FimRequest): Promise<FimResult> {
    return this.fimCall(request, async (deadline, model) => {
      const response = await this.sent(deadline, () =>
        this.client.post<MistralFimResponse>('/fim/completions', {
          body: mistralFimBody(request, model),
          signal: deadline.signal,
        }),
      );
      const choice = response.choices?.[0];
      const text = typeof choice?.message?.content === 'string' ? choice.message.content : '';
      return {
        text,
        route: 'mistral-fim',
        model: response.model ?? model,
        finishReason: choice?.finish_reason ?? undefined,
        usage: this.fimUsage(model, request.prefix + request.suffix, text, response.usage),
      };
    });
  }

  /** One FIM call under its deadline, with the model it asks for; every failure leaves it a ProviderError. */
  private async fimCall(
    request: FimRequest,
    call: (deadline: Deadline, model: string) => Promise<FimResult>,
  ): Promise<FimResult> {
    const deadline = startDeadline(request, DEFAULT_TIMEOUT_MS);
    try {
      return await call(deadline, request.model ?? this.config.completionModel);
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The body fields a completion sends to turn `model`'s thinking down, and the effort they stand
   * for (shown on the request page); undefined where the preset has none, or none is left.
   */
  private thinkingOff(model: string): { fields: Record<string, unknown>; effort: ReasoningEffort } | undefined {
    const thinkingSwitch = this.config.preset.thinkingSwitch;
    if (thinkingSwitch === undefined) return undefined;
    const refusals = this.thinkingRefusals.get(model) ?? 0;
    if (thinkingSwitch === 'gemini-effort') {
      const effort = geminiCompletionEfforts(model)[refusals];
      return effort === undefined ? undefined : { fields: { reasoning_effort: effort }, effort };
    }
    return refusals > 0 ? undefined : { fields: THINKING_OFF[thinkingSwitch], effort: 'none' };
  }

  /** Sends one request under the retry policy and hands its rate-limit headers to the meter. */
  private sent<T>(deadline: Deadline, request: () => APIPromise<T>): Promise<T> {
    return this.retrying(deadline, async () => {
      const { data, response } = await request().withResponse();
      this.noteHeaders(response.headers);
      return data;
    });
  }

  private retrying<T>(deadline: Deadline, operation: () => Promise<T>): Promise<T> {
    return retryingCall(deadline, operation, (error) => this.toProviderError(error, deadline), this.options.retry);
  }

  private makeClient(baseURL: string): OpenAI {
    return new OpenAI({
      // Local servers take no key, but the SDK insists on one; they ignore the header.
      apiKey: this.apiKey ?? 'no-key',
      // Never the account of the OpenAI key the shell may hold (see clientEnv.ts).
      organization: null,
      project: null,
      baseURL,
      defaultHeaders: clientHeaders(this.config.headers, this.apiKey),
      // Retries are decided by our own policy, which knows a quota from a rate limit.
      maxRetries: 0,
      // Our own deadline (startDeadline) ends every call; the SDK's timer only backs it up.
      timeout: SDK_TIMEOUT_MS,
      fetch: this.errorBodies.fetch,
    });
  }

  private noteHeaders(headers: Headers | undefined): void {
    reportRateLimits(this.options.hooks, this.id, headers);
  }

  private toProviderError(error: unknown, deadline: Deadline): ProviderError {
    const providerError = fromSdkError(error, OpenAI, {
      providerId: this.id,
      apiKey: this.apiKey,
      baseUrl: this.config.baseUrl,
      deadline,
      rawBodyOf: this.errorBodies.bodyOf,
    });
    this.noteHeaders((error as { headers?: Headers }).headers);
    return providerError;
  }
}

interface MistralFimChunk {
  model?: string;
  choices?: { delta?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function mistralFimBody(request: FimRequest, model: string) {
  return {
    model,
    prompt: request.prefix,
    suffix: request.suffix,
    max_tokens: request.maxTokens ?? 128,
    temperature: request.temperature ?? 0,
    ...(request.stop?.length && { stop: request.stop }),
  };
}

interface MistralFimResponse {
  model?: string;
  choices?: { message?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** Usage counts as OpenAI-style servers report them. */
/**
 * A FIM request's prompt as the model reads it on `route`, as the calls above send it: what its
 * prompt cache is keyed on (`PromptCacheMemory`).
 */
function fimReadText(route: string, request: FimRequest, model: string): string {
  if (route === 'raw-template' && request.rawPrompt !== undefined) return request.rawPrompt;
  // A raw-template backend's model with no template is asked over chat (`fimWithoutTemplate`).
  if (route === 'chat' || route === 'raw-template') return chatReadText(holeFillChatRequest({ ...request, model }));
  return request.prefix + request.suffix;
}

/**
 * A listed model's last path segment: llama-server lists a GGUF by the path it was loaded from,
 * whose folders may name another family, and whose home folder is nobody else's business.
 */
function fileName(id: string): string {
  return id.split(/[\\/]/).pop() ?? '';
}

/** The `/completions` body both FIM calls send, streamed or not. */
function completionsBody(request: FimRequest, model: string, prompt: string, suffix: string | undefined) {
  return {
    model,
    prompt,
    ...(suffix !== undefined && { suffix }),
    max_tokens: request.maxTokens ?? 128,
    temperature: request.temperature ?? 0,
    ...(request.stop?.length && { stop: request.stop }),
  };
}

/**
 * The reasoning a stream's delta carries: `reasoning_content` (DeepSeek, Alibaba, Z.ai, Moonshot)
 * or `reasoning` (OpenRouter, Ollama), neither of them OpenAI's own fields; '' when none.
 */
function reasoningIn(delta: unknown): string {
  if (typeof delta !== 'object' || delta === null) return '';
  const { reasoning_content: content, reasoning } = delta as Record<string, unknown>;
  // One of the two, never both: a server that sent the same text under both names would count it twice.
  if (typeof content === 'string' && content !== '') return content;
  return typeof reasoning === 'string' ? reasoning : '';
}

/** The body fields that turn a model's thinking off, per preset (see Preset.thinkingSwitch). */
const THINKING_OFF: Readonly<
  Record<Exclude<NonNullable<Preset['thinkingSwitch']>, 'gemini-effort'>, Record<string, unknown>>
> = {
  'thinking-type': { thinking: { type: 'disabled' } },
  'enable-thinking': { enable_thinking: false },
  'reasoning-effort': { reasoning: { effort: 'none' } },
  'effort-none': { reasoning_effort: 'none' },
  'template-kwargs': { chat_template_kwargs: { enable_thinking: false } },
};

/** The optional parts of a chat request this client sends, each dropped once refused by name. */
interface ChatSending {
  streamOptions: boolean;
  temperature: boolean;
  thinking: boolean;
}

/** A streamed chat request's body, fitted to the backend (see openaiReasoning.ts, Preset). */
function chatBody(
  model: string,
  messages: OpenAI.Chat.ChatCompletionMessageParam[],
  request: ChatRequest,
  reasoning: OpenAiReasoningModel | undefined,
  sending: ChatSending,
  thinkingOff: Record<string, unknown> | undefined,
): OpenAI.Chat.ChatCompletionCreateParamsStreaming {
  return {
    model,
    messages,
    stream: true,
    ...(sending.streamOptions && { stream_options: { include_usage: true } }),
    ...(request.maxTokens !== undefined &&
      (reasoning ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens })),
    ...(sending.temperature && { temperature: request.temperature }),
    ...(!reasoning && request.stop?.length && { stop: request.stop }),
    ...(reasoning?.fastestEffort && request.purpose === 'completion' && { reasoning_effort: reasoning.fastestEffort }),
    // Not an OpenAI parameter: the SDK sends the body as given.
    ...(sending.thinking && thinkingOff),
  } as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
}

/** Whether a FIM call was refused for being streamed: a 400 or 422 whose words name `stream` or `stream_options`. */
function refusedStreaming(error: unknown): boolean {
  return ProviderError.is(error, 'bad-request') && /\bstream(_options)?\b/i.test(serverPart(error.message));
}

/**
 * The parameter a request was refused for, when the refusal names one this client can leave out
 * (a 400 or 422 saying `stream_options`, `temperature` or `thinking`) and the request still carried it.
 * With `levelsUnnamed` (Gemini, whose words for a level a model does not take are not documented)
 * any other 400 while a thinking level went out is taken as a refusal of that level: the next
 * level, or none, costs one more request, where a refusal left standing would fail every one.
 */
function refusedParameter(error: unknown, sent: ChatSending, levelsUnnamed: boolean): keyof ChatSending | undefined {
  if (!ProviderError.is(error, 'bad-request')) return undefined;
  if (sent.streamOptions && /stream_options/.test(error.message)) return 'streamOptions';
  if (sent.temperature && /temperature/i.test(error.message)) return 'temperature';
  if (sent.thinking && (levelsUnnamed || /thinking|reasoning|chat_template_kwargs/i.test(error.message)))
    return 'thinking';
  return undefined;
}

/**
 * Ollama, over its native API: /api/tags, /api/show, /api/generate for FIM and /api/chat for chat
 * (ollamaChat.ts), each request fitted to the context window the model runs in (ollamaContext.ts,
 * ollamaChatContext.ts).
 */
import type { ProviderConfig } from '../settings/providerSettings';
import { fimListener, fimOverChat, probeByListing } from './clientSupport';
import { startDeadline } from './deadline';
import { callJson, callJsonLines, type JsonCall } from './httpJson';
import { fitToContext, modelFacts, type OllamaModelFacts } from './ollamaContext';
import { ProviderError } from './providerError';
import type { OpenAICompatibleOptions } from './openaiCompatible';
import { ollamaChat } from './ollamaChat';
import { CHAT_ANSWER_TOKENS, fitChatToContext } from './ollamaChatContext';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimListener,
  FimRequest,
  FimResult,
  ModelInfo,
  Provider,
  ProbeResult,
} from './types';
import { estimatedUsage } from './usage';
import { ollamaUsage } from './ollamaUsage';

const DEFAULT_TIMEOUT_MS = 60_000;
/** /api/show carries the Modelfile, template and license: a few KB to some hundreds; more is not a model's. */
const SHOW_BODY_BYTES = 1024 * 1024;

interface GenerateResponse {
  response?: string;
  model?: string;
  done_reason?: string;
  /** As the server sent them: checked before they are used. */
  prompt_eval_count?: unknown;
  eval_count?: unknown;
}

/** An answer as gathered: a streamed one may have been stopped once the caller had enough. */
type Generated = GenerateResponse & { stoppedEarly?: boolean };

export class OllamaProvider implements Provider {
  readonly id: string;
  private readonly root: string;
  /** What /api/show says of each model (suffix support, context window, thinking); asked once per model. */
  private readonly facts = new Map<string, Promise<OllamaModelFacts>>();
  /** The `num_ctx` last sent for each model: kept, since another value would reload the model. */
  private readonly askedWindow = new Map<string, number>();
  private readonly confirmPlainHttpKey: ((origin: string) => Promise<boolean>) | undefined;
  private readonly retry: OpenAICompatibleOptions['retry'];

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
    options: OpenAICompatibleOptions = {},
  ) {
    this.id = config.id;
    this.confirmPlainHttpKey = options.hooks?.confirmPlainHttpKey?.bind(options.hooks);
    this.retry = options.retry;
    // Accept both the server root and a root ending in /v1 (what users paste from Ollama's docs).
    this.root = config.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const model = request.model ?? this.config.chatModel;
    const facts = await this.modelFacts(model, request);
    const fitted = fitChatToContext(
      { system: request.system, messages: request.messages },
      request.maxTokens ?? CHAT_ANSWER_TOKENS,
      facts,
      this.askedWindow.get(model),
    );
    if (fitted.numCtx !== undefined) this.askedWindow.set(model, fitted.numCtx);
    const target = {
      providerId: this.id,
      url: `${this.root}/api/chat`,
      headers: this.headers(),
      apiKey: this.apiKey,
      confirmPlainHttpKey: this.confirmPlainHttpKey,
      retry: this.retry,
    };
    yield* ollamaChat(target, model, request, fitted, request.purpose === 'completion' && facts.thinking === true);
  }

  async fim(request: FimRequest): Promise<FimResult> {
    const model = request.model ?? this.config.completionModel;
    // The model's own template with `suffix` is best; a raw FIM template next; a chat prompt last.
    const facts = await this.modelFacts(model, request);
    const native = facts.suffix;
    if (!native && request.rawPrompt === undefined)
      return fimOverChat((chatRequest) => this.chat(chatRequest), request, model);
    const maxTokens = request.maxTokens ?? 128;
    const fitted = fitToContext(
      {
        prefix: request.prefix,
        suffix: request.suffix,
        ...(!native && { raw: request.rawPrompt, rawCut: request.rawPromptCut }),
      },
      maxTokens,
      facts,
      this.askedWindow.get(model),
    );
    if (fitted.numCtx !== undefined) this.askedWindow.set(model, fitted.numCtx);
    const deadline = startDeadline(request, DEFAULT_TIMEOUT_MS);
    try {
      // With raw:true Ollama applies no template: the prompt already carries the model's FIM tokens.
      const stop = [...(request.stop ?? []), ...(native ? [] : (request.rawStop ?? []))];
      const onText = fimListener(request);
      const body = native
        ? { model, prompt: fitted.prefix, suffix: fitted.suffix }
        : { model, prompt: fitted.raw, raw: true };
      const call = {
        providerId: this.id,
        url: `${this.root}/api/generate`,
        body: {
          ...body,
          // Streamed when the caller listens: a local model's first line shows while it writes the rest.
          stream: onText !== undefined,
          options: {
            num_predict: maxTokens,
            ...(fitted.numCtx !== undefined && { num_ctx: fitted.numCtx }),
            temperature: request.temperature ?? 0,
            ...(stop.length && { stop }),
          },
        },
        headers: this.headers(),
        apiKey: this.apiKey,
        confirmPlainHttpKey: this.confirmPlainHttpKey,
        deadline,
      };
      const data: Generated = onText
        ? await this.generateStreamed(call, onText, native ? fitted.prefix + fitted.suffix : (fitted.raw ?? ''))
        : (await callJson<GenerateResponse>(call)).data;
      const text = data.response ?? '';
      const usage = ollamaUsage(data);
      return {
        text,
        // Named apart, so a report of what was sent knows it was the raw template.
        route: native ? 'ollama-generate' : 'ollama-raw',
        model: data.model ?? model,
        finishReason: data.done_reason,
        ...(data.stoppedEarly && { stoppedEarly: true }),
        usage: usage ?? estimatedUsage(native ? fitted.prefix + fitted.suffix : (fitted.raw ?? ''), text),
      };
    } finally {
      deadline.dispose();
    }
  }

  /**
   * /api/generate's stream of JSON lines, gathered into the one answer `stream: false` gives; or,
   * when `onText` has had enough, the answer so far (`stoppedEarly`), the rest never generated.
   */
  private async generateStreamed(call: JsonCall, onText: FimListener, promptText: string): Promise<Generated> {
    const whole: Generated = { response: '' };
    let ended = false;
    await callJsonLines(call, (line) => {
      if (typeof line.error === 'string')
        throw new ProviderError({
          kind: 'server',
          providerId: this.id,
          message: `Ollama stopped the answer with an error: ${line.error}`,
        });
      if (typeof line.model === 'string') whole.model = line.model;
      if (line.done === true) {
        ended = true;
        if (typeof line.done_reason === 'string') whole.done_reason = line.done_reason;
        if (line.prompt_eval_count !== undefined) whole.prompt_eval_count = line.prompt_eval_count;
        if (line.eval_count !== undefined) whole.eval_count = line.eval_count;
      }
      if (typeof line.response === 'string' && line.response) {
        whole.response += line.response;
        if (onText(whole.response ?? '') === 'enough' && line.done !== true) {
          whole.stoppedEarly = true;
          return 'stop';
        }
      }
      // The answer ends at its done line: a stream held open after it is not waited for.
      if (ended) return 'stop';
    });
    // Closed before its done line: the last line may be cut mid-word, never shown as the answer.
    if (!ended && !whole.stoppedEarly)
      throw new ProviderError({
        kind: 'server',
        providerId: this.id,
        message: 'Ollama ended the answer early.',
        usage: estimatedUsage(promptText, whole.response ?? ''),
      });
    return whole;
  }

  async listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    const deadline = startDeadline(options, 10_000);
    try {
      const { data } = await callJson<{ models?: { name?: string; model?: string }[] }>({
        providerId: this.id,
        url: `${this.root}/api/tags`,
        headers: this.headers(),
        apiKey: this.apiKey,
        confirmPlainHttpKey: this.confirmPlainHttpKey,
        deadline,
      });
      return (data.models ?? []).flatMap((m) => ((m.name ?? m.model) ? [{ id: (m.name ?? m.model) as string }] : []));
    } finally {
      deadline.dispose();
    }
  }

  probe(options: CallOptions = {}): Promise<ProbeResult> {
    return probeByListing((o) => this.listModels(o), options);
  }

  /**
   * From /api/show: whether the model takes `suffix` (Ollama passes it only if the template uses
   * `.Suffix`), its context window and whether it thinks. Asked once per model, by FIM and chat
   * alike, within 5 s (or the caller's limit); the answer (a Modelfile, a template, a license) is
   * read up to SHOW_BODY_BYTES.
   */
  private modelFacts(model: string, options: CallOptions): Promise<OllamaModelFacts> {
    let known = this.facts.get(model);
    if (!known) {
      known = (async () => {
        const deadline = startDeadline(options, 5_000);
        try {
          const { data } = await callJson<unknown>({
            providerId: this.id,
            url: `${this.root}/api/show`,
            body: { model },
            headers: this.headers(),
            apiKey: this.apiKey,
            confirmPlainHttpKey: this.confirmPlainHttpKey,
            deadline,
            limits: { bodyBytes: SHOW_BODY_BYTES },
          });
          return modelFacts(data);
        } finally {
          deadline.dispose();
        }
      })();
      this.facts.set(model, known);
      // A failed lookup (server down, cancelled) is asked again next time.
      known.catch(() => this.facts.delete(model));
    }
    return known;
  }

  private headers(): Record<string, string> {
    return { ...this.config.headers, ...(this.apiKey && { authorization: `Bearer ${this.apiKey}` }) };
  }
}

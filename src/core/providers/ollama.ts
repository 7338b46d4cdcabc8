/**
 * Ollama. Chat goes through its OpenAI-compatible /v1 on the `openai` SDK; models, templates and
 * FIM use the native API, which the SDK cannot reach: /api/tags, /api/show, /api/generate.
 */
import type { ProviderConfig } from '../settings/providerSettings';
import { fimListener, fimOverChat, probeByListing } from './clientSupport';
import { startDeadline } from './deadline';
import { callJson, callJsonLines, type JsonCall } from './httpJson';
import { ProviderError } from './providerError';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from './openaiCompatible';
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
  Usage,
} from './types';
import { estimatedUsage } from './usage';
import { optionalCount } from '../usage/tokenCounts';

const DEFAULT_TIMEOUT_MS = 60_000;

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
  private readonly chatClient: OpenAICompatibleProvider;
  /** Whether a model's template takes a suffix, from /api/show; asked once per model. */
  private readonly suffixSupport = new Map<string, Promise<boolean>>();
  private readonly confirmPlainHttpKey: ((origin: string) => Promise<boolean>) | undefined;

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
    options: OpenAICompatibleOptions = {},
  ) {
    this.id = config.id;
    this.confirmPlainHttpKey = options.hooks?.confirmPlainHttpKey?.bind(options.hooks);
    // Accept both the server root and a root ending in /v1 (what users paste from Ollama's docs).
    this.root = config.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.chatClient = new OpenAICompatibleProvider(config, apiKey, { ...options, chatBaseUrl: `${this.root}/v1` });
  }

  chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    return this.chatClient.chat(request);
  }

  async fim(request: FimRequest): Promise<FimResult> {
    const model = request.model ?? this.config.completionModel;
    // The model's own template with `suffix` is best; a raw FIM template next; a chat prompt last.
    const native = await this.supportsSuffix(model, request);
    if (!native && request.rawPrompt === undefined)
      return fimOverChat((chatRequest) => this.chat(chatRequest), request, model);
    const deadline = startDeadline(request, DEFAULT_TIMEOUT_MS);
    try {
      // With raw:true Ollama applies no template: the prompt already carries the model's FIM tokens.
      const stop = [...(request.stop ?? []), ...(native ? [] : (request.rawStop ?? []))];
      const onText = fimListener(request);
      const body = native
        ? { model, prompt: request.prefix, suffix: request.suffix }
        : { model, prompt: request.rawPrompt, raw: true };
      const call = {
        providerId: this.id,
        url: `${this.root}/api/generate`,
        body: {
          ...body,
          // Streamed when the caller listens: a local model's first line shows while it writes the rest.
          stream: onText !== undefined,
          options: {
            num_predict: request.maxTokens ?? 128,
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
        ? await this.generateStreamed(call, onText)
        : (await callJson<GenerateResponse>(call)).data;
      const text = data.response ?? '';
      const usage = generatedUsage(data);
      return {
        text,
        // Named apart, so a report of what was sent knows it was the raw template.
        route: native ? 'ollama-generate' : 'ollama-raw',
        model: data.model ?? model,
        finishReason: data.done_reason,
        ...(data.stoppedEarly && { stoppedEarly: true }),
        usage: usage ?? estimatedUsage(request.prefix + request.suffix, text),
      };
    } finally {
      deadline.dispose();
    }
  }

  /**
   * /api/generate's stream of JSON lines, gathered into the one answer `stream: false` gives; or,
   * when `onText` has had enough, the answer so far (`stoppedEarly`), the rest never generated.
   */
  private async generateStreamed(call: JsonCall, onText: FimListener): Promise<Generated> {
    const whole: Generated = { response: '' };
    await callJsonLines(call, (line) => {
      if (typeof line.error === 'string')
        throw new ProviderError({
          kind: 'server',
          providerId: this.id,
          message: `Ollama stopped the answer with an error: ${line.error}`,
        });
      if (typeof line.model === 'string') whole.model = line.model;
      if (line.done === true) {
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

  /** Ollama passes `suffix` to the model only if its template uses `.Suffix`. */
  private supportsSuffix(model: string, options: CallOptions): Promise<boolean> {
    let known = this.suffixSupport.get(model);
    if (!known) {
      known = (async () => {
        const deadline = startDeadline(options, 5_000);
        try {
          const { data } = await callJson<{ template?: string; capabilities?: string[] }>({
            providerId: this.id,
            url: `${this.root}/api/show`,
            body: { model },
            headers: this.headers(),
            apiKey: this.apiKey,
            confirmPlainHttpKey: this.confirmPlainHttpKey,
            deadline,
          });
          return data.capabilities?.includes('insert') === true || /\.Suffix\b/.test(data.template ?? '');
        } finally {
          deadline.dispose();
        }
      })();
      this.suffixSupport.set(model, known);
      // A failed lookup (server down, cancelled) is asked again next time.
      known.catch(() => this.suffixSupport.delete(model));
    }
    return known;
  }

  private headers(): Record<string, string> {
    return { ...this.config.headers, ...(this.apiKey && { authorization: `Bearer ${this.apiKey}` }) };
  }
}

/**
 * The counts of Ollama's last object, when it has any and every one it has is a count; undefined
 * otherwise, for an estimate. One it leaves out is 0: Ollama before mid-2024 left prompt_eval_count
 * out when the whole prompt came from its cache (ollama/ollama#2068).
 */
function generatedUsage(data: Generated): Usage | undefined {
  if (data.prompt_eval_count === undefined && data.eval_count === undefined) return undefined;
  const inputTokens = optionalCount(data.prompt_eval_count);
  const outputTokens = optionalCount(data.eval_count);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true };
}

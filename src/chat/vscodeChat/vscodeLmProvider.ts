/**
 * The "VS Code language models" backend: the chat models VS Code already offers (a signed-in
 * Copilot's, or another chat extension's), behind the same `Provider` interface as every HTTP
 * backend, so switching to them is one pick in the switcher.
 */
import * as vscode from 'vscode';
import { fimOverChat } from '../../core/providers/clientSupport';
import { startDeadline, type Deadline } from '../../core/providers/deadline';
import { ProviderError, type ProviderErrorKind } from '../../core/providers/providerError';
import type {
  CallOptions,
  ChatEvent,
  ChatRequest,
  FimRequest,
  FimResult,
  ModelInfo,
  ProbeResult,
  Provider,
} from '../../core/providers/types';
import { estimatedUsage } from '../../core/providers/usage';
import type { ProviderConfig } from '../../core/settings/providerSettings';
import { editorModelId, matchEditorModel, withoutSwitchboard } from './editorModelMatch';

/** Silence limits: how long a model may take to start, and to pause mid-answer; never how long it talks. */
const CHAT_SILENCE = { firstByteMs: 120_000, idleMs: 60_000 };
/** Shown by VS Code when it asks the user, once, whether Switchboard may use another extension's models. */
const JUSTIFICATION = 'Switchboard sends your chat and inline completion requests to the model you chose.';

/**
 * What a failure of one of the editor's models is, by its `LanguageModelError` code or, for an error
 * that crossed from the model's extension as a plain Error, its name. Copilot Chat blocks an
 * extension that sends too fast for a while (`Blocked`, "try again later"), and names its spent
 * premium-request allowance `ChatQuotaExceeded` and its rate limit `ChatRateLimited`.
 */
const ERROR_KINDS: ReadonlyMap<string, ProviderErrorKind> = new Map([
  ['NoPermissions', 'auth'],
  ['Blocked', 'rate-limited'],
  ['NotFound', 'model-not-found'],
  ['ChatQuotaExceeded', 'quota-exhausted'],
  ['ChatRateLimited', 'rate-limited'],
]);

export const NO_LM_API = 'This VS Code has no language models API (vscode.lm); it needs VS Code 1.91 or later.';
export const NO_MODELS =
  'No language models are available — install or sign in to a chat extension (GitHub Copilot Chat, for one).';

/** How long a list of the editor's models is reused; `lm.onDidChangeChatModels` also clears it. */
const MODELS_TTL_MS = 30_000;
let known: { models: Promise<vscode.LanguageModelChat[]>; at: number } | undefined;

/**
 * The models VS Code offers other extensions, ours excluded so a request can never come back to
 * Switchboard. Selecting without a vendor makes VS Code ask every model provider, so the list is
 * kept briefly rather than fetched for each completion.
 */
export function editorChatModels(): Promise<vscode.LanguageModelChat[]> {
  if (typeof vscode.lm?.selectChatModels !== 'function') return Promise.resolve([]);
  if (known && Date.now() - known.at < MODELS_TTL_MS) return known.models;
  const models = Promise.resolve(vscode.lm.selectChatModels()).then(withoutSwitchboard);
  known = { models, at: Date.now() };
  models.catch(() => forgetEditorChatModels());
  return models;
}

/** Drops the kept list: VS Code said its models changed, or one of them was gone. */
export function forgetEditorChatModels(): void {
  known = undefined;
}

export class VsCodeLmProvider implements Provider {
  readonly id: string;

  constructor(private readonly config: ProviderConfig) {
    this.id = config.id;
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const deadline = startDeadline(request, CHAT_SILENCE);
    const cancellation = new vscode.CancellationTokenSource();
    const onAbort = () => cancellation.cancel();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    const messages = toLanguageModelMessages(request);
    let answer = '';
    try {
      const model = await this.pick(request.model ?? this.config.chatModel);
      const response = await model.sendRequest(messages, { justification: JUSTIFICATION }, cancellation.token);
      // The editor's models take no limits: none went out, whatever was asked.
      request.onSent?.({});
      for await (const text of response.text) {
        if (deadline.signal.aborted) break;
        deadline.alive();
        answer += text;
        yield { type: 'text', text };
      }
      // A cut-off answer must not look complete.
      if (deadline.signal.aborted) throw this.aborted(deadline);
      const prompt = [request.system ?? '', ...request.messages.map((message) => message.content)].join('\n');
      // The Language Model API reports no token counts: the ledger gets an estimate, marked as one.
      yield { type: 'done', usage: estimatedUsage(prompt, answer) };
    } catch (error) {
      throw this.toProviderError(error, deadline);
    } finally {
      deadline.signal.removeEventListener('abort', onAbort);
      deadline.dispose();
      // Also when the caller stopped reading early: VS Code stops the model's answer.
      cancellation.cancel();
      cancellation.dispose();
    }
  }

  fim(request: FimRequest): Promise<FimResult> {
    return fimOverChat((chatRequest) => this.chat(chatRequest), request, request.model ?? this.config.completionModel);
  }

  async listModels(options: CallOptions = {}): Promise<ModelInfo[]> {
    this.requireApi();
    if (options.signal?.aborted)
      throw new ProviderError({ kind: 'cancelled', providerId: this.id, message: 'Cancelled.' });
    const models = await editorChatModels();
    return models.map((model) => ({ id: editorModelId(model), name: model.name }));
  }

  async probe(options: CallOptions = {}): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const models = await this.listModels(options);
      if (!models.length) throw new ProviderError({ kind: 'model-not-found', providerId: this.id, message: NO_MODELS });
      return { ok: true, latencyMs: performance.now() - started, detail: `${models.length} models` };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, latencyMs: performance.now() - started, detail };
    }
  }

  private async pick(wanted: string): Promise<vscode.LanguageModelChat> {
    this.requireApi();
    const models = await editorChatModels();
    if (!models.length) throw new ProviderError({ kind: 'model-not-found', providerId: this.id, message: NO_MODELS });
    const model = matchEditorModel(models, wanted);
    if (model) return model;
    const offered = models.map(editorModelId).join(', ');
    throw new ProviderError({
      kind: 'model-not-found',
      providerId: this.id,
      message: `VS Code offers no language model matching "${wanted}". It offers: ${offered}.`,
    });
  }

  private requireApi(): void {
    if (typeof vscode.lm?.selectChatModels !== 'function') {
      throw new ProviderError({ kind: 'bad-request', providerId: this.id, message: NO_LM_API });
    }
  }

  private aborted(deadline: Deadline): ProviderError {
    return deadline.timedOut()
      ? new ProviderError({ kind: 'timeout', providerId: this.id, message: deadline.timeoutText() })
      : new ProviderError({ kind: 'cancelled', providerId: this.id, message: 'Cancelled.' });
  }

  private toProviderError(error: unknown, deadline: Deadline): ProviderError {
    if (error instanceof ProviderError) return error;
    if (deadline.signal.aborted || error instanceof vscode.CancellationError) return this.aborted(deadline);
    const message = error instanceof Error ? error.message : String(error);
    // LanguageModelError codes are the names of its factory functions (NoPermissions, Blocked, NotFound).
    // Any other error crosses from the model's extension as a plain Error that keeps only its name.
    const code =
      error instanceof vscode.LanguageModelError
        ? error.code
        : error instanceof Error && ERROR_KINDS.has(error.name)
          ? error.name
          : undefined;
    const kind = (code !== undefined ? ERROR_KINDS.get(code) : undefined) ?? 'server';
    if (kind === 'model-not-found') forgetEditorChatModels();
    const detail =
      kind === 'auth'
        ? `VS Code did not let Switchboard use this language model: ${message}`
        : message || 'The language model failed.';
    return new ProviderError({ kind, providerId: this.id, message: detail, code });
  }
}

/**
 * The stable API has user and assistant messages only, so a system prompt goes first, in a user
 * message of its own.
 */
function toLanguageModelMessages(request: ChatRequest): vscode.LanguageModelChatMessage[] {
  const messages = request.messages.map((message) =>
    message.role === 'user'
      ? vscode.LanguageModelChatMessage.User(message.content)
      : vscode.LanguageModelChatMessage.Assistant(message.content),
  );
  if (request.system) messages.unshift(vscode.LanguageModelChatMessage.User(request.system));
  return messages;
}

import * as vscode from 'vscode';
import type { Currency } from '../core/usage/money';
import {
  CompletionEngine,
  type CompletionBackend,
  type CompletionSettings,
  type Suggestion,
} from '../core/completion/engine';
import { ProviderError } from '../core/providers/providerError';
import type { CompletionExchange } from '../core/completion/exchangeReport';
import type { IndentStyle } from '../core/completion/reindent';
import type { FimRequest, FimResult, SentLimits } from '../core/providers/types';
import type { Backends } from '../backends/backends';
import type { CompletionContextFiles } from './contextFiles';
import { CompletionExclude } from './completionExclude';
import { log } from '../log';
import type { UsageMeter } from '../usage/usageMeter';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { systemClock } from '../core/clock';
import { SuggestionTracker } from '../core/usage/suggestionTracker';
import { promptPathOf } from '../promptPathOf';

export const ACCEPTED_COMMAND = 'switchboard.completionAccepted';

/** Completion's gears (completionGears.ts): may hold automatic requests or hand them to a local stand-in. */
export interface GearsHook {
  admit(backendId: string, signal: AbortSignal): Promise<boolean>;
  standIn(): ProviderConfig | undefined;
}

/** One request to the completion backend as the wrapper saw it, answered or failed. */
interface ExchangeNote {
  config: ProviderConfig;
  request: FimRequest;
  startedAt: number;
  costMicros: number | null;
  currency?: Currency;
  /** The ledger's mark: a plan covers the request. */
  inPlan?: boolean;
  result?: FimResult;
  /** What the ledger counted for a failed request (an estimate). */
  inputTokens?: number;
  error?: ProviderError;
}

/**
 * Thin adapter: VS Code document and cursor in, engine suggestions out as ghost-text items. The
 * engine decides whether to ask the backend at all; this class only translates and records.
 */
export class SwitchboardInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  readonly engine: CompletionEngine;
  /** Files that may hold secrets get no request at all. */
  readonly exclude = new CompletionExclude();
  private lastErrorKind: string | undefined;
  private last: CompletionExchange | undefined;
  /** The completion backend as of the last settings change, to tell a switch from any other change. */
  private completionId: string | undefined;
  private readonly exchanged = new vscode.EventEmitter<void>();
  private gears: GearsHook | undefined;
  /** Fires after each request to the backend, answered or not. */
  readonly onDidExchange = this.exchanged.event;
  /** The budget guard: false stops the request (a reached budget pauses automatic completion). */
  budgetGate: ((config: ProviderConfig, invoked: boolean, settings: CompletionSettings) => boolean) | undefined;
  /**
   * The automatic move away from a backend that ran out, while it is decided (the limit monitor's):
   * a request waits for it (bounded there) and goes where it leads.
   */
  movingAway: ((backendId: string) => Promise<void> | undefined) | undefined;
  /** Told each time ghost text is offered (the walkthrough ticks its completion step). */
  offered: (() => void) | undefined;
  /** What became of each suggestion (shown, accepted, still there later), for the usage ledger. */
  readonly suggestions: SuggestionTracker;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter | undefined,
    private readonly settings: () => CompletionSettings,
    private readonly context: CompletionContextFiles | undefined,
    private readonly onOutcome: (outcome: { ok: boolean; error?: ProviderError }) => void = () => {},
  ) {
    this.engine = new CompletionEngine({
      settings,
      beforeRequest: (backend, signal) => this.gears?.admit(backend.id, signal) ?? Promise.resolve(true),
    });
    this.suggestions = new SuggestionTracker({
      clock: systemClock,
      emit: (event) => meter?.recordEvent(event),
      documentText: (id) => vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === id)?.getText(),
    });
    this.subscriptions = [
      // A whole accept runs the item's command; the token says which suggestion it was.
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (_source?: unknown, token?: unknown) =>
        this.suggestions.acceptedWhole(token),
      ),
      // Accepting a word or a line has no stable event: it shows as one edit inserting the suggestion's start.
      vscode.workspace.onDidChangeTextDocument((event) => {
        const [change, more] = event.contentChanges;
        if (change && !more)
          this.suggestions.edited(event.document.uri.toString(), change.rangeOffset, change.rangeLength, change.text);
      }),
      // Switched away from: the answer under way would never be shown, so it is stopped (and
      // recorded as the left backend's, cut short) rather than generated and billed to the end.
      backends.onDidChange(() => {
        const id = backends.configFor('completion')?.id;
        if (id !== this.completionId) this.engine.reset();
        this.completionId = id;
      }),
    ];
    this.completionId = backends.configFor('completion')?.id;
  }

  /** Lets completion's gears hold requests when a window runs low. */
  useGears(gears: GearsHook): void {
    this.gears = gears;
  }

  /** The last request this window sent for a completion, for the "Show Last Completion Request" page. */
  get lastExchange(): CompletionExchange | undefined {
    return this.last;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.suggestions.dispose();
    this.exchanged.dispose();
    this.exclude.dispose();
  }

  provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    return this.provide(document, position, context, token, true);
  }

  /** `mayAskAgain`: a switch of backend while this request runs asks the new one, once, for the same pause. */
  private async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
    mayAskAgain: boolean,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.settings().enabled) return undefined;
    if (await this.exclude.excludedByTarget(document.uri)) return undefined;
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true))
      return undefined;
    // The backend ran out and the fallback order is moving completion on: asking it once more would
    // be a request past its limit, which the move would stop and throw away.
    const leaving = this.backends.configFor('completion')?.id;
    const moving = leaving === undefined ? undefined : this.movingAway?.(leaving);
    if (moving) {
      await moving;
      if (token.isCancellationRequested) return undefined;
    }
    // The backend the request will go to: a stand-in for a plan that runs low is weighed, not the plan.
    const budgetConfig = this.budgetGate && (this.gears?.standIn() ?? this.backends.configFor('completion'));
    const invoked = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    if (budgetConfig && !this.budgetGate?.(budgetConfig, invoked, this.settings())) return undefined;
    const backend = await this.backend();
    if (!backend || token.isCancellationRequested) return undefined;

    // With the suggest widget open VS Code shows only items that extend the selected suggestion
    // over its range: complete as if it were already inserted.
    const selected = context.selectedCompletionInfo;
    let text = document.getText();
    let offset = document.offsetAt(position);
    let range = wordBeforeCursor(document, position);
    if (selected) {
      const start = document.offsetAt(selected.range.start);
      text = text.slice(0, start) + selected.text + text.slice(document.offsetAt(selected.range.end));
      offset = start + selected.text.length;
      range = selected.range;
    }
    const head = selected ? selected.text : document.getText(range);

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const suggestions = await this.engine.complete(
        {
          documentId: document.uri.toString(),
          text,
          offset,
          languageId: document.languageId,
          path: promptPathOf(document.uri),
          untitled: document.isUntitled,
          trigger: context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke ? 'invoke' : 'automatic',
          snippets: () => this.context?.snippetsFor(document) ?? [],
          indentation: indentationOf(document),
        },
        backend,
        controller.signal,
      );
      if (token.isCancellationRequested) return undefined;
      // The backend changed while this one answered (a fallback at a limit, or the user's switch):
      // its answer, stopped at the switch, is not what they now ask for. The user still waits at
      // this pause, and no key will ask again, so the backend now in use answers it.
      // (A stand-in taking over from a plan that ran low meanwhile is no switch of theirs.)
      if (this.backends.configFor('completion')?.id !== backend.id && this.gears?.standIn()?.id !== backend.id)
        return mayAskAgain ? await this.provide(document, position, context, token, false) : undefined;
      const documentId = document.uri.toString();
      const cursor = document.offsetAt(position);
      if (suggestions.length) this.offered?.();
      return suggestions.map((suggestion, index) =>
        this.item(
          head,
          suggestion,
          suggestion.replaceAfter ? range.with({ end: range.end.translate(0, suggestion.replaceAfter) }) : range,
          this.suggestions.offered(
            documentId,
            cursor,
            suggestion.insertText,
            { backend: backend.id, model: backend.model },
            index === 0,
            document.eol === vscode.EndOfLine.CRLF,
          ),
        ),
      );
    } catch {
      // Already noted where the request failed; VS Code must not see a rejection per keystroke.
      return undefined;
    } finally {
      subscription.dispose();
    }
  }

  private item(
    head: string,
    suggestion: Suggestion,
    range: vscode.Range,
    tracked: number,
  ): vscode.InlineCompletionItem {
    // The range covers the partly typed word, so VS Code keeps showing the item while the user
    // types on along it, before any new answer arrives.
    const item = new vscode.InlineCompletionItem(head + suggestion.insertText, range);
    item.command = { title: 'Accepted', command: ACCEPTED_COMMAND, arguments: [suggestion.source, tracked] };
    return item;
  }

  /** The completion backend, with every request it sends recorded in the usage ledger. */
  private async backend(): Promise<CompletionBackend | undefined> {
    const config = this.gears?.standIn() ?? this.backends.configFor('completion');
    if (!config) return undefined;
    const provider = await this.backends.providerForConfig(config);
    const meter = this.meter;
    const noteOutcome = (error: unknown) => this.noteOutcome(error);
    const noteExchange = (exchange: ExchangeNote) => this.noteExchange(exchange);
    const tracker = this.suggestions;
    const settings = this.settings;
    // llama-server's 'default' names no family: the model it serves picks the FIM template.
    const model = (await provider.servedModel?.(config.completionModel)) ?? config.completionModel;
    return {
      id: config.id,
      model,
      async fim(request: FimRequest) {
        const startedAt = Date.now();
        // What goes out: the model's template around the code (with other files' snippets) where
        // the engine built one. A failure the server may bill is estimated from it, as it is held.
        const promptText = request.rawPrompt ?? request.prefix + request.suffix;
        // Budgets count the request at its worst case until it ends, however it ends.
        const release =
          meter?.reserve(
            config,
            request.model ?? config.completionModel,
            promptText,
            request.maxTokens ?? settings().maxTokens,
          ) ?? (() => {});
        // A streamed answer may be shown before it is recorded: the tracker learns its text as it
        // comes, and its record once there is one.
        const listener = request.onText;
        const progress = listener
          ? tracker.answering({ backend: config.id, model: request.model ?? config.completionModel })
          : undefined;
        // What a stream brought before it was cut: the server bills it and reports nothing.
        let received = '';
        // A failed attempt the provider sends again is a request of its own, which a plan counts.
        const onRetry = (retried: ProviderError) =>
          meter?.record({
            config,
            feature: 'completion',
            model: request.model ?? config.completionModel,
            askedModel: config.completionModel,
            startedAt,
            promptText,
            error: retried,
          });
        const sent: FimRequest =
          listener && progress
            ? {
                ...request,
                onRetry,
                // The engine's word that it has enough goes back to the provider, which stops there.
                onText: (textSoFar: string, route?: string) => {
                  received = textSoFar;
                  progress.text(textSoFar);
                  return listener(textSoFar, route);
                },
              }
            : { ...request, onRetry };
        try {
          const result = await provider.fim(sent);
          const recorded = meter?.record({
            config,
            feature: 'completion',
            model: result.model,
            askedModel: config.completionModel,
            startedAt,
            usage: result.usage,
          });
          const origin = { backend: config.id, model: result.model, request: recorded?.id };
          if (progress) progress.settle(origin, result.text);
          else tracker.answered(origin, result.text);
          noteOutcome(undefined);
          noteExchange({
            config,
            request,
            result,
            startedAt,
            costMicros: recorded?.costMicros ?? null,
            currency: recorded?.currency,
            ...(recorded?.inPlan && { inPlan: true }),
          });
          return result;
        } catch (error) {
          // A cancelled request is recorded too: the backend may bill it anyway.
          // Whatever failed is recorded as a failure, never as an answer ("ok").
          const providerError =
            error instanceof ProviderError
              ? error
              : new ProviderError({
                  kind: 'server',
                  providerId: config.id,
                  message: error instanceof Error ? error.message : String(error),
                });
          // Cut short after it went out: the provider estimates best, its backend's prompt cache included.
          const estimate = ProviderError.is(error, 'cancelled')
            ? provider.estimateFimUsage?.(sent, received)
            : undefined;
          const recorded = meter?.record({
            config,
            feature: 'completion',
            model: request.model ?? config.completionModel,
            askedModel: config.completionModel,
            startedAt,
            ...(estimate && { usage: estimate }),
            promptText,
            outputText: received,
            error: providerError,
          });
          progress?.settle(
            { backend: config.id, model: request.model ?? config.completionModel, request: recorded?.id },
            '',
          );
          if (!ProviderError.is(error, 'cancelled')) noteOutcome(error);
          noteExchange({
            config,
            request,
            startedAt,
            costMicros: recorded?.costMicros ?? null,
            currency: recorded?.currency,
            ...(recorded?.inPlan && { inPlan: true }),
            inputTokens: recorded?.inputTokens,
            error: providerError,
          });
          throw error;
        } finally {
          release();
        }
      },
    };
  }

  private noteExchange(exchange: ExchangeNote): void {
    const { config, request, result, error } = exchange;
    const now = Date.now();
    // What went out: over chat the client may have fitted the limits to the backend.
    const limits: SentLimits = result?.sent ?? request;
    this.last = {
      time: now,
      backendId: config.id,
      backendName: config.name,
      protocol: config.preset.protocol,
      model: result?.model ?? request.model ?? config.completionModel,
      ...(result && { route: result.route, answer: result.text }),
      ...(result?.finishReason && { finishReason: result.finishReason }),
      ...(result?.stoppedEarly && { stoppedEarly: true }),
      prefix: request.prefix,
      suffix: request.suffix,
      ...(request.rawPrompt !== undefined && { rawPrompt: request.rawPrompt }),
      ...(limits.stop && { stop: limits.stop }),
      ...(limits.maxTokens !== undefined && { maxTokens: limits.maxTokens }),
      ...(limits.temperature !== undefined && { temperature: limits.temperature }),
      ...(limits.reasoningEffort && { reasoningEffort: limits.reasoningEffort }),
      inputTokens: result?.usage.inputTokens ?? exchange.inputTokens ?? 0,
      outputTokens: result?.usage.outputTokens ?? 0,
      reported: result?.usage.reported ?? false,
      costMicros: exchange.costMicros,
      currency: exchange.currency,
      ...(exchange.inPlan && { inPlan: true }),
      latencyMs: now - exchange.startedAt,
      outcome: error?.kind ?? (result ? 'ok' : 'failed'),
      ...(error && { errorMessage: error.message }),
    };
    this.exchanged.fire();
  }

  /** Logs a failure when its kind changes, so a dead backend does not flood the log on every keystroke. */
  private noteOutcome(error: unknown): void {
    if (error === undefined) {
      if (this.lastErrorKind) log().info('Completion backend answered again.');
      this.lastErrorKind = undefined;
      this.onOutcome({ ok: true });
      return;
    }
    const providerError = error instanceof ProviderError ? error : undefined;
    const kind = providerError?.kind ?? 'unknown';
    if (kind !== this.lastErrorKind)
      log().warn(`Completion failed (${kind}): ${error instanceof Error ? error.message : String(error)}`);
    this.lastErrorKind = kind;
    this.onOutcome({ ok: false, error: providerError });
  }
}

/**
 * How the editor showing `document` indents it (what it inserts on Tab and Enter, detected from the
 * file unless the user turned that off); undefined when no editor shows it.
 */
function indentationOf(document: vscode.TextDocument): IndentStyle | undefined {
  const active = vscode.window.activeTextEditor;
  const editor =
    active?.document === document
      ? active
      : vscode.window.visibleTextEditors.find((visible) => visible.document === document);
  // Read back, the options are resolved: a boolean and numbers, never 'auto' or 'tabSize'.
  const { insertSpaces, indentSize, tabSize } = editor?.options ?? {};
  if (typeof insertSpaces !== 'boolean') return undefined;
  const size = typeof indentSize === 'number' ? indentSize : tabSize;
  return { insertSpaces, indentSize: typeof size === 'number' ? size : 4 };
}

/** From the start of the identifier the cursor ends, to the cursor. */
function wordBeforeCursor(document: vscode.TextDocument, position: vscode.Position): vscode.Range {
  const line = document.lineAt(position.line).text.slice(0, position.character);
  const word = /[\p{L}\p{N}_$]+$/u.exec(line);
  return new vscode.Range(position.translate(0, -(word?.[0].length ?? 0)), position);
}

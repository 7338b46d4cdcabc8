import * as vscode from 'vscode';
import { completeAt } from './core/completion/engine';
import { ProviderError } from './core/providers/providerError';
import type { Backends } from './backends';
import { log } from './log';
import type { UsageMeter } from './usage';

/** Thin adapter: VS Code document and cursor in, engine result out as one ghost-text item. */
export class SwitchboardInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private lastErrorKind: string | undefined;

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter | undefined,
    private readonly onOutcome: (outcome: { ok: boolean; error?: ProviderError }) => void = () => {},
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.backends.current().completionEnabled) return undefined;
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true)) return undefined;
    const provider = await this.backends.providerFor('completion');
    const config = this.backends.configFor('completion');
    if (!provider || !config || token.isCancellationRequested) return undefined;

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const startedAt = Date.now();
    const input = { text: document.getText(), offset: document.offsetAt(position), languageId: document.languageId, path: vscode.workspace.asRelativePath(document.uri, false) };
    // Every request goes to the ledger, a cancelled one too: the backend may bill it anyway.
    const backend = {
      fim: async (request: Parameters<typeof provider.fim>[0]) => {
        try {
          const result = await provider.fim(request);
          this.meter?.record({ config, feature: 'completion', model: result.model, startedAt, usage: result.usage });
          return result;
        } catch (error) {
          this.meter?.record({
            config,
            feature: 'completion',
            model: request.model ?? config.completionModel,
            startedAt,
            promptText: request.prefix + request.suffix,
            error: error instanceof ProviderError ? error : undefined,
          });
          throw error;
        }
      },
    };
    try {
      const result = await completeAt(backend, input, controller.signal, undefined, config.completionModel);
      this.noteOutcome(undefined);
      if (!result || token.isCancellationRequested) return undefined;
      const selected = context.selectedCompletionInfo;
      if (selected) {
        // With the suggest widget open VS Code shows only items that extend the selected suggestion.
        const typed = document.getText(selected.range);
        if (!(typed + result.insertText).startsWith(selected.text)) return undefined;
        return [new vscode.InlineCompletionItem(typed + result.insertText, selected.range)];
      }
      return [new vscode.InlineCompletionItem(result.insertText, new vscode.Range(position, position))];
    } catch (error) {
      if (ProviderError.is(error, 'cancelled')) return undefined;
      this.noteOutcome(error);
      return undefined;
    } finally {
      subscription.dispose();
    }
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
    if (kind !== this.lastErrorKind) log().warn(`Completion failed (${kind}): ${error instanceof Error ? error.message : String(error)}`);
    this.lastErrorKind = kind;
    this.onOutcome({ ok: false, error: providerError });
  }
}

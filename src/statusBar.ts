import * as vscode from 'vscode';
import type { Backends } from './backends';
import type { ProviderError } from './core/providers/providerError';

/**
 * The "Switchboard" status bar item: which backend serves completion and chat, and whether it
 * is working. Clicking it opens the switch picker.
 */
export class SwitchboardStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private lastError: ProviderError | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly backends: Backends) {
    this.item = vscode.window.createStatusBarItem('switchboard.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Switchboard';
    this.item.command = 'switchboard.switchProvider';
    this.subscription = backends.onDidChange(() => this.render());
    this.render();
  }

  setError(error: ProviderError | undefined): void {
    if (error?.kind === this.lastError?.kind && error?.message === this.lastError?.message) return;
    this.lastError = error;
    this.render();
  }

  render(): void {
    const settings = this.backends.current();
    const completion = this.backends.configFor('completion');
    const chat = this.backends.configFor('chat');
    const icon = !settings.completionEnabled ? '$(circle-slash)' : this.lastError ? '$(warning)' : '$(plug)';
    this.item.text = completion ? `${icon} ${completion.name}` : `${icon} Switchboard: no backend`;
    this.item.backgroundColor = this.lastError ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;

    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['switchboard.switchProvider', 'switchboard.toggleInlineCompletion', 'switchboard.setApiKey'] };
    tooltip.appendMarkdown('**Switchboard**\n\n');
    tooltip.appendMarkdown(`Completion: ${completion ? escape(`${completion.name} · ${completion.completionModel}`) : 'none'}`);
    tooltip.appendMarkdown(settings.completionEnabled ? '\n\n' : ' (off)\n\n');
    tooltip.appendMarkdown(`Chat: ${chat ? escape(`${chat.name} · ${chat.chatModel}`) : 'none'}\n\n`);
    if (this.lastError) tooltip.appendMarkdown(`$(warning) Last error: ${escape(this.lastError.message)}\n\n`);
    tooltip.appendMarkdown(
      '[Switch provider](command:switchboard.switchProvider) · [Toggle completion](command:switchboard.toggleInlineCompletion) · [Set API key](command:switchboard.setApiKey)',
    );
    this.item.tooltip = tooltip;
    if (settings.statusBarVisible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/** Escapes what Markdown would read as markup or a link in names that come from settings. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|!]/g, '\\$&');
}

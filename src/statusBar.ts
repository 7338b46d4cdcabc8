import * as vscode from 'vscode';
import type { Backends } from './backends';
import type { ProviderError } from './core/providers/providerError';
import { formatMicros } from './core/usage/formatMoney';
import type { Totals } from './core/usage/rollups';
import type { UsageMeter } from './usage';

/**
 * The "Switchboard" status bar item: which backend serves completion and chat, and whether it
 * is working. Clicking it opens the switch picker.
 */
export class SwitchboardStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private lastError: ProviderError | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly backends: Backends,
    private readonly meter?: UsageMeter,
  ) {
    this.item = vscode.window.createStatusBarItem('switchboard.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Switchboard';
    this.item.command = 'switchboard.switchProvider';
    this.subscriptions = [backends.onDidChange(() => this.render()), ...(meter ? [meter.onDidChange(() => this.render())] : [])];
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
    const today = this.meter?.today();
    const spent = today && today.requests > 0 ? ` · ${costText(today)}` : '';
    this.item.text = completion ? `${icon} ${completion.name}${spent}` : `${icon} Switchboard: no backend`;
    this.item.backgroundColor = this.lastError ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;

    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['switchboard.switchProvider', 'switchboard.toggleInlineCompletion', 'switchboard.setApiKey'] };
    tooltip.appendMarkdown('**Switchboard**\n\n');
    tooltip.appendMarkdown(`Completion: ${completion ? escape(`${completion.name} · ${completion.completionModel}`) : 'none'}`);
    tooltip.appendMarkdown(settings.completionEnabled ? '\n\n' : ' (off)\n\n');
    tooltip.appendMarkdown(`Chat: ${chat ? escape(`${chat.name} · ${chat.chatModel}`) : 'none'}\n\n`);
    if (today && today.requests > 0) {
      const month = this.meter?.month();
      tooltip.appendMarkdown(`Today (UTC): ${today.requests} requests · ${costText(today)}`);
      if (month) tooltip.appendMarkdown(` — this month: ${month.requests} requests · ${costText(month)}`);
      tooltip.appendMarkdown('\n\n');
    }
    if (this.lastError) tooltip.appendMarkdown(`$(warning) Last error: ${escape(this.lastError.message)}\n\n`);
    tooltip.appendMarkdown(
      '[Switch provider](command:switchboard.switchProvider) · [Toggle completion](command:switchboard.toggleInlineCompletion) · [Set API key](command:switchboard.setApiKey)',
    );
    this.item.tooltip = tooltip;
    if (settings.statusBarVisible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

/** Escapes what Markdown would read as markup or a link in names that come from settings. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|!]/g, '\\$&');
}

/** "$0.0042", or "$0.0042 + unpriced" when some requests had no known price (never shown as free). */
function costText(totals: Totals): string {
  if (totals.unpricedRequests === totals.requests) return 'price unknown';
  return `${formatMicros(totals.costMicros)}${totals.unpricedRequests > 0 ? ' + unpriced' : ''}`;
}

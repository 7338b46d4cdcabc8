import * as vscode from 'vscode';
import { exchangeReport } from '../core/completion/exchangeReport';
import type { SwitchboardInlineCompletionProvider } from './inlineCompletionProvider';

const SCHEME = 'switchboard-completion';
/** Read-only and never saved: a page VS Code asks the extension for, not a file. */
export const COMPLETION_REPORT_URI = vscode.Uri.from({ scheme: SCHEME, path: '/Last completion request.md' });

/**
 * "Switchboard: Show Last Completion Request": a markdown page with what the last completion
 * request sent and got back. It stays current while open, so it can sit beside the editor.
 */
export function registerCompletionReport(provider: SwitchboardInlineCompletionProvider): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  return [
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: () => exchangeReport(provider.lastExchange),
    }),
    provider.onDidExchange(() => changed.fire(COMPLETION_REPORT_URI)),
    vscode.commands.registerCommand('switchboard.showLastCompletion', async () => {
      const document = await vscode.workspace.openTextDocument(COMPLETION_REPORT_URI);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
  ];
}

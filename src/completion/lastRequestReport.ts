import * as vscode from 'vscode';
import { exchangeReport } from '../core/completion/exchangeReport';
import type { SwitchboardInlineCompletionProvider } from './inlineCompletionProvider';

const SCHEME = 'switchboard-completion';
/** Read-only and never saved: a page VS Code asks the extension for, not a file. */
export const COMPLETION_REPORT_URI = vscode.Uri.from({ scheme: SCHEME, path: '/Last completion request.md' });

/**
 * "Switchboard: Show Last Completion Request": what the last completion request sent and got
 * back, rendered by VS Code's markdown preview beside the editor. It stays current while open.
 * Every server-supplied word outside a code block is escaped by `exchangeReport`, so the
 * preview's HTML support never sees markup from a server.
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
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', COMPLETION_REPORT_URI);
      } catch {
        // The built-in Markdown extension is disabled: the source still reads.
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
    }),
  ];
}

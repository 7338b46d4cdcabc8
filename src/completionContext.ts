import * as vscode from 'vscode';
import type { ContextSnippet } from './core/completion/prompt';

const TRACKED = 20;
const CANDIDATES = 6;
/** Lines around an edit, and the most lines of a file offered whole. */
const AROUND_EDIT = 40;
const WHOLE_FILE_LINES = 400;

interface Seen {
  uri: string;
  /** Line of the latest edit, when the user edited it. */
  editedLine: number | undefined;
}

/**
 * Remembers which documents the user recently edited or looked at, and offers pieces of them as
 * prompt context for a file of the same language. Bounded in files and lines, so a long session
 * or a huge file cannot blow up the prompt or the time to build it.
 */
export class CompletionContext implements vscode.Disposable {
  private readonly recent: Seen[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        const change = event.contentChanges[0];
        if (change) this.note(event.document.uri, change.range.start.line);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.note(editor.document.uri, undefined);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
    for (const editor of vscode.window.visibleTextEditors) this.note(editor.document.uri, undefined);
  }

  /** Candidate snippets for `document`: recent same-language files first, then other visible editors. */
  snippetsFor(document: vscode.TextDocument): ContextSnippet[] {
    const current = document.uri.toString();
    const byUri = new Map(vscode.workspace.textDocuments.map((doc) => [doc.uri.toString(), doc]));
    const snippets: ContextSnippet[] = [];
    for (const seen of this.recent) {
      if (snippets.length >= CANDIDATES) break;
      const other = byUri.get(seen.uri);
      if (!other || seen.uri === current || other.languageId !== document.languageId || other.uri.scheme === 'output')
        continue;
      snippets.push({ path: vscode.workspace.asRelativePath(other.uri, false), text: excerpt(other, seen.editedLine) });
    }
    return snippets;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private note(uri: vscode.Uri, editedLine: number | undefined): void {
    if (
      uri.scheme !== 'file' &&
      uri.scheme !== 'untitled' &&
      uri.scheme !== 'vscode-remote' &&
      uri.scheme !== 'vscode-userdata'
    )
      return;
    const key = uri.toString();
    const index = this.recent.findIndex((seen) => seen.uri === key);
    const previous = index === -1 ? undefined : this.recent.splice(index, 1)[0];
    this.recent.unshift({ uri: key, editedLine: editedLine ?? previous?.editedLine });
    if (this.recent.length > TRACKED) this.recent.pop();
  }

  private forget(uri: vscode.Uri): void {
    const index = this.recent.findIndex((seen) => seen.uri === uri.toString());
    if (index !== -1) this.recent.splice(index, 1);
  }
}

/** The lines around the latest edit, or the start of a file the user only looked at. */
function excerpt(document: vscode.TextDocument, editedLine: number | undefined): string {
  if (document.lineCount <= WHOLE_FILE_LINES) return document.getText();
  const centre = editedLine ?? 0;
  const start = Math.max(0, centre - AROUND_EDIT);
  const end = Math.min(document.lineCount - 1, editedLine === undefined ? WHOLE_FILE_LINES - 1 : centre + AROUND_EDIT);
  return document.getText(new vscode.Range(start, 0, end, document.lineAt(end).text.length));
}

import * as vscode from 'vscode';
import type { ContextSource } from '../core/chat/contextItems';
import { realPathInside } from '../core/fsPaths/realPathInside';
import { promptPathOf } from '../promptPathOf';

/** Files larger than this are not opened as text to be cut down; they would only be truncated anyway. */
export const MAX_CONTEXT_FILE_BYTES = 5_000_000;

export type ContextFile =
  | { source: ContextSource }
  /** A link leads out of the workspace: not read. */
  | { refused: true }
  | { failed: string };

/**
 * A file the user chose as chat context, read as text: within the workspace on its real path (a
 * link may lead anywhere), not too large, and never thrown over.
 */
export async function readContextFile(uri: vscode.Uri, range?: vscode.Range): Promise<ContextFile> {
  const roots = (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
  if (roots.length && uri.scheme === 'file' && !(await realPathInside(uri.fsPath, roots))) return { refused: true };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_CONTEXT_FILE_BYTES) throw new Error(`larger than ${MAX_CONTEXT_FILE_BYTES / 1_000_000} MB`);
    const document = await vscode.workspace.openTextDocument(uri);
    const path = promptPathOf(uri);
    if (range && !range.isEmpty)
      return {
        source: {
          kind: 'selection',
          path,
          language: document.languageId,
          text: document.getText(range),
          startLine: range.start.line + 1,
          endLine: range.end.line + 1,
        },
      };
    return { source: { kind: 'file', path, language: document.languageId, text: document.getText() } };
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

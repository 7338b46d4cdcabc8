import * as vscode from 'vscode';
import { hiddenDirectionWarning } from '../core/chat/hiddenDirection';
import { linkTarget } from '../core/chat/linkTarget';
import { log } from '../log';
import { realPathInside } from '../core/fsPaths/realPathInside';

/**
 * What the chat's code-block buttons do: copy to the clipboard, insert at the cursor, or replace
 * the selection, in the editor the user last worked in. Returns a short status for the view.
 */
export async function applyCode(action: 'copy' | 'insert' | 'replace', code: string): Promise<string> {
  const hidden = hiddenDirectionWarning(code);
  if (hidden) {
    const proceed = action === 'copy' ? 'Copy Anyway' : 'Insert Anyway';
    const choice = await vscode.window.showWarningMessage(
      `Switchboard: ${hidden}`,
      {
        modal: true,
        detail: 'The editor marks these characters once the code is in a file. Read it there before you run it.',
      },
      proceed,
    );
    if (choice !== proceed) return 'Not used: the code holds invisible characters that change how it reads.';
  }
  if (action === 'copy') {
    await vscode.env.clipboard.writeText(code);
    return 'Code copied.';
  }
  // Focus in the chat view leaves the editor it came from active.
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage('Switchboard: open a file first, then insert the code.');
    return 'No editor is open to insert into.';
  }
  const done = await editor.edit((edit) => {
    for (const selection of editor.selections) {
      if (action === 'insert') edit.insert(selection.active, code);
      else edit.replace(selection, code);
    }
  });
  if (!done) return 'The editor did not accept the edit.';
  editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return action === 'insert' ? 'Code inserted at the cursor.' : 'Selection replaced with the code.';
}

/**
 * Opens a link from an answer after checking where it leads: web pages through VS Code's own
 * link handling (which asks before opening a new domain), files only inside the workspace.
 * Returns a short status for the view.
 */
export async function openLink(href: string): Promise<string> {
  const roots = (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
  const target = linkTarget(href, roots);
  switch (target.kind) {
    case 'external':
      await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
      return `Opened ${target.url}`;
    case 'file':
      for (const path of target.paths) {
        // Inside the workspace by its text is not enough: a linked folder can lead out of it.
        const real = await realPathInside(path, roots);
        if (real === undefined) continue;
        const uri = vscode.Uri.file(real);
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.type & vscode.FileType.Directory) {
            await vscode.commands.executeCommand('revealInExplorer', uri);
            return `Revealed ${vscode.workspace.asRelativePath(uri)} in the Explorer.`;
          }
        } catch {
          continue;
        }
        const line = target.line === undefined ? undefined : new vscode.Position(target.line - 1, 0);
        await vscode.window.showTextDocument(uri, {
          preview: true,
          ...(line && { selection: new vscode.Range(line, line) }),
        });
        return `Opened ${vscode.workspace.asRelativePath(uri)}`;
      }
      return 'That file does not exist in the workspace (or a link leads outside it).';
    case 'rejected':
      log().info(`Chat: did not open a link from an answer (${target.reason}).`);
      return `Not opened: ${target.reason}.`;
  }
}

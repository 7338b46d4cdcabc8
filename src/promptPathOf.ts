import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { promptPath } from './core/fsPaths/promptPath';

/**
 * What a prompt calls the file at `uri`: its path in its workspace folder, or its file name when
 * it is in none (VS Code's `asRelativePath` gives the absolute path then, which names the user).
 */
export function promptPathOf(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const relative = vscode.workspace.asRelativePath(uri, false);
  return promptPath(
    relative,
    folder?.uri.scheme === 'file' && uri.scheme === 'file' ? { folder: folder.uri.fsPath, home: homedir() } : undefined,
  );
}

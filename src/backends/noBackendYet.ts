import * as vscode from 'vscode';

/**
 * Said instead of a picker with nothing in it, when no backend is set up: what is missing, and
 * the command that adds one.
 */
export async function sayNoBackendYet(action: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `Switchboard: no backend is set up yet, so there is none to ${action}.`,
    'Add Provider…',
  );
  if (choice) await vscode.commands.executeCommand('switchboard.addProvider');
}

/**
 * A user settings.json that VS Code cannot write (a syntax error left while editing it by hand),
 * and ways to see what the extension says meanwhile.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config, eventually } from './helpers';

/** The user's settings.json, as VS Code opens it for them. */
export async function userSettingsFile(): Promise<vscode.Uri> {
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  const document = await eventually(
    () => vscode.window.activeTextEditor?.document,
    (found) => found?.uri.path.endsWith('/settings.json') === true,
    'the user settings.json to open',
  );
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return document!.uri;
}

/** Puts a syntax error into the user's settings.json; returns what puts the file back. */
export async function breakSettings(): Promise<() => Promise<void>> {
  const file = await userSettingsFile();
  const original = await vscode.workspace.fs.readFile(file);
  const text = new TextDecoder().decode(original);
  // A value half typed, as a save in the middle of an edit leaves it.
  const broken = text.replace(/\}\s*$/, ',\n  "editor.fontSize": \n}\n');
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(broken));
  await assert.rejects(
    Promise.resolve(config().update('statusBar.show', true, vscode.ConfigurationTarget.Global)),
    'VS Code refuses to write the broken settings.json',
  );
  return () => Promise.resolve(vscode.workspace.fs.writeFile(file, original));
}

/** Runs `body` with a syntax error in the user's settings.json; the file is put back after. */
export async function withBrokenSettings(body: () => Promise<void>): Promise<void> {
  const repair = await breakSettings();
  try {
    await body();
  } finally {
    await repair();
  }
}

/** Answers VS Code's error messages with `answer` while `body` runs; returns the messages. */
export async function answeringErrors(
  answer: (message: string) => Promise<string | undefined>,
  body: () => Promise<void>,
): Promise<string[]> {
  const shown: string[] = [];
  const window = vscode.window as { showErrorMessage: unknown };
  const original = window.showErrorMessage;
  window.showErrorMessage = (message: string) => {
    shown.push(message);
    return answer(message);
  };
  try {
    await body();
  } finally {
    window.showErrorMessage = original;
  }
  return shown;
}

/** Rejections nobody handled while `body` ran (the extension host only logs them). */
export async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    // Node reports an unhandled rejection after the microtask queue drains.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

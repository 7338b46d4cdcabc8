/**
 * Runs a palette command with its notices and pickers answered by Escape, and returns what it
 * showed, so a test can assert the words and buttons a user would read.
 */
import * as vscode from 'vscode';

/** What a command showed while it ran. */
export interface Said {
  /** The information messages, with their buttons' titles. */
  messages: { text: string; buttons: string[] }[];
  /** The item lists of the pickers shown. */
  pickers: unknown[][];
}

/** Runs `command`, answering every information message and picker with Escape. */
export async function runCommandSaying(command: string): Promise<Said> {
  const window = vscode.window as { showInformationMessage: unknown; showQuickPick: unknown };
  const originals = { info: window.showInformationMessage, pick: window.showQuickPick };
  const said: Said = { messages: [], pickers: [] };
  window.showInformationMessage = async (text: string, ...rest: unknown[]) => {
    said.messages.push({ text, buttons: rest.filter((item): item is string => typeof item === 'string') });
    return undefined;
  };
  window.showQuickPick = async (items: unknown) => {
    said.pickers.push([...((await items) as unknown[])]);
    return undefined;
  };
  try {
    await vscode.commands.executeCommand(command);
  } finally {
    window.showInformationMessage = originals.info;
    window.showQuickPick = originals.pick;
  }
  return said;
}

/** The texts of the information messages `command` showed. */
export async function messagesOf(command: string): Promise<string[]> {
  return (await runCommandSaying(command)).messages.map((message) => message.text);
}

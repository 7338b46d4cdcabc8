import * as vscode from 'vscode';
import { log } from '../log';

/** The button that opens the user's settings.json, where a refused write is fixed. */
export const OPEN_USER_SETTINGS = 'Open User Settings';

/**
 * Why a settings write failed, as a sentence. VS Code's `update` rejects when the user's
 * settings.json does not parse (a hand edit saved half done), cannot be written (read-only, a full
 * disk) or is dirty in an editor; its message says which.
 */
export function settingsWriteProblem(error: unknown): string {
  const said = (error instanceof Error ? error.message : String(error)).trim().replace(/\.$/, '');
  return `VS Code could not write your user settings.json (“${said}”).`;
}

/** Opens the user's settings.json when `choice` is the button that says so. */
export function openUserSettingsIf(choice: string | undefined): void {
  if (choice === OPEN_USER_SETTINGS) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
}

/**
 * Runs `write`, a settings change the user asked for; when VS Code refuses it, says what was not
 * saved and where to fix it, and returns false instead of rejecting (a rejected command shows
 * VS Code's bare message, or nothing when a notification's button or the chat view ran it).
 * `next` is what to do once the file is fixed, when it is more than trying again.
 */
export async function savedOrSaid(
  what: string,
  write: () => Thenable<unknown>,
  next = 'Fix the file, then try again.',
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    const message = `Switchboard: ${what} was not saved. ${settingsWriteProblem(error)} ${next}`;
    log().warn(message);
    void vscode.window.showErrorMessage(message, OPEN_USER_SETTINGS).then(openUserSettingsIf);
    return false;
  }
}

/** Said where `switchboard.providers` in the user settings holds something else than a list. */
export const NOT_A_LIST = 'switchboard.providers in your user settings is not a list (of provider entries).';

/**
 * The user settings' provider entries, to add to or remove from: none set is an empty list; a
 * value that is not a list is undefined, never written over (it is the user's, mistyped).
 */
export function userProviderList(settings: vscode.WorkspaceConfiguration): unknown[] | undefined {
  const value = settings.inspect<unknown>('providers')?.globalValue;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : undefined;
}

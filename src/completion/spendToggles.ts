/**
 * The completion toggles write to the scope that actually decides. Off is always the user's own
 * setting (it wins: a workspace can only lower spend). On clears every off that would keep it off:
 * the user's, and a workspace or folder setting's, and then says so, since that edits the
 * repository's settings. Nothing copies a workspace's values into the user's settings.
 */
import * as vscode from 'vscode';
import { languageMap, mapAllows, switchOffBy, userLanguages } from '../core/settings/spendScopes';
import { SECTION } from '../backends/settings';

const WHERE: Record<'workspace' | 'folder', string> = {
  workspace: "this workspace's settings",
  folder: "this folder's settings (.vscode/settings.json)",
};

/** Tells the user when a repository's setting was what kept completion off, and that it was changed there. */
function sayWhere(what: string, scopes: ('workspace' | 'folder')[]): void {
  if (!scopes.length) return;
  void vscode.window.showInformationMessage(
    `Switchboard: ${what} was off in ${scopes.map((scope) => WHERE[scope]).join(' and ')}, which overrode your own setting; it is now on there.`,
  );
}

function target(scope: 'workspace' | 'folder'): vscode.ConfigurationTarget {
  return scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.WorkspaceFolder;
}

const resource = () => vscode.window.activeTextEditor?.document.uri;

/** Sets `switchboard.completion.enabled` so that completion really is on or off afterwards. */
export async function setCompletionEnabled(on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION, resource());
  if (!on) {
    await config.update('completion.enabled', false, vscode.ConfigurationTarget.Global);
    return;
  }
  const off = switchOffBy(config.inspect('completion.enabled'));
  if (off.user) await config.update('completion.enabled', true, vscode.ConfigurationTarget.Global);
  const repository = (['workspace', 'folder'] as const).filter((scope) => off[scope]);
  for (const scope of repository) await config.update('completion.enabled', true, target(scope));
  sayWhere('Inline completion', [...repository]);
}

/** Switches completion on or off for one language, in the scopes that decide it. */
export async function setLanguageEnabled(language: string, on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION, resource());
  const scoped = config.inspect('completion.languages');
  const user = userLanguages(scoped);
  if (!on || !mapAllows(user, language)) {
    await config.update('completion.languages', { ...user, [language]: on }, vscode.ConfigurationTarget.Global);
  }
  if (!on) return;
  const changed: ('workspace' | 'folder')[] = [];
  for (const scope of ['workspace', 'folder'] as const) {
    const map = languageMap(scope === 'workspace' ? scoped?.workspaceValue : scoped?.workspaceFolderValue);
    if (!map || mapAllows(map, language)) continue;
    await config.update('completion.languages', { ...map, [language]: true }, target(scope));
    changed.push(scope);
  }
  sayWhere(`Completion for ${language}`, changed);
}

import * as vscode from 'vscode';
import { parseProviders, type ProviderConfig, type SettingsProblem } from './core/settings/providerSettings';

export const SECTION = 'switchboard';

export interface Settings {
  providers: ProviderConfig[];
  problems: SettingsProblem[];
  chatProviderId: string | undefined;
  completionProviderId: string | undefined;
  completionEnabled: boolean;
  statusBarVisible: boolean;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { providers, problems } = parseProviders(config.get<unknown>('providers'));
  const pickId = (key: string): string | undefined => {
    const value = config.get<unknown>(key);
    if (typeof value === 'string' && value.length > 0) return value;
    return providers[0]?.id;
  };
  return {
    providers,
    problems,
    chatProviderId: pickId('chat.provider'),
    completionProviderId: pickId('completion.provider'),
    completionEnabled: config.get<boolean>('completion.enabled', true) !== false,
    statusBarVisible: config.get<boolean>('statusBar.show', true) !== false,
  };
}

/**
 * Tells the user about a bad setting once per distinct problem, not on every read, so a broken
 * entry cannot cause a storm of notifications.
 */
export class SettingsProblemReporter {
  private readonly shown = new Set<string>();

  report(problems: readonly SettingsProblem[]): void {
    for (const problem of problems) {
      if (this.shown.has(problem.message)) continue;
      this.shown.add(problem.message);
      void vscode.window
        .showWarningMessage(`Switchboard: ${problem.message}`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
        });
    }
  }
}

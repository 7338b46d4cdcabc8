import * as vscode from 'vscode';
import { DEFAULT_COMPLETION_SETTINGS, type CompletionSettings } from '../core/completion/engine';
import type { TemplateId } from '../core/completion/fimTemplates';
import { parseProviders, type ProviderConfig, type SettingsProblem } from '../core/settings/providerSettings';

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
      void vscode.window.showWarningMessage(`Switchboard: ${problem.message}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
    }
  }
}

const TEMPLATE_IDS: readonly TemplateId[] = ['qwen', 'deepseek', 'codestral', 'starcoder', 'codellama', 'codegemma'];

/**
 * The completion settings, each kept to a sane range: a typo in settings.json (VS Code flags it
 * there too) falls back to the default instead of breaking completion. The snooze lives in
 * global state, not in settings, and is filled in by the caller.
 */
export function readCompletionSettings(snoozedUntil: number): CompletionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const defaults = DEFAULT_COMPLETION_SETTINGS;
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value)
      ? Math.round(Math.min(max, Math.max(min, value)))
      : fallback;
  };
  const languages: Record<string, boolean> = {};
  const rawLanguages = config.get<unknown>('completion.languages');
  if (rawLanguages && typeof rawLanguages === 'object') {
    for (const [language, on] of Object.entries(rawLanguages)) if (typeof on === 'boolean') languages[language] = on;
  }
  const template = config.get<unknown>('completion.template');
  const debounce = config.get<unknown>('completion.debounceMs');
  return {
    enabled: config.get<boolean>('completion.enabled', true) !== false,
    languages,
    maxFileChars: int('completion.maxFileSizeKB', defaults.maxFileChars / 1000, 1, 100_000) * 1000,
    skipUntitled: config.get<unknown>('completion.inUntitled') === false,
    snoozedUntil,
    promptTokens: int('completion.promptTokens', defaults.promptTokens, 256, 32_000),
    maxTokens: int('completion.maxTokens', defaults.maxTokens, 16, 2_048),
    maxLines: int('completion.maxLines', defaults.maxLines, 1, 200),
    debounceMs:
      typeof debounce === 'number' && Number.isFinite(debounce)
        ? Math.min(5_000, Math.max(0, Math.round(debounce)))
        : undefined,
    template: TEMPLATE_IDS.find((id) => id === template),
    manualCandidates: int('completion.manualCandidates', defaults.manualCandidates, 1, 5),
    reuse: config.get<unknown>('completion.reuse') !== false,
  };
}

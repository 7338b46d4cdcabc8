import * as vscode from 'vscode';
import { DEFAULT_COMPLETION_SETTINGS, type CompletionSettings } from '../core/completion/engine';
import type { TemplateId } from '../core/completion/fimTemplates';
import { COMPLETION_SPEEDS, DEFAULT_RHYTHM } from '../core/completion/typingRhythm';
import { parseProviders, type ProviderConfig, type SettingsProblem } from '../core/settings/providerSettings';
import { budgetProblems } from '../core/settings/budgetSettings';
import { problemsReport, SettingsProblemNews } from '../core/settings/settingsProblemNews';
import { log } from '../log';
import {
  cheaperChoice,
  cheaperLanguages,
  cheaperNumber,
  cheaperSwitch,
  savingSwitch,
} from '../core/settings/spendScopes';

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
  problems.push(...budgetProblems(config.get<unknown>('budget'), config.get<unknown>('fallbackBudget')));
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
    completionEnabled: cheaperSwitch(config.inspect('completion.enabled')),
    statusBarVisible: config.get<boolean>('statusBar.show', true) !== false,
  };
}

/**
 * Tells the user about bad settings once per event, not on every read, so a broken entry cannot
 * cause a storm of notifications (see `SettingsProblemNews`): one notification per read, every
 * problem of it in the log.
 */
export class SettingsProblemReporter {
  private readonly news = new SettingsProblemNews();

  report(problems: readonly SettingsProblem[]): void {
    const report = problemsReport(this.news.read(problems));
    if (!report) return;
    for (const line of report.log) log().warn(line);
    void vscode.window.showWarningMessage(`Switchboard: ${report.notice}`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    });
  }
}

const TEMPLATE_IDS: readonly TemplateId[] = ['qwen', 'deepseek', 'codestral', 'starcoder', 'codellama', 'codegemma'];

/**
 * The completion settings, each kept to a sane range: a typo in settings.json (VS Code flags it
 * there too) falls back to the default instead of breaking completion. The snooze lives in
 * global state, not in settings, and is filled in by the caller. Settings that raise spend take
 * a workspace's value only where it lowers spend (see spendScopes).
 */
export function readCompletionSettings(snoozedUntil: number): CompletionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const defaults = DEFAULT_COMPLETION_SETTINGS;
  const int = (value: unknown, fallback: number, min: number, max: number): number =>
    typeof value === 'number' && Number.isFinite(value) ? Math.round(Math.min(max, Math.max(min, value))) : fallback;
  const lower = (key: string) => cheaperNumber(config.inspect(key), 'lower');
  const template = config.get<unknown>('completion.template');
  return {
    enabled: cheaperSwitch(config.inspect('completion.enabled')),
    languages: cheaperLanguages(config.inspect('completion.languages')),
    maxFileChars: int(lower('completion.maxFileSizeKB'), defaults.maxFileChars / 1000, 1, 100_000) * 1000,
    skipUntitled: !cheaperSwitch(config.inspect('completion.inUntitled')),
    snoozedUntil,
    promptTokens: int(lower('completion.promptTokens'), defaults.promptTokens, 256, 32_000),
    maxTokens: int(lower('completion.maxTokens'), defaults.maxTokens, 16, 2_048),
    maxLines: int(lower('completion.maxLines'), defaults.maxLines, 1, 200),
    debounceMs: debounceSetting(config),
    template: TEMPLATE_IDS.find((id) => id === template),
    manualCandidates: int(lower('completion.manualCandidates'), defaults.manualCandidates, 1, 5),
    reuse: savingSwitch(config.inspect('completion.reuse')),
    speed: cheaperChoice(config.inspect('completion.speed'), COMPLETION_SPEEDS, defaults.speed),
  };
}

/**
 * A longer debounce sends fewer requests. With no number of the user's own the wait adapts to
 * their typing (up to DEFAULT_RHYTHM.maxMs), so a repository's number counts only from there up.
 */
function debounceSetting(config: vscode.WorkspaceConfiguration): number | undefined {
  const scoped = config.inspect('completion.debounceMs');
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  const clamp = (value: number) => Math.min(5_000, Math.max(0, Math.round(value)));
  if (typeof user === 'number' && Number.isFinite(user)) {
    const value = cheaperNumber(scoped, 'higher');
    return typeof value === 'number' ? clamp(value) : clamp(user);
  }
  const repository = [scoped?.workspaceValue, scoped?.workspaceFolderValue].filter(
    (value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= DEFAULT_RHYTHM.maxMs,
  );
  return repository.length ? clamp(Math.max(...repository)) : undefined;
}

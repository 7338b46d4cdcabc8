import * as vscode from 'vscode';
import type { CompletionSettings } from '../core/completion/engine';
import { languageEnabled } from '../core/completion/requestPolicy';
import { readCompletionSettings, SECTION } from '../backends/settings';
import { setLanguageEnabled } from './spendToggles';
import { savedOrSaid } from '../backends/settingsWrite';

const SNOOZE_KEY = 'switchboard.completion.snoozedUntil';
const SNOOZE_CHOICES = [5, 15, 30, 60];

/**
 * The user's hand on completion: snooze for a while, switch a language off or on, ask for
 * suggestions now. Holds the completion settings, re-read only when they change, since the
 * provider consults them on every keystroke.
 */
export class CompletionControls implements vscode.Disposable {
  private cached: CompletionSettings | undefined;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly state: vscode.Memento) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.completion`)) this.invalidate();
      }),
      vscode.commands.registerCommand('switchboard.snoozeCompletion', (minutes?: number) => this.snooze(minutes)),
      vscode.commands.registerCommand('switchboard.toggleCompletionForLanguage', (languageId?: string) =>
        this.toggleLanguage(languageId),
      ),
      vscode.commands.registerCommand('switchboard.triggerCompletion', () =>
        vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'),
      ),
    ];
    this.scheduleWake();
  }

  settings = (): CompletionSettings => (this.cached ??= readCompletionSettings(this.snoozedUntil()));

  snoozedUntil(): number {
    const until = this.state.get<number>(SNOOZE_KEY, 0);
    return typeof until === 'number' && until > Date.now() ? until : 0;
  }

  /** Snoozes for `minutes` (asked for when not given); 0 resumes. */
  async snooze(minutes?: number): Promise<void> {
    if (minutes === undefined) {
      const snoozed = this.snoozedUntil() > 0;
      const items = [
        ...(snoozed ? [{ label: 'Resume now', minutes: 0 }] : []),
        ...SNOOZE_CHOICES.map((choice) => ({ label: `${choice} minutes`, minutes: choice })),
      ];
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Snooze inline completion for',
        placeHolder: 'No requests are sent while snoozed.',
      });
      if (!picked) return;
      minutes = picked.minutes;
    }
    const until = minutes > 0 ? Date.now() + minutes * 60_000 : 0;
    await this.state.update(SNOOZE_KEY, until);
    this.invalidate();
    this.scheduleWake();
    void vscode.window.setStatusBarMessage(
      until
        ? // The status bar's own words for it: hours and minutes, no seconds.
          `Switchboard: completion snoozed until ${new Date(until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
        : 'Switchboard: completion resumed',
      3000,
    );
  }

  private async toggleLanguage(languageId?: string): Promise<void> {
    const language = languageId ?? vscode.window.activeTextEditor?.document.languageId;
    if (!language) {
      void vscode.window.showInformationMessage(
        'Switchboard: open a file to switch completion on or off for its language.',
      );
      return;
    }
    const on = !languageEnabled(this.settings().languages, language);
    // Written to the scopes that decide it; the user's own map keeps its defaults (plaintext and markdown off).
    if (!(await savedOrSaid(`Completion ${on ? 'on' : 'off'} for ${language}`, () => setLanguageEnabled(language, on))))
      return;
    void vscode.window.setStatusBarMessage(`Switchboard: completion ${on ? 'on' : 'off'} for ${language}`, 3000);
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  /** Ends the snooze on time, so the status bar does not keep saying "snoozed". */
  private scheduleWake(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const until = this.snoozedUntil();
    if (until > 0) this.wakeTimer = setTimeout(() => this.invalidate(), Math.min(until - Date.now() + 50, 2 ** 31 - 1));
  }

  dispose(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

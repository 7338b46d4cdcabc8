import * as vscode from 'vscode';
import type { CompletionSettings } from '../core/completion/engine';
import { languageEnabled, skipReason, type SkipReason } from '../core/completion/requestPolicy';
import { readCompletionSettings, SECTION } from '../backends/settings';
import { setLanguageEnabled } from './spendToggles';
import { savedOrSaid } from '../backends/settingsWrite';

const SNOOZE_KEY = 'switchboard.completion.snoozedUntil';
const SNOOZE_CHOICES = [5, 15, 30, 60];

/** What keeps an explicit request from being sent (the engine skips it too), and the way back. */
const HELD_BACK: Partial<Record<SkipReason, string>> = {
  disabled: 'inline completion is off. "Switchboard: Toggle Inline Completion" turns it on',
  snoozed: 'inline completion is snoozed. "Switchboard: Snooze Inline Completion…" resumes it',
  language:
    'inline completion is off for this language. "Switchboard: Toggle Inline Completion for This Language" turns it on',
  untitled: 'inline completion is off in untitled buffers (switchboard.completion.inUntitled)',
};

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
      vscode.commands.registerCommand('switchboard.triggerCompletion', () => this.suggestHere()),
    ];
    this.scheduleWake();
  }

  /** Asks for suggestions at the cursor, or says why none would come: from the palette, silence reads as broken. */
  private async suggestHere(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        'Switchboard: open a file and put the cursor where code should go, then ask for suggestions again.',
      );
      return;
    }
    const { document } = editor;
    const reason = skipReason(
      this.settings(),
      {
        text: document.getText(),
        offset: document.offsetAt(editor.selection.active),
        languageId: document.languageId,
        untitled: document.isUntitled,
      },
      Date.now(),
    );
    const heldBack = reason && HELD_BACK[reason];
    if (heldBack) {
      void vscode.window.showInformationMessage(`Switchboard: no suggestion will come here: ${heldBack}.`);
      return;
    }
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
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

import * as vscode from 'vscode';
import type { Backends } from '../backends/backends';
import { requestCost } from '../backends/backendPrices';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import type { CompletionSettings } from '../core/completion/engine';
import type { ProviderConfig } from '../core/settings/providerSettings';
import {
  budgetActionOf,
  decideBudgets,
  isBudgetReading,
  nearestBudget,
  reachedBudgets,
  storedManualHolds,
  type BackendSpend,
  type BudgetDecision,
  type BudgetHold,
  type BudgetScope,
} from '../core/usage/budgetAction';
import {
  budgetKey,
  budgetName,
  chatQuestion,
  manualTriggerNote,
  parseBudget,
  pausedFigure,
  pausedNote,
  pausedTooltip,
  spentTodayText,
} from '../core/usage/budgetText';
import { backendSpend } from '../core/usage/costClass';
import { formatMoney } from '../core/usage/formatMoney';
import { WARNING_FRACTION, type LimitReading, type LimitState } from '../core/usage/limits';
import { savedOrSaid } from '../backends/settingsWrite';
import { log } from '../log';
import type { LimitMonitor } from './limitMonitor';
import type { UsageMeter } from './usageMeter';

export const PAUSE_BUTTON = 'Pause completion until reset';
export const RAISE_BUTTON = 'Raise budget…';
/** Where the pauses chosen by hand are kept: global state, so every window and a reload see them. */
export const MANUAL_PAUSES_KEY = 'switchboard.budget.manualPauses';
/** setTimeout's longest delay; a month's reset is re-armed from there. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** What a budget notification adds: a note on the pause, its buttons, and what a click on one does. */
export interface BudgetOffer {
  note?: string;
  buttons: string[];
  act(choice: string | undefined): Promise<void>;
}

/**
 * Makes budgets hold: reads where every budget stands from the limit monitor and the settings'
 * `action`, pauses automatic completion for the backends a reached budget covers until it resets,
 * and asks before a chat request past one. The decisions are in core (`budgetAction.ts`).
 */
export class BudgetGuard implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a pause starts or ends. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private readonly spends = new WeakMap<ProviderConfig, Partial<Record<'completion' | 'chat', BackendSpend>>>();
  /** The last pause the completion gate acted on, so a pause is logged once, not per keystroke. */
  private lastLogged: string | undefined;
  /** The completion pause last shown, so a request starting or ending redraws only when it changes. */
  private shownPause: string | undefined;

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter,
    private readonly limits: LimitMonitor,
    private readonly state: vscode.Memento,
  ) {
    this.subscriptions = [
      this.changed,
      limits.onDidChange(() => this.arm()),
      meter.onDidChangeInFlight(() => this.inFlightChanged()),
    ];
    // A pause chosen before a reload, or in another window, holds here too and ends on time.
    if (this.manual().length) this.arm();
  }

  /**
   * Pauses chosen from a notification before the budget was reached, still running. They live in
   * global state, which every window of this editor shares and a reload keeps: a pause the user
   * chose holds until its reset, not until the window closes.
   */
  private manual(now = Date.now()): BudgetHold[] {
    return storedManualHolds(this.state.get(MANUAL_PAUSES_KEY), now);
  }

  /** Writes the pauses chosen by hand; false (and logged) when the editor could not keep them. */
  private async keepManual(holds: readonly BudgetHold[]): Promise<boolean> {
    try {
      await this.state.update(MANUAL_PAUSES_KEY, holds.length ? holds : undefined);
      return true;
    } catch (error) {
      log().warn(`Could not write the completion pauses: ${String(error)}`);
      return false;
    }
  }

  /** Every budget that is set: the overall one, and each provider entry's. */
  scopes(): BudgetScope[] {
    const overall = this.limits.overall();
    const action = budgetActionOf(
      vscode.workspace.getConfiguration('switchboard').get<{ action?: unknown }>('budget')?.action,
    );
    const scopes: BudgetScope[] = overall
      ? [{ name: 'all backends', action, readings: overall.readings.filter(isBudgetReading) }]
      : [];
    for (const config of this.backends.current().providers) {
      const readings = this.limits.stateOf(config.id)?.readings.filter(isBudgetReading) ?? [];
      if (readings.length)
        scopes.push({ backend: config.id, name: config.name, action: budgetActionOf(config.limits.action), readings });
    }
    return scopes;
  }

  /** What a backend can spend: nothing (local, free, plan, or priced at zero), a currency, or unknown. */
  private spendOf(config: ProviderConfig, role: 'completion' | 'chat'): BackendSpend {
    const cached = this.spends.get(config)?.[role];
    if (cached !== undefined) return cached;
    const spend = backendSpend(config, role, (presetId, model, local, baseUrl) =>
      loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl),
    );
    if (spend !== undefined) this.spends.set(config, { ...this.spends.get(config), [role]: spend });
    return spend;
  }

  decide(config: ProviderConfig, role: 'completion' | 'chat', now = Date.now()): BudgetDecision {
    const scopes = this.scopes();
    // With no budget set nothing is priced: the price data loads only where it is needed.
    const manual = this.manual(now);
    if (!scopes.length && !manual.length) return { warnOnly: [] };
    return decideBudgets({
      scopes,
      manual,
      backend: config.id,
      spend: this.spendOf(config, role),
      now,
      inFlight: (backend) => this.meter.inFlight.reserved(backend),
      spentUnknown: this.meter.unavailable !== undefined,
    });
  }

  /** A request started or ended: a pause that holds only while requests are under way may begin or end. */
  private inFlightChanged(): void {
    const hold = this.completionPause();
    const shown = hold && `${hold.backend ?? '*'}:${hold.reading.kind}:${hold.inFlight !== undefined}`;
    if (shown === this.shownPause) return;
    this.shownPause = shown;
    this.changed.fire();
  }

  /** The backend automatic completion goes to now (a plan's stand-in while it runs low); set by the host. */
  completionBackend: () => ProviderConfig | undefined = () => this.backends.configFor('completion');

  /** The pause on the completion backend now, if any: for the status bar. */
  completionPause(now = Date.now()): BudgetHold | undefined {
    const config = this.completionBackend();
    return config && this.decide(config, 'completion', now).completion;
  }

  /** The status bar's figure and tooltip line for a pause, or undefined when completion is not paused. */
  statusText(now = Date.now()): { figure: string; tooltip: string } | undefined {
    const hold = this.completionPause(now);
    if (!hold) return undefined;
    return { figure: pausedFigure(hold, now), tooltip: pausedTooltip(hold, this.spentToday(hold), now) };
  }

  /**
   * The inline completion gate: false stops an automatic request while a budget holds. A request
   * asked for (Alt+\) goes, and the status bar says what it may cost.
   */
  allowCompletion(config: ProviderConfig, invoked: boolean, settings: CompletionSettings): boolean {
    const hold = this.decide(config, 'completion').completion;
    if (!hold) return true;
    const key = `${hold.backend ?? '*'}:${hold.reading.kind}:${hold.until}:${hold.inFlight !== undefined}`;
    if (key !== this.lastLogged) {
      this.lastLogged = key;
      log().info(
        hold.unchecked
          ? `Automatic completion on ${config.name} is paused: its budget cannot be checked without the usage ledger.`
          : hold.inFlight === undefined
            ? `Automatic completion on ${config.name} is paused by a budget until ${new Date(hold.until).toISOString()}.`
            : `Automatic completion on ${config.name} is paused by a budget while the requests under way may reach it.`,
      );
    }
    if (!invoked) return false;
    // Asked for, completion sends one request per candidate (as the engine counts them).
    const requests = Math.max(1, Math.min(5, settings.manualCandidates));
    const price = requestCost(config, config.completionModel, {
      inputTokens: settings.promptTokens * requests,
      outputTokens: settings.maxTokens * requests,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reported: false,
    });
    const upTo = price.micros === null ? undefined : formatMoney(price.micros, price.currency);
    void vscode.window.setStatusBarMessage(manualTriggerNote(hold, upTo), 8_000);
    return true;
  }

  /** Before a chat request: true to send. Past a budget that holds, a modal asks, showing today's spend. */
  async confirmChat(config: ProviderConfig): Promise<boolean> {
    const now = Date.now();
    const hold = this.decide(config, 'chat', now).chat;
    if (!hold) return true;
    const send = 'Send';
    const choice = await vscode.window.showWarningMessage(
      `Switchboard: ${chatQuestion(hold, this.spentToday(hold), now)}`,
      { modal: true },
      send,
    );
    return choice === send;
  }

  /** Today's spend the budget counts: one backend's, or every backend's. */
  private spentToday(hold: BudgetHold): string {
    // Never "$0.00" for a spend nobody could count.
    return spentTodayText(
      this.meter.today(hold.backend),
      this.meter.unavailable ? 'the usage ledger could not be opened' : undefined,
    );
  }

  /**
   * The budget half of a notification about `config`'s limits (or, without it, the overall
   * budget's): a note when the pause is already on, "Pause completion until reset" when it is not,
   * and "Raise budget…". Undefined when no budget is at 80% or past.
   */
  offer(config: ProviderConfig | undefined, state: LimitState): BudgetOffer | undefined {
    const scope = this.scopes().find((candidate) => candidate.backend === config?.id);
    const reading = scope && nearestBudget(scope);
    if (!scope || !reading || reading.fraction < WARNING_FRACTION || state.level === 'ok') return undefined;
    const now = Date.now();
    const [reached] = reachedBudgets([{ ...scope, readings: [reading] }], now);
    // A pause already on, because the budget is reached or because the user chose it (in this
    // window or another), is said, not offered again.
    const chosen = this.manual(now).find(
      (hold) => hold.backend === scope.backend && hold.reading.kind === reading.kind,
    );
    const pause = reached !== undefined && scope.action === 'pause' ? reached : chosen;
    const buttons = [...(pause ? [] : [PAUSE_BUTTON]), RAISE_BUTTON];
    return {
      ...(pause && { note: pausedNote(pause, now, state.worst === reading) }),
      buttons,
      act: async (choice) => {
        // VS Code cannot close a notification once shown: an 80% warning may still be up (or in the
        // notification centre) when the budget is reached. Its buttons act on the budget as it
        // stands when clicked, as the 100% notification's do, not on the spend when it was shown.
        const now = this.scopes().find((candidate) => candidate.backend === scope.backend);
        const current = now?.readings.find((candidate) => candidate.kind === reading.kind);
        if (!now || !current) return;
        if (choice === PAUSE_BUTTON) await this.pauseUntilReset(now, current);
        if (choice === RAISE_BUTTON) await this.raise(now, current);
      },
    };
  }

  private async pauseUntilReset(scope: BudgetScope, reading: LimitReading): Promise<void> {
    if (reading.resetsAt === undefined) return;
    const kept = await this.keepManual([
      ...this.manual(),
      {
        ...(scope.backend !== undefined && { backend: scope.backend }),
        name: scope.name,
        reading,
        action: 'pause',
        until: reading.resetsAt,
        manual: true,
      },
    ]);
    if (!kept) {
      void vscode.window.showErrorMessage(
        'Switchboard: the editor could not save the pause; completion is not paused.',
      );
      return;
    }
    this.arm();
    this.changed.fire();
  }

  /** Asks for a new amount and writes it to the user settings, where budgets live. */
  private async raise(scope: BudgetScope, reading: LimitReading): Promise<void> {
    const key = budgetKey(reading);
    const text = await vscode.window.showInputBox({
      title: `Raise ${scope.backend === undefined ? 'the overall' : `${scope.name}'s`} ${budgetName(reading)}`,
      prompt: `New amount in ${reading.currency === 'CNY' ? 'yuan' : 'US dollars'} (${key}); written to your user settings.`,
      value: String(reading.limit / 1_000_000),
      validateInput: (value) => parseBudget(value, reading).error,
    });
    if (text === undefined) return;
    const parsed = parseBudget(text, reading);
    if (parsed.amount === undefined) return;
    // Manual pauses on this budget end with it.
    await this.keepManual(
      this.manual().filter((hold) => hold.backend !== scope.backend || hold.reading.kind !== reading.kind),
    );
    const settings = vscode.workspace.getConfiguration('switchboard');
    if (scope.backend === undefined) {
      const current = settings.inspect<Record<string, unknown>>('budget')?.globalValue ?? {};
      const write = () =>
        settings.update('budget', { ...current, [key]: parsed.amount }, vscode.ConfigurationTarget.Global);
      if (!(await savedOrSaid(`The new amount for ${budgetName(reading)}`, write))) return;
    } else {
      const entries = settings.inspect<unknown[]>('providers')?.globalValue;
      const index = Array.isArray(entries)
        ? entries.findIndex((entry) => (entry as { id?: unknown } | null)?.id === scope.backend)
        : -1;
      if (!Array.isArray(entries) || index < 0) {
        void vscode.window.showWarningMessage(
          `Switchboard: ${scope.name} is not in your user settings; change limits.${key} where it is set.`,
        );
        return;
      }
      const entry = entries[index] as { limits?: Record<string, unknown> };
      const updated = [...entries];
      updated[index] = { ...entry, limits: { ...entry.limits, [key]: parsed.amount } };
      const write = () => settings.update('providers', updated, vscode.ConfigurationTarget.Global);
      if (!(await savedOrSaid(`The new amount for ${scope.name}'s ${budgetName(reading)}`, write))) return;
    }
    this.changed.fire();
  }

  /** A timer at the next end of a pause, so the status bar and the gate move on at the reset by themselves. */
  private arm(): void {
    const now = Date.now();
    const ends = [...reachedBudgets(this.scopes(), now), ...this.manual(now)].map((hold) => hold.until);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!ends.length) return;
    const delay = Math.min(Math.max(0, Math.min(...ends) - now) + 1_000, LONGEST_TIMER_MS);
    this.timer = setTimeout(() => {
      this.limits.update();
      this.changed.fire();
    }, delay);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

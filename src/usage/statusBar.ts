import * as vscode from 'vscode';
import type { Backends } from '../backends/backends';
import type { ProviderError } from '../core/providers/providerError';
import { formatAmounts } from '../core/usage/formatMoney';
import type { Totals } from '../core/usage/rollups';
import type { UsageMeter } from './usageMeter';
import type { LimitMonitor } from './limitMonitor';
import { describeReading, describeState, formatReset } from '../core/usage/switchAdvice';
import { planWindowReadings, projectExhaustion, type LimitState } from '../core/usage/limits';
import { nearestWindowText } from '../core/usage/planWindows';

/**
 * The "Switchboard" status bar item: which backend serves completion and chat, and whether it
 * is working. Clicking it opens the switch picker.
 */
export class SwitchboardStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private lastError: ProviderError | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private completionState: (() => CompletionState) | undefined;

  constructor(
    private readonly backends: Backends,
    private readonly meter?: UsageMeter,
    private readonly limits?: LimitMonitor,
  ) {
    this.item = vscode.window.createStatusBarItem('switchboard.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Switchboard';
    this.item.command = 'switchboard.switchProvider';
    this.subscriptions = [
      backends.onDidChange(() => this.render()),
      ...(limits ? [limits.onDidChange(() => this.render())] : meter ? [meter.onDidChange(() => this.render())] : []),
    ];
    this.render();
  }

  /** Shows snooze and per-language state; re-renders when they or the active editor change. */
  watchCompletion(state: () => CompletionState, onDidChange: vscode.Event<void>): void {
    this.completionState = state;
    this.subscriptions.push(
      onDidChange(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  setError(error: ProviderError | undefined): void {
    if (error?.kind === this.lastError?.kind && error?.message === this.lastError?.message) return;
    this.lastError = error;
    this.render();
  }

  render(): void {
    const settings = this.backends.current();
    const completion = this.backends.configFor('completion');
    const chat = this.backends.configFor('chat');
    const now = Date.now();
    // The status of whichever active backend is worse.
    const states = [completion, chat].flatMap((config) =>
      config ? [[config, this.limits?.stateOf(config.id)] as const] : [],
    );
    const overall = this.limits?.overall();
    const [worstConfig, worstState] = [
      ...states,
      ...(overall ? [[{ name: 'All backends' }, overall] as const] : []),
    ].reduce<readonly [unknown, LimitState | undefined]>(
      (top, next) => (rank(next[1]) > rank(top[1]) ? next : top),
      [undefined, undefined],
    );
    const level = worstState?.level ?? 'ok';
    const paused = this.completionState?.();
    const pausedText = paused?.snoozedUntil
      ? `snoozed until ${new Date(paused.snoozedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
      : paused?.languageOff
        ? `off for ${paused.languageOff}`
        : paused?.offReason
          ? 'off for this file'
          : undefined;
    // The tooltip has room for why.
    const pausedWhy = pausedText && !paused?.snoozedUntil && !paused?.languageOff ? paused?.offReason : undefined;
    const icon = !settings.completionEnabled
      ? '$(circle-slash)'
      : paused?.snoozedUntil
        ? '$(clock)'
        : level === 'exhausted'
          ? '$(error)'
          : level === 'warning' || this.lastError
            ? '$(warning)'
            : '$(plug)';
    const today = this.meter?.today();
    let figure = today && today.requests > 0 ? ` · ${costText(today)}` : '';
    if (level !== 'ok' && worstState?.worst?.kind.startsWith('requests'))
      figure = ` · ${worstState.worst.used.toLocaleString('en-US')}/${worstState.worst.limit.toLocaleString('en-US')}`;
    if (level === 'exhausted' && worstState?.failure) figure = ` · ${worstState.failure.kind.replace(/-/g, ' ')}`;
    if (pausedText && level === 'ok') figure = ` · ${pausedText}`;
    // A backend on a subscription plan shows its nearest window instead: "Coding Plan · 312 / 6,000 in 5 h · resets 14:20".
    const planned = [completion, chat].find((config) => config?.plan);
    const plannedState = planned && this.limits?.stateOf(planned.id);
    // A refused key or an empty account says more than the window does.
    const planText =
      planned?.plan &&
      (!plannedState?.failure || plannedState.failure.kind === 'quota-exhausted') &&
      nearestWindowText(planned.plan.label, planWindowReadings(plannedState), now);
    this.item.text = completion
      ? `${icon} ${planText && !(pausedText && level === 'ok') ? planText : `${completion.name} · ${completion.completionModel}${figure}`}`
      : `${icon} Switchboard: no backend`;
    this.item.backgroundColor =
      level === 'exhausted'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : level === 'warning' || this.lastError
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;

    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = {
      enabledCommands: [
        'switchboard.switchProvider',
        'switchboard.toggleInlineCompletion',
        'switchboard.snoozeCompletion',
        'switchboard.toggleCompletionForLanguage',
        'switchboard.setApiKey',
        'switchboard.showUsage',
        'switchboard.openDashboard',
        'switchboard.showLastCompletion',
        'switchboard.setPrice',
      ],
    };
    tooltip.appendMarkdown('**Switchboard**\n\n');
    tooltip.appendMarkdown(
      `Completion: ${completion ? escape(`${completion.name} · ${completion.completionModel}`) : 'none'}`,
    );
    tooltip.appendMarkdown(
      !settings.completionEnabled
        ? ' (off)\n\n'
        : pausedText
          ? ` (${escape(pausedWhy ? `${pausedText}: ${pausedWhy}` : pausedText)})\n\n`
          : '\n\n',
    );
    tooltip.appendMarkdown(`Chat: ${chat ? escape(`${chat.name} · ${chat.chatModel}`) : 'none'}\n\n`);
    if (worstState && level !== 'ok' && worstConfig) {
      const sentence = describeState((worstConfig as { name: string }).name, worstState, now);
      if (sentence) tooltip.appendMarkdown(`$(warning) ${escape(sentence)}\n\n`);
    }
    if (this.meter && settings.providers.length) {
      tooltip.appendMarkdown('| backend | today | month | remaining | resets |\n|---|---|---|---|---|\n');
      for (const config of settings.providers) {
        const state = this.limits?.stateOf(config.id);
        const day = this.meter.today(config.id);
        const month = this.meter.month(config.id);
        const closest = state?.readings.reduce<(typeof state.readings)[number] | undefined>(
          (top, r) => (!top || r.fraction > top.fraction ? r : top),
          undefined,
        );
        const remaining = closest ? escape(describeReading(closest)) : '—';
        const resets = closest?.resetsAt ? formatReset(closest.resetsAt, now) : '—';
        const spent = (totals: Totals | undefined) =>
          config.plan ? 'included in plan' : totals ? costText(totals) : '$0.00';
        tooltip.appendMarkdown(
          `| ${escape(config.name)} | ${day?.requests ?? 0} req · ${spent(day)} | ${spent(month)} | ${remaining} | ${resets} |\n`,
        );
      }
      tooltip.appendMarkdown('\n');
      for (const config of settings.providers) {
        for (const free of this.limits?.freeTokensOf(config, now) ?? [])
          tooltip.appendMarkdown(
            `${escape(config.name)} · free quota for ${escape(free.model)}: ${free.remaining.toLocaleString('en-US')} of ${free.limit.toLocaleString('en-US')} free tokens remaining, until ${new Date(free.expiresAt - 1).toISOString().slice(0, 10)}\n\n`,
          );
        const plan = config.plan;
        if (!plan) continue;
        const windows = planWindowReadings(this.limits?.stateOf(config.id))
          .map((w) =>
            w.unit === 'percent'
              ? `${Math.round(w.used)}% ${w.window}`
              : `${w.used.toLocaleString('en-US')} / ${w.limit.toLocaleString('en-US')} ${w.window}`,
          )
          .join(' · ');
        const tier =
          plan.tier === 'custom'
            ? 'your numbers'
            : `${plan.tier} tier${plan.tierAssumed ? ' (assumed: set plan.tier)' : ''}`;
        tooltip.appendMarkdown(
          `${escape(config.name)}: ${escape(tier)}${plan.price ? ` · ${escape(plan.price)}` : ''}${windows ? ` · ${escape(windows)}` : ''}${plan.note ? ` · ${escape(plan.note)}` : ''}\n\n`,
        );
      }
      // Spend that cannot be counted can be fixed from here: one link per backend with unpriced requests today.
      for (const config of settings.providers) {
        if (!this.meter.today(config.id)?.unpricedRequests) continue;
        const args = encodeURIComponent(JSON.stringify([config.id]));
        tooltip.appendMarkdown(
          `${escape(config.name)} has requests with no known price: [Set price…](command:switchboard.setPrice?${args})\n\n`,
        );
      }
      const projected =
        worstState?.worst?.kind === 'requests-per-day'
          ? projectExhaustion(worstState.worst, Math.floor(now / 86_400_000) * 86_400_000, now)
          : undefined;
      if (projected)
        tooltip.appendMarkdown(`At this pace the daily quota runs out around ${formatReset(projected, now)}.\n\n`);
    }
    if (this.lastError)
      tooltip.appendMarkdown(
        `$(warning) Last error: ${escape(this.lastError.message)} ([details](command:switchboard.showLastCompletion))\n\n`,
      );
    tooltip.appendMarkdown(
      '[Switch provider](command:switchboard.switchProvider) · [Usage dashboard](command:switchboard.openDashboard) · [Toggle completion](command:switchboard.toggleInlineCompletion) · [Snooze](command:switchboard.snoozeCompletion) · [Last completion request](command:switchboard.showLastCompletion) · [Set API key](command:switchboard.setApiKey)',
    );
    this.item.tooltip = tooltip;
    if (settings.statusBarVisible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

export interface CompletionState {
  /** Epoch milliseconds the snooze ends, 0 when not snoozed. */
  snoozedUntil: number;
  /** The active editor's language when completion is off for it. */
  languageOff: string | undefined;
  /** Why completion is off for the active file otherwise, in a few words. */
  offReason?: string;
}

/** Escapes what Markdown would read as markup or a link in names that come from settings. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|!$]/g, '\\$&');
}

/** "$0.0042 · ¥0.03", or "… + unpriced" when some requests had no known price (never shown as free). */
function costText(totals: Totals): string {
  if (totals.unpricedRequests === totals.requests) return 'price unknown';
  return `${formatAmounts(totals.cost)}${totals.unpricedRequests > 0 ? ' + unpriced' : ''}`;
}

function rank(state: LimitState | undefined): number {
  return state?.level === 'exhausted' ? 2 : state?.level === 'warning' ? 1 : 0;
}

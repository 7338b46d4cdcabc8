import * as vscode from 'vscode';
import type { Backends } from '../backends/backends';
import type { KeyStore } from '../backends/keyStore';
import { log } from '../log';
import { lastErrorText } from '../core/usage/lastErrorText';
import type { ProviderError } from '../core/providers/providerError';
import { FREE_LOCAL, spendText } from '../core/usage/spendWords';
import { freeLocal } from '../core/usage/costClass';
import { addTotals, emptyTotals, utcDay, type Totals } from '../core/usage/rollups';
import { describeAcceptance } from '../core/usage/acceptanceText';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { backendDetail, shortLabel } from '../core/settings/backendLabel';
import { failureFigure, limitFigure, rolesLabel } from '../core/usage/statusSummary';
import type { UsageMeter } from './usageMeter';
import type { LimitMonitor } from './limitMonitor';
import { closestReading, describeRemaining, describeState, formatReset } from '../core/usage/switchAdvice';
import { planWindowReadings, projectExhaustion, type LimitState } from '../core/usage/limits';
import { completionWaitText, type CompletionWait } from '../core/usage/completionWait';
import { localClock, planStatusText } from '../core/usage/planWindows';
import type { ReturnView } from './returnAtReset';
import { knownReset } from '../core/usage/returnPlan';
import { needsPrice } from '../core/usage/backendPrice';
import { loadProviderRuntime } from '../backends/lazyRuntime';

/**
 * The "Switchboard" status bar item: which backend serves completion and chat, and whether it
 * is working. Clicking it opens the switch picker.
 */
export class SwitchboardStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private lastError: ProviderError | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private completionState: (() => CompletionState) | undefined;
  /** A reached budget's pause of automatic completion: the figure and the tooltip's line. */
  budgetPause: (() => { figure: string; tooltip: string } | undefined) | undefined;
  /** What automatic completion on a backend waits for after the server refused it. */
  completionWait: ((config: ProviderConfig) => CompletionWait | undefined) | undefined;
  private returnView: (() => ReturnView | undefined) | undefined;
  /** The backends in use that need a key and have none for where they point: id → the server its key was set for, or ''. */
  private missingKeys = new Map<string, string>();
  private keysChecked = 0;

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
      backends.onDidChangeTests(() => this.render()),
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

  /** Shows a return that waits for a limit to reset: "on Ollama until Qwen resets at 14:20". */
  watchReturn(view: () => ReturnView | undefined, onDidChange: vscode.Event<void>): void {
    this.returnView = view;
    this.subscriptions.push(onDidChange(() => this.render()));
    this.render();
  }

  /**
   * Watches the keys of the backends in use (secret storage is read asynchronously): one without
   * the key it needs looks healthy until its server refuses the first request, so it is said first.
   */
  watchKeys(keys: KeyStore): void {
    this.subscriptions.push(
      keys.onDidChange(() => this.checkKeysSafely(keys)),
      this.backends.onDidChange(() => this.checkKeysSafely(keys)),
    );
    this.checkKeysSafely(keys);
  }

  /** Secret storage can fail (a locked or missing keyring): the status bar then says nothing of keys. */
  private checkKeysSafely(keys: KeyStore): void {
    this.checkKeys(keys).catch((error: unknown) =>
      log().warn(`Switchboard could not read the stored keys for the status bar: ${String(error)}`),
    );
  }

  private async checkKeys(keys: KeyStore): Promise<void> {
    const check = ++this.keysChecked;
    const inUse = [this.backends.configFor('completion'), this.backends.configFor('chat')].filter(
      // Qwen Code's OAuth login keeps its credentials in its own file, not in secret storage.
      (config): config is ProviderConfig =>
        config?.preset.requiresKey === true && config.preset.protocol !== 'qwen-oauth',
    );
    const missing = new Map<string, string>();
    for (const config of inUse) {
      const found = await keys.lookup(config);
      if (found.key === undefined) missing.set(config.id, found.storedFor ?? '');
    }
    // A later check (a key set meanwhile) has the last word.
    if (check !== this.keysChecked) return;
    if (JSON.stringify([...missing]) === JSON.stringify([...this.missingKeys])) return;
    this.missingKeys = missing;
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
    // A failure of the backend completion used before a switch is no news about the one it uses now.
    const lastError = this.lastError?.providerId === completion?.id ? this.lastError : undefined;
    // A backend added although its connection test failed is not shown as if it worked.
    const untested = [completion, chat].find(
      (config): config is ProviderConfig => config !== undefined && this.backends.failedTest(config.id) !== undefined,
    );
    const keyless = [completion, chat].find(
      (config): config is ProviderConfig => config !== undefined && this.missingKeys.has(config.id),
    );
    // The status of whichever active backend is worse, or of the budget over all of them.
    const states = [completion, chat].flatMap((config) =>
      config ? [[config.name, this.limits?.stateOf(config.id)] as const] : [],
    );
    const overall = this.limits?.overall();
    const [worstName, worstState] = [
      ...states,
      ...(overall ? [['Your spending on all backends', overall] as const] : []),
    ].reduce<readonly [string | undefined, LimitState | undefined]>(
      (top, next) => (rank(next[1]) > rank(top[1]) ? next : top),
      [undefined, undefined],
    );
    const level = worstState?.level ?? 'ok';
    const paused = this.completionState?.();
    // A pause by a budget is news only while completion would otherwise run.
    const budgetPause = settings.completionEnabled && !paused?.snoozedUntil ? this.budgetPause?.() : undefined;
    const pausedText = !settings.completionEnabled
      ? 'completion off'
      : paused?.snoozedUntil
        ? `snoozed until ${new Date(paused.snoozedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
        : paused?.languageOff
          ? `off for ${paused.languageOff}`
          : paused?.offReason
            ? 'off for this file'
            : undefined;
    // Completion's gear says which limit holds it back: "completion slowed · 82% of 30/min used".
    const gear = settings.completionEnabled && !paused?.snoozedUntil ? paused?.gear : undefined;
    // The tooltip has room for why.
    const pausedWhy = pausedText === 'off for this file' ? paused?.offReason : undefined;
    const icon = !settings.completionEnabled
      ? '$(circle-slash)'
      : paused?.snoozedUntil
        ? '$(clock)'
        : budgetPause
          ? '$(debug-pause)'
          : level === 'exhausted'
            ? '$(error)'
            : level === 'warning' || lastError || untested || keyless
              ? '$(warning)'
              : '$(plug)';
    // Today's spend of the backends named beside it, never the total of all of them.
    const shown = [...new Set([completion?.id, chat?.id].filter((id): id is string => id !== undefined))];
    const spent = this.meter ? sumTotals(shown.map((id) => this.meter?.today(id))) : undefined;
    const shownSpend =
      spent && spendText(spent, { local: [completion, chat].every((config) => !config || freeLocal(config)) });
    const waiting = this.returnView?.();
    // With two backends named ("X · chat: Y", "on X until Y resets …"), a backend's figure says whose it is.
    const whose =
      worstName !== undefined && worstState !== overall && (waiting || completion?.id !== chat?.id)
        ? `${shortLabel(worstName, 16)}: `
        : '';
    const failed = level === 'exhausted' && worstState && failureFigure(worstState);
    const figure =
      budgetPause?.figure ||
      (failed && `${whose}${failed}`) ||
      gear?.text ||
      (level !== 'ok' && worstState?.worst && `${whose}${limitFigure(worstState.worst)}`) ||
      (untested && 'connection test failed') ||
      (keyless && (this.missingKeys.get(keyless.id) ? 'key set for another server' : 'no API key')) ||
      pausedText ||
      (spent && spent.requests > 0 ? (shownSpend === FREE_LOCAL ? shownSpend : `${shownSpend} today`) : undefined);
    // A backend on a subscription plan shows its nearest window instead: "Coding Plan · 312 / 6,000 in 5 h · resets 14:20".
    const planned = [completion, chat].find((config) => config?.plan);
    const plannedState = planned && this.limits?.stateOf(planned.id);
    // A refused key or an empty account says more than the window does.
    const planText =
      planned?.plan && planStatusText(planned.plan.label, planWindowReadings(plannedState), plannedState?.failure, now);
    // "on Ollama until Qwen resets …" names the backend in use: said once when it serves both roles.
    const onlyWaiting = waiting && completion?.id === waiting.on && chat?.id === waiting.on;
    const segments = [
      onlyWaiting ? `${icon} ${waiting.text}` : `${icon} ${rolesLabel(completion?.name, chat?.name)}`,
      // A plan's window is no news while its backend has not answered once: the failed test is.
      planText && !gear && !(pausedText && level === 'ok') && !budgetPause && !untested && !keyless ? planText : figure,
      !onlyWaiting && waiting?.text,
    ].filter(Boolean);
    this.item.text = segments.join(' · ');
    this.item.backgroundColor =
      level === 'exhausted'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : level === 'warning' || lastError || untested || keyless
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const sentence = worstState && level !== 'ok' && worstName ? describeState(worstName, worstState, now) : undefined;

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
        'switchboard.completionFullSpeed',
        'switchboard.tryBackendAgain',
      ],
    };
    tooltip.appendMarkdown('**Switchboard**\n\n');
    tooltip.appendMarkdown(
      `Completion: ${completion ? escape(roleLine(completion, completion.completionModel)) : NO_BACKEND}`,
    );
    tooltip.appendMarkdown(
      pausedText ? ` (${escape(pausedWhy ? `${pausedText}: ${pausedWhy}` : pausedText)})\n\n` : '\n\n',
    );
    const gearWhy = gear?.tooltip(escape);
    if (gearWhy) tooltip.appendMarkdown(`$(dashboard) ${gearWhy}\n\n`);
    tooltip.appendMarkdown(`Chat: ${chat ? escape(roleLine(chat, chat.chatModel)) : NO_BACKEND}\n\n`);
    if (budgetPause) tooltip.appendMarkdown(`$(debug-pause) ${escape(budgetPause.tooltip)}\n\n`);
    const wait = completion && settings.completionEnabled && this.completionWait?.(completion);
    if (completion && wait)
      tooltip.appendMarkdown(
        `$(clock) ${escape(completionWaitText(completion.name, wait, localClock(wait.until, now)))}\n\n`,
      );
    // What a completion is worth on this backend, so a cheaper one can be judged on it.
    const worth = completion && this.meter?.acceptanceOf(completion.id, utcDay(now));
    const worthText = worth && describeAcceptance(worth);
    if (completion && worthText)
      tooltip.appendMarkdown(`Completion on ${escape(completion.name)} today: ${escape(worthText)}\n\n`);
    // Every backend's total only when others spent too: "free (local) (all backends: $0.00)" for the same requests misled.
    const allToday = this.meter?.today();
    const others = allToday && allToday.requests > (spent?.requests ?? 0);
    if (spent && spent.requests > 0)
      tooltip.appendMarkdown(
        `Spent today on ${shown.length > 1 ? 'these backends' : 'this backend'}: ${escape(shownSpend ?? '')}${others ? ` (all backends: ${escape(spendText(allToday, { local: settings.providers.every(freeLocal) }))})` : ''}\n\n`,
      );
    if (sentence) tooltip.appendMarkdown(`$(warning) ${escape(sentence)}\n\n`);
    if (untested) {
      const args = encodeURIComponent(JSON.stringify([untested.id]));
      tooltip.appendMarkdown(
        `$(warning) ${escape(`${untested.name} failed its connection test: ${this.backends.failedTest(untested.id) ?? ''}`)} None of its requests has been answered since. ${untested.preset.requiresKey ? `[Set its key](command:switchboard.setApiKey?${args}) or [switch backend]` : '[Switch backend]'}(command:switchboard.switchProvider).\n\n`,
      );
    }
    if (keyless) {
      const args = encodeURIComponent(JSON.stringify([keyless.id]));
      const storedFor = this.missingKeys.get(keyless.id);
      const what = storedFor
        ? `${keyless.name}'s key was set for ${storedFor}, not for where it points now, and is not sent there`
        : `${keyless.name} has no API key: its server will refuse its requests`;
      tooltip.appendMarkdown(
        `$(warning) ${escape(`${what}.`)} [Set its key](command:switchboard.setApiKey?${args}) or [switch backend](command:switchboard.switchProvider).\n\n`,
      );
    }
    for (const detail of waiting?.details ?? []) tooltip.appendMarkdown(`$(history) ${escape(detail)}\n\n`);
    for (const backend of waiting?.tryAgain ?? []) {
      const args = encodeURIComponent(JSON.stringify([backend.id]));
      tooltip.appendMarkdown(`[Try ${escape(backend.name)} again](command:switchboard.tryBackendAgain?${args})\n\n`);
    }
    // Without the ledger every figure below would be counted from nothing: said instead.
    const unavailable = this.meter?.unavailable;
    if (unavailable)
      tooltip.appendMarkdown(
        `$(warning) ${escape(`Spending is not counted in this window: ${unavailable}. Budgets cannot be checked; see the Switchboard log.`)}\n\n`,
      );
    if (this.meter && !unavailable && settings.providers.length) {
      tooltip.appendMarkdown('| backend | today | month | remaining | resets |\n|---|---|---|---|---|\n');
      for (const config of settings.providers) {
        const state = this.limits?.stateOf(config.id);
        const closest = closestReading(state);
        const day = this.meter.today(config.id);
        const month = this.meter.month(config.id);
        // The server's refusal wins over a local count that still shows room.
        const refused = state && failureFigure(state);
        const remaining = refused ? escape(refused) : closest ? escape(describeRemaining(closest)) : '—';
        // A refusal that gave no reset is explained by a spent window: its reset, as the return line says.
        const resetsAt = refused
          ? (state.failure?.resetsAt ?? knownReset(state, this.backends.rateLimits.get(config.id), now))
          : closest?.resetsAt;
        const resets = resetsAt ? escape(formatReset(resetsAt, now)) : '—';
        // A plan added mid-month, or requests paid as you go beside it, leave metered spend in its month.
        const paidAs = { local: freeLocal(config), plan: config.plan !== undefined };
        const spent = (totals: Totals | undefined) => escape(spendText(totals, paidAs));
        tooltip.appendMarkdown(
          `| ${escape(config.name)} | ${requestsText(day?.requests ?? 0)} · ${spent(day)} | ${spent(month)} | ${remaining} | ${resets} |\n`,
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
      // Spend that cannot be counted can be fixed from here: one link per backend with unpriced
      // requests today whose price is still unknown. A price set since counts from then on: the
      // requests before it stay unpriced, and a link to set it again would seem to do nothing.
      for (const config of settings.providers) {
        if (!this.meter.today(config.id)?.unpricedRequests) continue;
        const unpriced = [...new Set([config.completionModel, config.chatModel])].filter((model) =>
          needsPrice(config, model, (presetId, id, local, baseUrl) =>
            loadProviderRuntime().pricePerMTok(presetId, id, local, baseUrl),
          ),
        );
        const args = encodeURIComponent(
          JSON.stringify([config.id, ...unpriced.slice(0, unpriced.length === 1 ? 1 : 0)]),
        );
        tooltip.appendMarkdown(
          unpriced.length
            ? `${escape(config.name)} has requests with no known price: [Set price…](command:switchboard.setPrice?${args})\n\n`
            : `${escape(config.name)}'s requests from before its price was set stay unpriced.\n\n`,
        );
      }
      const projected =
        worstState?.worst?.kind === 'requests-per-day'
          ? projectExhaustion(worstState.worst, Math.floor(now / 86_400_000) * 86_400_000, now)
          : undefined;
      if (projected)
        tooltip.appendMarkdown(`At this pace the daily quota runs out around ${formatReset(projected, now)}.\n\n`);
    }
    const failure =
      lastError &&
      completion &&
      lastErrorText(
        lastError,
        {
          id: completion.id,
          name: completion.name,
          model: completion.completionModel,
          protocol: completion.preset.protocol,
        },
        now,
      );
    if (failure)
      tooltip.appendMarkdown(
        `$(warning) Last completion request failed: ${escape(failure)} ([details](command:switchboard.showLastCompletion))\n\n`,
      );
    tooltip.appendMarkdown(
      '[Switch provider](command:switchboard.switchProvider) · [Usage dashboard](command:switchboard.openDashboard) · [Toggle completion](command:switchboard.toggleInlineCompletion) · [Snooze](command:switchboard.snoozeCompletion) · [Last completion request](command:switchboard.showLastCompletion) · [Set API key](command:switchboard.setApiKey)',
    );
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      role: 'button',
      label: [
        completion ? `Switchboard completion: ${completion.name}` : 'Switchboard: no completion backend',
        chat && chat.id !== completion?.id ? `chat: ${chat.name}` : undefined,
        sentence ?? figure,
      ]
        .filter(Boolean)
        .join(', '),
    };
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
  /** Completion's gear when a window runs low; the tooltip's sentence is Markdown, built with `escape`. */
  gear?: { text: string; tooltip: (escape: (text: string) => string) => string | undefined };
}

/** Escapes what Markdown would read as markup or a link in names that come from settings. */
function escape(text: string): string {
  return (
    text
      .replace(/[\\`*_{}[\]<>|!$]/g, '\\$&')
      // The hover's Markdown links a bare URL, a www. host and an e-mail address by itself: an
      // escaped character in each leaves it text (a server's words are never a link).
      .replace(/(?<=[A-Za-z]):(?=\/\/)/g, '\\:')
      .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`)
      .replace(/@/g, '\\@')
  );
}

/** "Qwen (Alibaba Cloud Model Studio) · qwen3-coder-plus": the label, the preset where it differs, the model. */
function roleLine(config: ProviderConfig, model: string): string {
  const detail = backendDetail(config);
  if (!detail) return `${config.name} · ${model}`;
  // "Qwen (demo) (OpenAI-compatible server)" reads as one name: a name that ends in brackets
  // takes its kind after a dash.
  return `${config.name}${config.name.endsWith(')') ? ` — ${detail}` : ` (${detail})`} · ${model}`;
}

function requestsText(requests: number): string {
  return `${requests} req`;
}

/** A role whose backend was removed serves nothing until one is chosen: one click away. */
const NO_BACKEND = 'none · [choose a backend](command:switchboard.switchProvider)';

/** Every counter summed (one left out read as "no cost" for a plan's refused request). */
function sumTotals(all: readonly (Totals | undefined)[]): Totals {
  const sum = emptyTotals();
  for (const totals of all) if (totals) addTotals(sum, totals);
  return sum;
}

function rank(state: LimitState | undefined): number {
  return state?.level === 'exhausted' ? 2 : state?.level === 'warning' ? 1 : 0;
}

import * as vscode from 'vscode';
import type { Backends, Feature } from '../backends/backends';
import { fetchBalance, type Balance } from '../core/usage/balances';
import { plainHttpAllowed } from '../backends/plainHttpConsent';
import { evaluateLimits, type Budgets, type LimitState } from '../core/usage/limits';
import { fetchPlanQuota, type PlanQuota } from '../core/usage/planQuota';
import { planReadings } from '../core/usage/planWindows';
import { freeQuotaReadings, type FreeQuotaReading } from '../core/usage/freeQuota';
import {
  describeState,
  rankAlternatives,
  serverWords,
  StateAnnouncer,
  stillSentNote,
  type Candidate,
} from '../core/usage/switchAdvice';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { adoptDetected, adoptPicked } from '../backends/detection';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import { backendSpend } from '../core/usage/costClass';
import { paidNote } from '../core/usage/paidGuard';
import { backendCandidates } from '../backends/alternatives';
import { log } from '../log';
import { OPEN_USER_SETTINGS, openUserSettingsIf, savedOrSaid, settingsWriteProblem } from '../backends/settingsWrite';
import type { KeyStore } from '../backends/keyStore';
import type { UsageMeter } from './usageMeter';
import type { BudgetOffer } from './budgetGuard';
import { PaidFallbackGuard, type FallbackOffer } from './paidFallback';
import { UncountedBudgetNotices } from './uncountedBudgets';
import { buttonsThatFit } from '../core/usage/noticeButtons';

const BALANCE_INTERVAL_MS = 10 * 60_000;
const PICK = 'Pick…';
const SHOW_USAGE = 'Show Usage';
/** The longest a request waits for an automatic move away from a backend that ran out to be decided. */
const MOVE_WAIT_MS = 3_000;
/** A provider's own plan figures are preferred to the local count while this fresh. */
const PLAN_QUOTA_FRESH_MS = 2 * BALANCE_INTERVAL_MS;

/** A switch caused by a limit, as it happened: the return at the reset remembers it. */
export interface LimitSwitch {
  from: ProviderConfig;
  to: string;
  toName: string;
  roles: Feature[];
  /** By `switchboard.fallback`, not by the user's click. */
  automatic: boolean;
}

export interface Notice {
  level: 'warning' | 'error';
  message: string;
  buttons: string[];
}

/**
 * Watches every configured backend against its limits. When one that serves completion or chat
 * changes to a worse state, says so once, in plain words, with buttons that switch to the best
 * alternatives; with `switchboard.fallback` set, switches by itself and says so.
 */
export class LimitMonitor implements vscode.Disposable {
  private states = new Map<string, LimitState>();
  private overallState: LimitState | undefined;
  private readonly announcer = new StateAnnouncer();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly notified = new vscode.EventEmitter<Notice>();
  /** Each notification as it is shown: one per event, which the integration tests count. */
  readonly onDidNotify = this.notified.event;
  private readonly switched = new vscode.EventEmitter<LimitSwitch>();
  readonly onDidSwitch = this.switched.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly balances = new Map<string, Balance>();
  /** Automatic moves away from a backend that ran out, while they are decided (see `movingAway`). */
  private readonly moves = new Map<string, Promise<void>>();
  private readonly planQuotas = new Map<string, PlanQuota>();
  private readonly balanceTimer: NodeJS.Timeout;
  /** The budget guard's note and buttons for a notification about a budget (`config` undefined: the overall one). */
  budgetOffer: ((config: ProviderConfig | undefined, state: LimitState) => BudgetOffer | undefined) | undefined;
  private readonly paidGuard: PaidFallbackGuard;
  private readonly uncounted = new UncountedBudgetNotices((level, message, buttons) =>
    this.notify(level, message, buttons),
  );

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter,
    private readonly keys: KeyStore,
    state: vscode.Memento,
  ) {
    this.paidGuard = new PaidFallbackGuard(
      backends,
      meter,
      (level, message, buttons) => this.notify(level, message, buttons),
      state,
    );
    this.subscriptions = [
      this.changed,
      this.notified,
      this.switched,
      meter.onDidChange(() => this.update()),
      backends.onDidChange(() => this.update()),
    ];
    // Balances are polled politely: shortly after start, then every ten minutes, and on demand.
    setTimeout(() => void this.refreshBalances(), 5_000).unref();
    this.balanceTimer = setInterval(() => void this.refreshBalances(), BALANCE_INTERVAL_MS);
    this.balanceTimer.unref();
  }

  /**
   * Asks every backend that tells its balance (OpenRouter, DeepSeek, Moonshot, a LiteLLM proxy)
   * or its plan's usage (Z.ai's GLM Coding Plan).
   */
  async refreshBalances(): Promise<void> {
    let changed = false;
    await Promise.all(
      this.backends.current().providers.map(async (config) => {
        if (config.plan?.usageEndpoint === 'zai-quota') changed = (await this.refreshPlanQuota(config)) || changed;
        const source = config.preset.balance;
        if (!source) return;
        const apiKey = await this.keys.get(config);
        if (!apiKey) return;
        try {
          const balance = await fetchBalance(source, {
            providerId: config.id,
            baseUrl: config.baseUrl,
            apiKey,
            headers: config.headers,
            // A background poll never asks; it sends over plain http only where the user said yes.
            confirmPlainHttpKey: plainHttpAllowed,
          });
          if (balance) {
            this.balances.set(config.id, balance);
            changed = true;
          }
        } catch (error) {
          log().info(
            `Could not read the balance of ${config.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    );
    if (changed) this.update();
  }

  private async refreshPlanQuota(config: ProviderConfig): Promise<boolean> {
    const apiKey = await this.keys.get(config);
    if (!apiKey) return false;
    try {
      const quota = await fetchPlanQuota({
        providerId: config.id,
        baseUrl: config.baseUrl,
        apiKey,
        headers: config.headers,
      });
      if (!quota) return false;
      this.planQuotas.set(config.id, quota);
      return true;
    } catch (error) {
      log().info(
        `Could not read the plan usage of ${config.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  /** Where a backend's free token allowances stand, for the status bar's tooltip too. */
  freeTokensOf(config: ProviderConfig, now = Date.now()): FreeQuotaReading[] {
    return freeQuotaReadings(
      config.freeQuota,
      (model, fromDay) => this.meter.tokensSince(config.id, model, fromDay),
      now,
    );
  }

  stateOf(backend: string): LimitState | undefined {
    return this.states.get(backend);
  }

  /** Against `switchboard.budget`: spending over all backends together. */
  overall(): LimitState | undefined {
    return this.overallState;
  }

  update(): void {
    const now = Date.now();
    const next = new Map<string, LimitState>();
    const providers = this.backends.current().providers;
    const planned = providers.filter((config) => config.plan);
    this.meter.trackPlans(
      planned.map((config) => config.id),
      new Map(planned.flatMap((config) => (config.plan?.draw ? [[config.id, config.plan.draw] as const] : []))),
    );
    for (const config of providers) {
      const balance = this.balances.get(config.id);
      const usesFree = [config.chatModel, config.completionModel].some((model) => model.endsWith(':free'));
      const server = this.planQuotas.get(config.id);
      const plan = config.plan;
      const planWindows = !plan
        ? undefined
        : server && now - server.fetchedAt < PLAN_QUOTA_FRESH_MS
          ? server.windows
          : planReadings(plan.windows, this.meter.planTimes(config.id), now, plan.unit);
      next.set(
        config.id,
        evaluateLimits({
          limits: config.limits,
          presetQuota: config.preset.quota,
          usage: this.meter.usageOf(config.id),
          rateLimit: this.backends.rateLimits.get(config.id),
          failure: this.meter.failureOf(config.id),
          balance,
          ...(planWindows && {
            planWindows,
            planSource: planWindows === server?.windows ? 'server' : plan?.tier === 'custom' ? 'settings' : 'preset',
          }),
          ...(usesFree && balance?.freeDaily && { freeDaily: balance.freeDaily }),
          ...(config.freeQuota.length && { freeTokens: this.freeTokensOf(config, now) }),
          now,
        }),
      );
    }
    this.states = next;
    this.uncounted.check(providers, next);
    const budget =
      vscode.workspace.getConfiguration('switchboard').get<Partial<Record<keyof Budgets, unknown>>>('budget') ?? {};
    const dollars = (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
    const limits: Budgets = {
      usdPerDay: dollars(budget.usdPerDay),
      usdPerMonth: dollars(budget.usdPerMonth),
      cnyPerDay: dollars(budget.cnyPerDay),
      cnyPerMonth: dollars(budget.cnyPerMonth),
    };
    this.overallState = Object.values(limits).some((value) => value !== undefined)
      ? evaluateLimits({
          limits,
          usage: {
            requestsLastMinute: 0,
            requestsToday: 0,
            costToday: this.meter.today()?.cost ?? {},
            costMonth: this.meter.month()?.cost ?? {},
          },
          now,
        })
      : undefined;
    this.changed.fire();
    void this.paidGuard
      .check()
      .catch((error: unknown) => log().warn(`The fallback budget check failed: ${String(error)}`));
    if (!this.overallState) this.announcer.forget('*all*');
    else if (this.announcer.shouldAnnounce('*all*', this.overallState)) void this.announceBudget(this.overallState);
    for (const feature of ['completion', 'chat'] as Feature[]) {
      const config = this.backends.configFor(feature);
      const state = config && next.get(config.id);
      // A refusal of a key Switchboard kept back was explained when it was kept (Backends.sayKeyKept).
      if (state?.failure?.kind === 'auth' && config && this.backends.keyWithheld(config.id)) continue;
      if (config && state && this.announcer.shouldAnnounce(config.id, state)) void this.announce(config, state);
    }
  }

  private async announce(config: ProviderConfig, state: LimitState): Promise<void> {
    const sentence = describeState(config.name, state, Date.now());
    if (!sentence) return;
    const words = serverWords(state);
    const budget = this.budgetOffer?.(config, state);
    // Notifications show no `detail` unless modal, so the server's words follow the sentence.
    // A key refused where the preset knows a common cause (Model Studio's keys are per region).
    const keyNote = state.failure?.kind === 'auth' ? config.preset.keyNote : undefined;
    let message = [sentence, words && `The server said: “${words}”`, keyNote, budget?.note].filter(Boolean).join(' ');
    log().warn(message);
    // Until the automatic move is decided, completion waits for it rather than ask the backend that
    // ran out once more (a request past the limit, whose answer the move would throw away).
    const moveDecided = state.level === 'exhausted' ? this.moveStarts(config.id) : undefined;
    let alternatives: Candidate[];
    let auto: Awaited<ReturnType<LimitMonitor['autoFallback']>> | undefined;
    try {
      alternatives = rankAlternatives(config.id, await this.candidates(config));
      auto = state.level === 'exhausted' ? await this.autoFallback(config) : undefined;
    } finally {
      moveDecided?.();
    }
    if (auto === true) return;
    // Completion that does not yield to chat keeps asking a backend out by the user's request limit.
    const completionAsks =
      this.backends.configFor('completion')?.id === config.id &&
      vscode.workspace.getConfiguration('switchboard').get<boolean>('completion.yieldToChat') === false;
    const stillSent = stillSentNote(state, completionAsks, this.overallState);
    if (stillSent) message += ` ${stillSent}`;
    const unwritten = auto && 'unwritten' in auto ? auto.unwritten : undefined;
    if (unwritten) message += ` ${unwritten}`;
    // Never slide into paid: a paid switch the user has not confirmed says its price and asks.
    const offers = alternatives
      .map((candidate) => this.paidGuard.offer(config, candidate))
      .filter((offer) => offer.verdict !== 'capped');
    if (auto && 'verdict' in auto && auto.verdict === 'ask') {
      message += ` Next in switchboard.fallback is ${auto.candidate.name}, which is paid (${auto.estimate}): nothing was switched.`;
      offers.splice(0, offers.length, auto, ...offers.filter((offer) => offer.candidate.id !== auto.candidate.id));
    }
    // Only the switches that fit beside "Pick…" are buttons (the best first); the picker lists every backend.
    const shown = buttonsThatFit(
      [
        ...(budget?.buttons ?? []),
        ...offers.map((offer) => offer.label),
        PICK,
        ...(unwritten ? [OPEN_USER_SETTINGS] : []),
      ],
      [
        ...offers.slice(0, 1).map((offer) => offer.label),
        PICK,
        ...(unwritten ? [OPEN_USER_SETTINGS] : []),
        ...(budget?.buttons ?? []),
        ...offers.map((offer) => offer.label),
      ],
    );
    // The buttons name the targets; what the paid ones cost is said here, where it is not cut short.
    const priced = paidNote(
      offers
        .filter((offer) => shown.includes(offer.label))
        .filter((offer) => !(auto && 'verdict' in auto && auto.verdict === 'ask' && offer === auto))
        .map((offer) => ({ name: offer.candidate.name, paid: offer.paid, estimate: offer.estimate })),
    );
    if (priced) message += ` ${priced}`;
    const cap = this.paidGuard.capSentence();
    if (cap) message += ` ${cap}`;
    const buttons = offers.map((offer) => offer.label);
    const choice = await this.notify(state.level === 'exhausted' ? 'error' : 'warning', message, shown);
    openUserSettingsIf(choice);
    await budget?.act(choice);
    if (choice === PICK)
      await vscode.commands.executeCommand('switchboard.switchProvider', { afterLimitOf: config.id });
    const picked = offers[buttons.indexOf(choice ?? '')];
    if (picked && (await this.paidGuard.mayProceed(config, picked)))
      await savedOrSaid(`The switch to ${picked.candidate.name}`, () => this.fallBack(config, picked, 'you chose it'));
  }

  /**
   * Marks an automatic move away from `backend` as under way, when `switchboard.fallback` lists
   * any; returns what ends it. Undefined when no move can follow.
   */
  private moveStarts(backend: string): (() => void) | undefined {
    const order = vscode.workspace.getConfiguration('switchboard').get<unknown>('fallback');
    if (!Array.isArray(order) || order.length === 0) return undefined;
    let end!: () => void;
    const decided = new Promise<void>((resolve) => (end = resolve));
    this.moves.set(backend, decided);
    return () => {
      if (this.moves.get(backend) === decided) this.moves.delete(backend);
      end();
    };
  }

  /**
   * While an automatic move away from `backend` is decided, what a request to it waits for: the
   * move decided, or `MOVE_WAIT_MS` passed (a settings write that hangs does not hold requests).
   * Undefined when there is nothing to wait for, which is nearly always.
   */
  movingAway(backend: string | undefined): Promise<void> | undefined {
    const move = backend === undefined ? undefined : this.moves.get(backend);
    if (!move) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, MOVE_WAIT_MS)));
    return Promise.race([move, waited]).finally(() => clearTimeout(timer));
  }

  /** Why a request to a fallback target must wait for the fallback budget, or undefined: it goes. */
  fallbackHold(config: ProviderConfig, role: Feature): string | undefined {
    return this.paidGuard.requestHold(config, role);
  }

  /**
   * A switch the user picks after a limit or a failure (the picker opened from the notification,
   * the chat's "Switch to … and retry") is a fallback too, weighed and counted like a button's.
   * False when the user said no or the fallback budget is spent.
   */
  async guardPickedFallback(fromId: string, to: ProviderConfig, roles: Feature[]): Promise<boolean> {
    const from = this.backends.current().providers.find((config) => config.id === fromId);
    if (!from || from.id === to.id) return true;
    const candidate = (await this.candidates(from)).find((c) => c.id === to.id);
    if (!candidate) return true;
    const offer = this.paidGuard.offer(from, candidate, roles);
    if (!(await this.paidGuard.mayProceed(from, offer))) return false;
    this.paidGuard.began(from, offer, to.id);
    return true;
  }

  private async announceBudget(state: LimitState): Promise<void> {
    const sentence = describeState('Your spending on all backends', state, Date.now());
    if (!sentence) return;
    const budget = this.budgetOffer?.(undefined, state);
    const message = budget?.note ? `${sentence} ${budget.note}` : sentence;
    log().warn(message);
    // The switch buttons lead completion away from spending: only to backends that spend nothing
    // (local, free, a plan). A paid one would spend against this same budget.
    const completion = this.backends.configFor('completion');
    const free = completion
      ? (await this.candidates(completion)).filter((candidate) => this.spendsNothing(candidate))
      : [];
    const alternatives = completion ? rankAlternatives(completion.id, free) : [];
    const buttons = alternatives.map((candidate) => `Switch to ${candidate.name}`);
    // The best switch first: at the warning it keeps completion going where the budget is not spent.
    const shown = buttonsThatFit(
      [...(budget?.buttons ?? []), ...buttons, SHOW_USAGE],
      [...buttons.slice(0, 1), ...(budget?.buttons ?? []), SHOW_USAGE, ...buttons],
    );
    const choice = await this.notify('warning', message, shown);
    await budget?.act(choice);
    if (choice === SHOW_USAGE) await vscode.commands.executeCommand('switchboard.openDashboard');
    const picked = completion && alternatives[buttons.indexOf(choice ?? '')];
    if (!picked) return;
    // Completion only: it is what the budget pauses; chat asks before each request anyway.
    let id = picked.id;
    if (!picked.configured) {
      const detected = this.backends.detected().find((candidate) => candidate.entry.id === picked.id);
      if (!detected) return;
      const adopted = await adoptPicked(detected, this.keys);
      if (adopted === undefined) return;
      id = adopted;
    }
    if (!(await savedOrSaid(`The switch to ${picked.name}`, () => this.backends.choose(id, ['completion'])))) return;
    const text = `Switchboard: your spending on all backends reached its budget; completion now uses ${picked.name}, which spends nothing.`;
    log().info(text);
    void vscode.window.setStatusBarMessage(text, 10_000);
  }

  /** Whether a candidate costs nothing per request (local, free, a plan), by the meter's own rule. */
  private spendsNothing(candidate: Candidate): boolean {
    const config = this.backends.current().providers.find((provider) => provider.id === candidate.id);
    if (!config) return candidate.local;
    return (
      backendSpend(config, 'completion', (presetId, model, local, baseUrl) =>
        loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl),
      ) === 'nothing'
    );
  }

  private notify(level: Notice['level'], message: string, buttons: string[]): Thenable<string | undefined> {
    this.notified.fire({ level, message, buttons });
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    return show(`Switchboard: ${message}`, ...buttons);
  }

  /**
   * `switchboard.fallback` is opt-in: the first ready, not exhausted backend in its order. True
   * when it switched; the offer when the paid guard held it back; false when there is none; what
   * went wrong when VS Code would not write the switch into settings.
   */
  private async autoFallback(from: ProviderConfig): Promise<boolean | FallbackOffer | { unwritten: string }> {
    const order = vscode.workspace.getConfiguration('switchboard').get<unknown>('fallback');
    if (!Array.isArray(order) || order.length === 0) return false;
    const all = await this.candidates(from);
    const target = order
      .filter((id): id is string => typeof id === 'string' && id !== from.id)
      .map((id) => all.find((candidate) => candidate.id === id))
      .find((candidate) => candidate && candidate.ready && candidate.level !== 'exhausted');
    if (!target) return false;
    const offer = this.paidGuard.offer(from, target);
    if (offer.verdict !== 'switch') return offer;
    try {
      await this.fallBack(from, offer, 'the fallback order');
    } catch (error) {
      // Said in the limit's own notification: one event, one toast.
      return {
        unwritten: `It could not switch to ${target.name}, next in switchboard.fallback: ${settingsWriteProblem(error)}`,
      };
    }
    return true;
  }

  /** A fallback the guard let through: switch, and count what it spends against the fallback budget. */
  private async fallBack(from: ProviderConfig, offer: FallbackOffer, why: string): Promise<void> {
    // Counted from before the settings move: a request that reaches the target before the last
    // setting is written is the fallback's too.
    await this.switchTo(from, offer.candidate, why, (id) => this.paidGuard.began(from, offer, id));
  }

  /** Moves `from`'s roles to `to`; `beforeSwitch` hears the target's id before any setting is written. */
  private async switchTo(
    from: ProviderConfig,
    to: Candidate,
    why: string,
    beforeSwitch?: (id: string) => void,
  ): Promise<string | undefined> {
    let id = to.id;
    if (!to.configured) {
      const detected = this.backends.detected().find((candidate) => candidate.entry.id === to.id);
      if (!detected) return undefined;
      id = await adoptDetected(detected, this.keys);
    }
    beforeSwitch?.(id);
    const features = (['completion', 'chat'] as Feature[]).filter(
      (feature) => this.backends.configFor(feature)?.id === from.id,
    );
    const roles: Feature[] = features.length ? features : ['completion', 'chat'];
    await this.backends.choose(id, roles);
    this.switched.fire({ from, to: id, toName: to.name, roles, automatic: why === 'the fallback order' });
    const text = `Switchboard: ${from.name} ran out; ${features.join(' and ') || 'completion and chat'} now use ${to.name} (${why}).`;
    log().info(text);
    void vscode.window.setStatusBarMessage(text, 10_000);
    return id;
  }

  /** Every backend to offer instead of `from`, priced for the role it serves. */
  private candidates(from: ProviderConfig): Promise<Candidate[]> {
    const role = this.backends.configFor('completion')?.id === from.id ? 'completion' : 'chat';
    return backendCandidates(this.backends, role, (id) => this.states.get(id)?.level, true);
  }

  dispose(): void {
    clearInterval(this.balanceTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

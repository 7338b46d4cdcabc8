import * as vscode from 'vscode';
import type { BudgetHold } from '../core/usage/budgetAction';
import type { Backends, Feature } from '../backends/backends';
import { ProviderError } from '../core/providers/providerError';
import type { Usage } from '../core/providers/types';
import { shortLabel } from '../core/settings/backendLabel';
import type { ProviderConfig } from '../core/settings/providerSettings';
import {
  knownReset,
  parsePlans,
  returnDetail,
  returnStatus,
  type ReturnPlan,
  type Role,
} from '../core/usage/returnPlan';
import { probeHeld, tryAgainText } from '../core/usage/probeHold';
import { ReturnScheduler, type ProbeOutcome } from '../core/usage/returnScheduler';
import { describeState, formatReset } from '../core/usage/switchAdvice';
import type { LimitState } from '../core/usage/limits';
import { systemClock } from '../core/clock';
import { log } from '../log';
import { savedOrSaid } from '../backends/settingsWrite';
import type { LimitMonitor, LimitSwitch } from './limitMonitor';
import type { UsageMeter } from './usageMeter';

const STORE_KEY = 'switchboard.returnPlans';
export const TRY_AGAIN_COMMAND = 'switchboard.tryBackendAgain';
/** The probe is one short answer; a server that takes longer than this is not back yet. */
const PROBE_TIMEOUT_MS = 20_000;
/** How often the tooltip's "in 4 min" is brought up to date while a return waits. */
const TICK_MS = 30_000;

/** The state as the reason for a switch: when it resets is said once, by the countdown. */
function withoutReset(state: LimitState): LimitState {
  const strip = <T extends { resetsAt?: number }>(value: T): T => {
    const copy = { ...value };
    delete copy.resetsAt;
    return copy;
  };
  return {
    ...state,
    ...(state.worst && { worst: strip(state.worst) }),
    ...(state.failure && { failure: strip(state.failure) }),
  };
}

const CLOCK_TIME = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** What the status bar shows about a waiting return. */
export interface ReturnView {
  /** "on Ollama until Qwen resets at 14:20". */
  text: string;
  /** The backend the roles run on now, so the status bar need not name it twice. */
  on: string;
  /** Plain sentences for the tooltip, one per waiting return. */
  details: string[];
  /** Backends whose reset is unknown or past: the tooltip offers "Try X again". */
  tryAgain: { id: string; name: string }[];
}

/**
 * Brings the user back when a limit that made Switchboard switch away resets: remembers each such
 * switch (across reloads), probes the original backend once after its reset, and moves the roles
 * back, by itself after an automatic fallback, or with one click after a chosen one.
 */
export class ReturnAtReset implements vscode.Disposable {
  private readonly scheduler: ReturnScheduler;
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changedEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly tick: NodeJS.Timeout;
  /** The backend the user just asked to try: when it answers, the click was the consent to go back. */
  private asked: string | undefined;

  /** The budget that holds requests to `config` now, if any; set by the host. */
  budgetHold?: (config: ProviderConfig) => BudgetHold | undefined;

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter,
    private readonly limits: LimitMonitor,
    private readonly state: vscode.Memento,
  ) {
    this.scheduler = new ReturnScheduler(
      {
        clock: systemClock,
        probe: (plan) => this.probe(plan),
        answered: (plan) => this.answered(plan),
        save: (plans) => void Promise.resolve(this.state.update(STORE_KEY, plans)).catch(() => {}),
        changed: () => this.changedEmitter.fire(),
      },
      parsePlans(state.get<unknown>(STORE_KEY)),
    );
    this.subscriptions = [
      this.changedEmitter,
      limits.onDidSwitch((event) => this.remember(event)),
      backends.onDidChange(() => this.reconcile()),
      vscode.commands.registerCommand(TRY_AGAIN_COMMAND, (backend?: unknown) => this.tryAgain(backend)),
    ];
    this.reconcile();
    this.tick = setInterval(() => {
      if (this.scheduler.current().length) this.changedEmitter.fire();
    }, TICK_MS);
    this.tick.unref();
  }

  /** What the status bar shows, or undefined when no return waits. */
  view(now = Date.now()): ReturnView | undefined {
    const plans = this.scheduler.current();
    const first = plans.find((plan) => plan.roles.includes('completion')) ?? plans[0];
    if (!first) return undefined;
    // The machine's own zone, 24-hour like formatReset, without the zone's name: the bar is short.
    const local = (at: number) => CLOCK_TIME.format(at);
    const zoned = (at: number) => formatReset(at, now);
    const short = { ...first, fromName: shortLabel(first.fromName), toName: shortLabel(first.toName) };
    return {
      text: returnStatus(short, now, local),
      on: first.to,
      details: plans.map((plan) => returnDetail(plan, now, zoned)),
      tryAgain: plans
        // A return that settings refused: the backend answered, so it can be tried at once.
        .filter((plan) => plan.unsaved || plan.resetsAt === undefined || plan.resetsAt <= now)
        .map((plan) => ({ id: plan.from, name: plan.fromName })),
    };
  }

  private remember(event: LimitSwitch): void {
    const now = Date.now();
    const state = this.limits.stateOf(event.from.id);
    const resetsAt = knownReset(state, this.backends.rateLimits.get(event.from.id), now);
    this.scheduler.record({
      from: event.from.id,
      fromName: event.from.name,
      to: event.to,
      // The candidate's label may carry the server's host (for the button); the plan says the name.
      toName: this.configOf(event.to)?.name ?? event.toName,
      roles: event.roles,
      why: (state && describeState(event.from.name, withoutReset(state), now)) ?? `${event.from.name} ran out.`,
      automatic: event.automatic,
      ...(resetsAt !== undefined && { resetsAt }),
    });
    log().info(
      resetsAt !== undefined
        ? `Switchboard returns ${event.roles.join(' and ')} to ${event.from.name} after it resets at ${new Date(resetsAt).toISOString()}.`
        : `Switchboard does not know when ${event.from.name} resets: "Try ${event.from.name} again" checks it.`,
    );
  }

  private reconcile(): void {
    const settings = this.backends.current();
    this.scheduler.reconcile(
      (role) => this.backends.configFor(role)?.id,
      (id) => settings.providers.some((config) => config.id === id),
    );
  }

  private configOf(id: string): ProviderConfig | undefined {
    return this.backends.current().providers.find((config) => config.id === id);
  }

  /**
   * One real request, as small as a request can be: one output token from the model of a role that
   * moved. It is metered like any other ('probe' in the ledger), since it may be billed.
   */
  private async probe(plan: ReturnPlan): Promise<ProbeOutcome> {
    const config = this.configOf(plan.from);
    if (!config) return { ok: false, message: `${plan.fromName} is no longer configured.` };
    // The user's own limit is not the server's to lift: while it holds, nothing is sent.
    const own = this.limits
      .stateOf(config.id)
      ?.readings.find((reading) => reading.source === 'settings' && reading.fraction >= 1);
    if (own)
      return probeHeld(config.name, {
        kind: 'own-limit',
        ...(own.resetsAt !== undefined && { resetsAt: own.resetsAt }),
      });
    // Nor a budget's: the probe is billed like any request (the budget for all backends, a pause
    // chosen by hand).
    const held = this.budgetHold?.(config);
    if (held) return probeHeld(config.name, { kind: 'budget', hold: held });
    const model = plan.roles.includes('chat') ? config.chatModel : config.completionModel;
    const startedAt = Date.now();
    const promptText = 'Hi';
    let outputText = '';
    let usage: Usage | undefined;
    try {
      const provider = await this.backends.providerForConfig(config);
      for await (const event of provider.chat({
        model,
        messages: [{ role: 'user', content: promptText }],
        maxTokens: 1,
        timeoutMs: PROBE_TIMEOUT_MS,
        // A failed attempt sent again is a request of its own, which a plan counts.
        onRetry: (retried) =>
          this.meter.record({ config, feature: 'probe', model, startedAt, promptText, error: retried }),
      })) {
        if (event.type === 'text') outputText += event.text;
        else if (event.type === 'done') usage = event.usage;
      }
      this.meter.record({ config, feature: 'probe', model, startedAt, usage, promptText, outputText });
      log().info(`${config.name} answered the probe: it is back.`);
      return { ok: true };
    } catch (error) {
      const failure = ProviderError.is(error)
        ? error
        : new ProviderError({ kind: 'server', providerId: config.id, message: String(error) });
      this.meter.record({ config, feature: 'probe', model, startedAt, promptText, error: failure });
      const told = failure.resetAt ?? knownReset(undefined, this.backends.rateLimits.get(config.id), Date.now());
      log().info(`${config.name} is not back yet: ${failure.message}`);
      return { ok: false, message: failure.message, ...(told !== undefined && { resetsAt: told }) };
    }
  }

  /**
   * The original backend answered: back by itself after an automatic fallback, else by one click.
   * False when settings refused the move: nothing moved, so nothing is claimed, and the plan stays.
   */
  private async answered(plan: ReturnPlan): Promise<boolean> {
    // Only roles still where the fallback put them: whatever the user moved since stays.
    const roles = plan.roles.filter((role) => this.backends.configFor(role)?.id === plan.to);
    if (!roles.length || !this.configOf(plan.from)) return true;
    const what = roles.join(' and ');
    if (plan.automatic || this.asked === plan.from) {
      if (!(await this.moveBack(plan, roles))) return false;
      const text = `Switchboard: ${plan.fromName} has reset; ${what} use it again.`;
      log().info(text);
      void vscode.window.setStatusBarMessage(text, 10_000);
      return true;
    }
    const button = `Switch back to ${plan.fromName}`;
    const choice = await vscode.window.showInformationMessage(
      `Switchboard: ${plan.fromName} answers again. ${what.charAt(0).toUpperCase()}${what.slice(1)} still use ${plan.toName}.`,
      button,
    );
    if (choice !== button) return true;
    // The roles may have moved while the notification waited.
    const still = roles.filter((role) => this.backends.configFor(role)?.id === plan.to);
    return !still.length || this.moveBack(plan, still);
  }

  /** Writes the roles back to `plan.from`; when settings refuse, says so once and returns false. */
  private moveBack(plan: ReturnPlan, roles: Role[]): Promise<boolean> {
    return savedOrSaid(
      `The return of ${roles.join(' and ')} to ${plan.fromName}`,
      () => this.backends.choose(plan.from, roles as Feature[]),
      `They stay on ${plan.toName}. Fix the file, then use “Try ${plan.fromName} again” in the status bar's tooltip; Switchboard also tries again by itself.`,
    );
  }

  /** "Try Qwen again": the probe now, for the backend given or the one waiting. */
  private async tryAgain(backend: unknown): Promise<void> {
    const plans = this.scheduler.current();
    const plan =
      plans.find((candidate) => candidate.from === backend) ?? (backend === undefined ? plans[0] : undefined);
    if (!plan) {
      void vscode.window.showInformationMessage('Switchboard: no backend is waiting for its limit to reset.');
      return;
    }
    this.asked = plan.from;
    const outcome = await vscode.window
      .withProgress({ location: vscode.ProgressLocation.Window, title: `Trying ${plan.fromName}…` }, () =>
        this.scheduler.tryNow(plan.from),
      )
      .then(
        (result) => result,
        () => undefined,
      );
    this.asked = undefined;
    if (!outcome) return void vscode.window.setStatusBarMessage(`Switchboard: already trying ${plan.fromName}.`, 5_000);
    if (outcome.ok) return;
    const next = this.scheduler.current().find((candidate) => candidate.from === plan.from)?.nextProbeAt;
    void vscode.window.showWarningMessage(
      tryAgainText(plan.fromName, outcome, next, (at) => formatReset(at, Date.now())),
    );
  }

  /** Which role a plan would bring back first, for tests and the status bar. */
  planFor(role: Role): ReturnPlan | undefined {
    return this.scheduler.planFor(role);
  }

  dispose(): void {
    clearInterval(this.tick);
    this.scheduler.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

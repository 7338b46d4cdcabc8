/**
 * The host's side of completion's gears (core/completion/throttle.ts): the limits of the backend
 * that serves completion in, the gear out to the provider and the status bar, and the user's
 * "Completion at Full Speed" for the current window.
 */
import * as vscode from 'vscode';
import type { Backends } from '../backends/backends';
import { SECTION } from '../backends/settings';
import { systemClock } from '../core/clock';
import {
  CompletionThrottle,
  DEFAULT_THROTTLE_SETTINGS,
  gearText,
  readingText,
  type GearDecision,
  type ThrottleSettings,
} from '../core/completion/throttle';
import { isLoopbackUrl } from '../core/net/loopback';
import { billingOf } from '../core/providers/presets';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { formatReset } from '../core/usage/switchAdvice';
import type { LimitMonitor } from '../usage/limitMonitor';
import { log } from '../log';

export const FULL_SPEED_COMMAND = 'switchboard.completionFullSpeed';

export class CompletionGears implements vscode.Disposable {
  readonly throttle: CompletionThrottle;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The gear or its reason may have changed: the status bar renders again. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private cached: ThrottleSettings | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private warnedBackend: string | undefined;
  private completionId: string | undefined;

  constructor(
    private readonly backends: Backends,
    private readonly limits: LimitMonitor,
  ) {
    this.throttle = new CompletionThrottle(
      systemClock,
      () => {
        const config = this.backends.configFor('completion');
        return (config && this.limits.stateOf(config.id)?.readings) ?? [];
      },
      () => (this.cached ??= this.readSettings()),
    );
    this.completionId = backends.configFor('completion')?.id;
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) {
          this.cached = undefined;
          // "Full speed" was chosen for one backend's window, not for whichever serves next.
          const completionId = this.backends.configFor('completion')?.id;
          if (completionId !== this.completionId) this.throttle.yieldAgain();
          this.completionId = completionId;
          this.refresh();
        }
      }),
      // The status bar renders on this itself; only the timer for the reset moves.
      limits.onDidChange(() => this.refresh(false)),
      vscode.commands.registerCommand(FULL_SPEED_COMMAND, () => this.toggleFullSpeed()),
    ];
  }

  decide(): GearDecision {
    return this.throttle.decide();
  }

  /** The backend that takes completion over while the limited one yields, when the user named one. */
  standIn(): ProviderConfig | undefined {
    return this.decide().gear === 'local' ? this.lowQuotaBackend() : undefined;
  }

  /** Asked by the engine before an automatic request; only the limited backend's requests are held. */
  admit(backendId: string, signal: AbortSignal): Promise<boolean> {
    if (backendId !== this.backends.configFor('completion')?.id) return Promise.resolve(true);
    return this.throttle.admit(signal);
  }

  /** "completion slowed · 82% of 30/min used", or undefined at full speed with nothing to say. */
  statusText(): string | undefined {
    return gearText(this.decide(), this.lowQuotaBackend()?.name);
  }

  /** The tooltip's sentence on the gear and the way out of it, as Markdown; undefined at full speed. */
  tooltip(escape: (text: string) => string): string | undefined {
    const decision = this.decide();
    const reading = decision.reading;
    if (!reading) return undefined;
    const now = Date.now();
    const resets = reading.resetsAt ? `, resets ${formatReset(reading.resetsAt, now)}` : '';
    const why = escape(`${readingText(reading)}${resets}`);
    const link = `[Completion at Full Speed](command:${FULL_SPEED_COMMAND})`;
    if (decision.overridden)
      return `Completion at full speed for this window, as you chose (${why}). [Let completion yield to chat again](command:${FULL_SPEED_COMMAND})`;
    const share = `${Math.round(this.readSettings().chatShare * 100)}%`;
    switch (decision.gear) {
      case 'slowed':
        return `Completion waits longer before each request (one every ${Math.ceil((decision.intervalMs ?? 0) / 1000)} s at most) so chat keeps ${share} of the window: ${why}. ${link}`;
      case 'manual':
        return `Completion sends only when you ask (Alt+\\\\) so chat keeps ${share} of the window: ${why}. ${link}`;
      case 'local':
        return `Completion uses ${escape(this.lowQuotaBackend()?.name ?? '')} so chat keeps ${share} of the window: ${why}. ${link}`;
      default:
        return undefined;
    }
  }

  private async toggleFullSpeed(): Promise<void> {
    if (this.throttle.overriddenUntil) {
      this.throttle.yieldAgain();
      void vscode.window.setStatusBarMessage(
        'Switchboard: completion yields to chat again when a window runs low',
        5000,
      );
    } else {
      const until = this.throttle.fullSpeed();
      void vscode.window.setStatusBarMessage(
        until
          ? `Switchboard: completion at full speed until ${formatReset(until, Date.now())}`
          : 'Switchboard: completion is already at full speed',
        5000,
      );
    }
    this.refresh();
  }

  /** Tells the status bar, and looks again when the window that holds completion back resets. */
  private refresh(tell = true): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const decision = this.decide();
    const now = Date.now();
    const next = [decision.reading?.resetsAt, this.throttle.overriddenUntil || undefined]
      .filter((time): time is number => time !== undefined && time > now)
      .reduce((soonest, time) => Math.min(soonest, time), Infinity);
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.refresh(), Math.min(next - now + 50, 2 ** 31 - 1));
    if (tell) this.changed.fire();
  }

  /** The user's own values only: how much completion may spend is not a repository's to decide. */
  private readSettings(): ThrottleSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    const share = (key: string, fallback: number, min: number, max: number) => {
      const value = config.inspect<unknown>(key)?.globalValue;
      return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
    };
    return {
      threshold: share('completion.lowQuotaThreshold', DEFAULT_THROTTLE_SETTINGS.threshold, 0.5, 1),
      chatShare: share('completion.chatShare', DEFAULT_THROTTLE_SETTINGS.chatShare, 0, 0.5),
      hasLowQuotaBackend: this.lowQuotaBackend() !== undefined,
      enabled: config.inspect<unknown>('completion.yieldToChat')?.globalValue !== false,
    };
  }

  /** `switchboard.completion.lowQuotaBackend`: a configured backend on this machine, other than completion's own. */
  private lowQuotaBackend(): ProviderConfig | undefined {
    const id = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('completion.lowQuotaBackend')?.globalValue;
    if (typeof id !== 'string' || id === '') return undefined;
    const config = this.backends.current().providers.find((provider) => provider.id === id);
    const local = config && (billingOf(config.preset) === 'local' || isLoopbackUrl(config.baseUrl));
    if (config && local) return config.id === this.backends.configFor('completion')?.id ? undefined : config;
    if (this.warnedBackend !== id) {
      this.warnedBackend = id;
      log().warn(
        `switchboard.completion.lowQuotaBackend: "${id}" is ${config ? 'not a backend on this machine' : 'not a configured backend'}; completion slows down instead of moving.`,
      );
    }
    return undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

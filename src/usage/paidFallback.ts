import * as vscode from 'vscode';
import type { Backends, Feature } from '../backends/backends';
import { loadProviderRuntime } from '../backends/lazyRuntime';
import { systemClock } from '../core/clock';
import { parseProviders, type ProviderConfig } from '../core/settings/providerSettings';
import type { PerMTokLookup } from '../core/usage/backendPrice';
import { backendCost, backendSpend, requestEstimateText } from '../core/usage/costClass';
import { FallbackSpend, parseFallbackBudget } from '../core/usage/fallbackSpend';
import { formatMoney } from '../core/usage/formatMoney';
import type { Currency } from '../core/usage/money';
import {
  fallbackVerdict,
  parseAllowedTargets,
  quotedRole,
  switchButton,
  type FallbackVerdict,
  type RoleMove,
} from '../core/usage/paidGuard';
import type { Candidate } from '../core/usage/switchAdvice';
import { log } from '../log';
import { OPEN_USER_SETTINGS, openUserSettingsIf, savedOrSaid, settingsWriteProblem } from '../backends/settingsWrite';
import type { UsageMeter } from './usageMeter';

const ALLOWED_SETTING = 'paidFallbackAllowed';
/** Where today's fallbacks are kept, for the fallback budget. */
export const FALLBACKS_KEY = 'switchboard.fallbacks';
const BUDGET_SETTING = 'fallbackBudget';

/** The price data loads only where a fallback is weighed. */
const lookup: PerMTokLookup = (presetId, model, local, baseUrl) =>
  loadProviderRuntime().pricePerMTok(presetId, model, local, baseUrl);

/** A switch a fallback could make, weighed: its button, whether it costs, and what may happen. */
export interface FallbackOffer {
  candidate: Candidate;
  roles: Feature[];
  moves: RoleMove[];
  paid: boolean;
  /** "~$0.0019/request" for the dearer role that becomes paid, or "price unknown". */
  estimate: string;
  label: string;
  verdict: FallbackVerdict;
  /**
   * The fallback budget cannot count what it would spend (its price is unknown, or the usage ledger
   * could not be opened): asked every time.
   */
  uncounted: boolean;
}

type Notify = (level: 'warning' | 'error', message: string, buttons: string[]) => Thenable<string | undefined>;

/**
 * The editor's side of the paid guard: classes from the backends' settings and prices, the
 * remembered confirmations and the daily cap from user settings, the confirmation dialog, and the
 * way back when the cap is reached.
 */
export class PaidFallbackGuard {
  private readonly spend: FallbackSpend;

  constructor(
    private readonly backends: Backends,
    private readonly meter: UsageMeter,
    private readonly notify: Notify,
    state: vscode.Memento,
  ) {
    // Kept in global state: a reload or another window still counts today's fallbacks against the cap.
    this.spend = new FallbackSpend(systemClock, (backend, roles, day) => meter.costOn(backend, roles, day), {
      load: () => state.get(FALLBACKS_KEY),
      save: (value) =>
        void Promise.resolve(state.update(FALLBACKS_KEY, value)).catch((error: unknown) =>
          log().warn(`Could not keep today's fallbacks: ${String(error)}`),
        ),
    });
    // A fallback is counted before its settings write (see began); one VS Code refused never
    // happened. The subscription ends with `backends`, which outlives this guard.
    backends.onDidRefuseSwitch(({ providerId, features }) => this.spend.withdraw(providerId, features));
  }

  /** The roles `from` serves now; both when it serves none (a switch then moves both). */
  rolesOf(from: ProviderConfig): Feature[] {
    const roles = (['completion', 'chat'] as Feature[]).filter((role) => this.backends.configFor(role)?.id === from.id);
    return roles.length ? roles : ['completion', 'chat'];
  }

  /** The settings a candidate would run with: a configured entry, or a found one as it would be added. */
  private configOf(candidate: Pick<Candidate, 'id' | 'configured'>): ProviderConfig | undefined {
    if (candidate.configured) return this.backends.current().providers.find((config) => config.id === candidate.id);
    const found = this.backends.detected().find((detected) => detected.entry.id === candidate.id);
    return found && parseProviders([found.entry]).providers[0];
  }

  offer(from: ProviderConfig, candidate: Candidate, roles: Feature[] = this.rolesOf(from)): FallbackOffer {
    const target = this.configOf(candidate);
    const moves: RoleMove[] = roles.map((role) => ({
      role,
      from: backendCost(from, role, lookup).costClass,
      // A target whose settings cannot be read is weighed as paid at an unknown price.
      to: target ? backendCost(target, role, lookup).costClass : 'paid',
    }));
    const paidRoles = moves.filter((move) => move.to === 'paid').map((move) => move.role);
    const paid = paidRoles.length > 0;
    const estimate =
      paid && target ? requestEstimateText(target, quotedRole(paidRoles), loadProviderRuntime) : 'price unknown';
    // A fallback budget counts priced spend only: at an unknown price it could not stop this one.
    // Nor can it count anything while the usage ledger could not be opened.
    const capSet = parseFallbackBudget(vscode.workspace.getConfiguration('switchboard').get(BUDGET_SETTING));
    const uncounted =
      capSet !== undefined &&
      paid &&
      (this.meter.unavailable !== undefined ||
        paidRoles.some((role) => !target || backendSpend(target, role, lookup) === undefined));
    const verdict = fallbackVerdict({
      targetId: candidate.id,
      moves,
      allowed: this.allowed(),
      capReached: this.capReached() !== undefined,
      uncounted,
    });
    return {
      candidate,
      roles,
      moves,
      paid,
      estimate,
      label: switchButton(candidate.name),
      verdict,
      uncounted,
    };
  }

  private allowed(): string[] {
    return parseAllowedTargets(vscode.workspace.getConfiguration('switchboard').get<unknown>(ALLOWED_SETTING));
  }

  private capReached(): Currency | undefined {
    return this.spend.reached(
      parseFallbackBudget(vscode.workspace.getConfiguration('switchboard').get(BUDGET_SETTING)),
    );
  }

  /** "Fallbacks have spent $1.00 today, the fallback budget: …", or undefined below the cap. */
  capSentence(): string | undefined {
    const currency = this.capReached();
    if (!currency) return undefined;
    const budget = parseFallbackBudget(vscode.workspace.getConfiguration('switchboard').get(BUDGET_SETTING));
    const spent = this.spend.spentToday()[currency] ?? 0;
    return `Fallbacks have spent ${formatMoney(spent, currency)} of today's ${formatMoney(budget?.[currency] ?? 0, currency)} fallback budget: none goes to a paid backend again before 00:00 UTC.`;
  }

  /**
   * Why a request to `config` for `role` may not go, or undefined: it goes. Held are requests to
   * where a fallback moved `role` while today's fallback budget is reached, or would be with the
   * requests under way there: each is recorded only when it ends, so several started together
   * would otherwise each see room left and together run past the cap.
   */
  requestHold(config: ProviderConfig, role: Feature): string | undefined {
    const budget = parseFallbackBudget(vscode.workspace.getConfiguration('switchboard').get(BUDGET_SETTING));
    if (!budget) return undefined;
    if (!this.spend.active().some((fallback) => fallback.target === config.id && fallback.roles.includes(role)))
      return undefined;
    const inFlight = (backend: string) => this.meter.inFlight.reserved(backend);
    const currency = this.spend.reached(budget, inFlight);
    if (!currency) return undefined;
    const spent = this.spend.spentToday()[currency] ?? 0;
    const cap = budget[currency] ?? 0;
    if (spent >= cap) return this.capSentence();
    const held = this.spend.underWay(inFlight)[currency] ?? 0;
    return `Fallbacks have spent ${formatMoney(spent, currency)} of today's ${formatMoney(cap, currency)} fallback budget, and the requests under way on ${config.name} may cost up to ${formatMoney(held, currency)} more: nothing more goes to it until they end.`;
  }

  /**
   * Whether a fallback the user clicked may go ahead: a paid target not confirmed before is asked
   * about, in a modal that names the price and that the answer is remembered.
   */
  async mayProceed(from: ProviderConfig, given: FallbackOffer): Promise<boolean> {
    // Weighed again now: a notification's button can be clicked long after it was shown, when
    // other fallbacks have spent the day's fallback budget or the allowed list has changed.
    const offer = this.offer(from, given.candidate, given.roles);
    if (offer.verdict === 'switch') return true;
    if (offer.verdict === 'capped') {
      await this.notify('warning', this.capSentence() ?? 'The fallback budget is spent.', []);
      return false;
    }
    return this.confirm(from, offer);
  }

  private async confirm(from: ProviderConfig, offer: FallbackOffer): Promise<boolean> {
    const target = this.configOf(offer.candidate);
    const name = offer.candidate.name;
    const prices = offer.moves
      .filter((move) => move.to === 'paid')
      .map((move) => {
        const estimate = target ? requestEstimateText(target, move.role, loadProviderRuntime) : 'price unknown';
        return `${move.role}: ${estimate === 'price unknown' ? 'price unknown' : `${estimate.replace('/request', '')} per typical request`}`;
      });
    const yes = `Switch to ${name}`;
    const choice = await vscode.window.showWarningMessage(
      `${name} is paid (${offer.estimate}). Switch ${offer.roles.join(' and ')} from ${from.name} to it?`,
      {
        modal: true,
        detail: offer.uncounted
          ? this.meter.unavailable !== undefined
            ? `${prices.join('\n')}\n\nThe usage ledger could not be opened (${this.meter.unavailable}), so switchboard.${BUDGET_SETTING} cannot count what fallbacks spend: Switchboard asks before every paid fallback until it opens (fix its folder, then reload the window).`
            : `${prices.join('\n')}\n\nIts price is unknown, so switchboard.${BUDGET_SETTING} cannot count what it spends: Switchboard asks before every such fallback while that budget is set. Set its price (Switchboard: Set Price…) to have it counted.`
          : `${prices.join('\n')}\n\nSwitchboard remembers this answer for ${name} and will not ask again before a fallback to it; take it back in the setting switchboard.${ALLOWED_SETTING}.`,
      },
      yes,
    );
    if (choice !== yes) return false;
    const allowed = this.allowed();
    if (allowed.includes(offer.candidate.id)) return true;
    // The switch itself would be refused by the same file: nothing is switched, and that is said once.
    return savedOrSaid(
      `Your answer to switch to ${name}`,
      () =>
        vscode.workspace
          .getConfiguration('switchboard')
          .update(ALLOWED_SETTING, [...allowed, offer.candidate.id], vscode.ConfigurationTarget.Global),
      'Nothing was switched. Fix the file, then try again.',
    );
  }

  /** A fallback switched: what it spends from now on counts against the day's fallback budget. */
  began(from: ProviderConfig, offer: FallbackOffer, targetId: string): void {
    if (offer.paid) this.spend.began(from.id, targetId, offer.roles);
  }

  /**
   * On every change of usage: fallbacks whose roles moved on end; at the cap, the roles on paid
   * fallback targets go back where they came from, and one notification says so.
   */
  async check(): Promise<void> {
    this.spend.settle((target, role) => this.backends.configFor(role)?.id === target);
    const active = this.spend.active();
    const sentence = active.length ? this.capSentence() : undefined;
    if (!sentence || !this.spend.shouldAnnounceCap()) return;
    const providers = this.backends.current().providers;
    const names = (id: string) => providers.find((config) => config.id === id)?.name ?? id;
    const back: string[] = [];
    let refused: unknown;
    for (const fallback of active) {
      if (!providers.some((config) => config.id === fallback.from)) continue;
      const roles = fallback.roles.join(' and ');
      try {
        await this.backends.choose(fallback.from, fallback.roles);
        back.push(`${roles} went back to ${names(fallback.from)}`);
      } catch (error) {
        refused ??= error;
        back.push(`${roles} could not go back to ${names(fallback.from)}: still on ${names(fallback.target)}`);
      }
    }
    const ended = [...active];
    this.spend.endAll();
    // Said in the cap's own notification: one event, one toast.
    const unwritten = refused && ` ${settingsWriteProblem(refused)} Fix the file, then switch them yourself.`;
    const message = `${sentence}${back.length ? ` ${back.join('; ')}.` : ''}${unwritten || ''}`;
    log().warn(message);
    const keep = ended.map((fallback) => `Keep using ${names(fallback.target)}`);
    const raise = 'Raise fallback budget…';
    const choice = await this.notify('warning', message, [
      ...new Set(keep),
      raise,
      ...(unwritten ? [OPEN_USER_SETTINGS] : []),
    ]);
    openUserSettingsIf(choice);
    if (choice === raise)
      await vscode.commands.executeCommand('workbench.action.openSettings', `switchboard.${BUDGET_SETTING}`);
    // The user's own choice, made with the cap in view: no longer a fallback, so not capped.
    for (const kept of ended.filter((fallback) => choice === `Keep using ${names(fallback.target)}`))
      await savedOrSaid(`The switch of ${kept.roles.join(' and ')} to ${names(kept.target)}`, () =>
        this.backends.choose(kept.target, kept.roles),
      );
  }
}

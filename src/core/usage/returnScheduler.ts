/**
 * Runs the remembered switches on a clock: one probe of the original backend after its reset,
 * backoff after a failure, never more than one probe in flight, and the return when it answers.
 */
import type { Clock } from '../clock';
import {
  afterFailedProbe,
  afterUnsavedReturn,
  reconcile,
  rememberSwitch,
  type HeldBy,
  type ReturnPlan,
  type Role,
  type SwitchFacts,
} from './returnPlan';

export type ProbeOutcome =
  | { ok: true }
  /** `held`: nothing was sent (see `probeHeld`); `untilReload`: nothing will be before a reload. */
  | { ok: false; message: string; resetsAt?: number; held?: true; heldBy?: HeldBy; untilReload?: true };

/** What the scheduler needs from its host. */
export interface ReturnHost {
  clock: Clock;
  /** One small real request to the backend (metered like any other). */
  probe(plan: ReturnPlan): Promise<ProbeOutcome>;
  /**
   * The backend answered: move the plan's roles back, or offer to. False when the move could not
   * be written to settings: the plan is kept and tried again later.
   */
  answered(plan: ReturnPlan): Promise<boolean>;
  /** Persists the plans, so a reload does not forget them. */
  save(plans: readonly ReturnPlan[]): void;
  /** The plans changed (the status bar shows them). */
  changed(): void;
}

/** Timers longer than this are armed in steps (Node's setTimeout overflows past 2^31 ms). */
const MAX_TIMER_MS = 6 * 3_600_000;

export class ReturnScheduler {
  private plans: ReturnPlan[];
  private timer: unknown;
  /** The backend being probed; at most one probe is in flight. */
  private probing: string | undefined;
  private disposed = false;

  constructor(
    private readonly host: ReturnHost,
    stored: readonly ReturnPlan[] = [],
  ) {
    this.plans = [...stored];
    this.arm();
  }

  current(): readonly ReturnPlan[] {
    return this.plans;
  }

  /** The plan that brings `role` back, if one is waiting. */
  planFor(role: Role): ReturnPlan | undefined {
    return this.plans.find((plan) => plan.roles.includes(role));
  }

  record(facts: Omit<SwitchFacts, 'now'>): void {
    this.update(rememberSwitch(this.plans, { ...facts, now: this.host.clock.now() }));
  }

  /** After any change of who serves what: a role the user moved elsewhere no longer returns. */
  reconcile(serving: (role: Role) => string | undefined, configured: (backend: string) => boolean): void {
    const next = reconcile(this.plans, serving, configured, this.host.clock.now());
    if (next.length !== this.plans.length || next.some((plan, i) => plan !== this.plans[i])) this.update(next);
  }

  /**
   * Probes `from` now ("Try Qwen again"); resolves what the probe said, or undefined when there is
   * no plan for it or a probe is already in flight.
   */
  async tryNow(from: string): Promise<ProbeOutcome | undefined> {
    const plan = this.plans.find((candidate) => candidate.from === from);
    if (!plan) return undefined;
    return this.run(plan);
  }

  private async run(plan: ReturnPlan): Promise<ProbeOutcome | undefined> {
    if (this.probing !== undefined || this.disposed) return undefined;
    this.probing = plan.from;
    this.clearTimer();
    let outcome: ProbeOutcome;
    try {
      outcome = await this.host.probe(plan);
    } catch (error) {
      outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    this.probing = undefined;
    if (this.disposed) return outcome;
    // The plan may have changed while the probe was out (the user moved the role meanwhile).
    const now = this.host.clock.now();
    const still = this.plans.find((candidate) => candidate.from === plan.from);
    if (!still) {
      this.arm();
      return outcome;
    }
    if (outcome.ok) {
      this.update(this.plans.filter((candidate) => candidate !== still));
      let moved = true;
      try {
        moved = await this.host.answered(still);
      } catch {
        // The host says what went wrong itself; the plan is done, the backend answered.
      }
      // Unless a new switch away from the same backend was remembered meanwhile, which says more.
      if (!moved && !this.disposed && !this.plans.some((candidate) => candidate.from === still.from))
        this.update([...this.plans, afterUnsavedReturn(still, this.host.clock.now())]);
    } else {
      this.update(
        this.plans.map((candidate) =>
          candidate === still
            ? afterFailedProbe(still, now, outcome.resetsAt, outcome.held ? outcome : undefined)
            : candidate,
        ),
      );
    }
    return outcome;
  }

  private update(next: ReturnPlan[]): void {
    this.plans = next;
    this.host.save(next);
    this.host.changed();
    this.arm();
  }

  /** One timer, for the earliest probe due. */
  private arm(): void {
    this.clearTimer();
    if (this.disposed || this.probing !== undefined) return;
    const due = this.plans
      .filter((plan) => plan.nextProbeAt !== undefined)
      .sort((a, b) => (a.nextProbeAt ?? 0) - (b.nextProbeAt ?? 0))[0];
    if (!due || due.nextProbeAt === undefined) return;
    const wait = Math.max(0, due.nextProbeAt - this.host.clock.now());
    this.timer = this.host.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (wait > MAX_TIMER_MS) this.arm();
        else void this.run(due);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }
}

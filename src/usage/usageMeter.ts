import * as vscode from 'vscode';
import { exportUsageToFile, type ExportFormat } from '../core/usage/exportUsage';
import { isBlockingKind, type ProviderError } from '../core/providers/providerError';
import type { Usage } from '../core/providers/types';
import type { ProviderConfig } from '../core/settings/providerSettings';
import type { Totals } from '../core/usage/rollups';
import { inLastMinute, keepForLastMinute, monthSpan, sinceSpan, todaySpan } from '../core/usage/spendPeriods';
import { addAmounts, type Amounts } from '../core/usage/money';
import { UsageLedger, type NewCompletionEvent, type NewUsageRecord } from '../core/usage/usageLedger';
import { acceptanceFigures, emptyRequestTotals, sumCounts, type AcceptanceFigures } from '../core/usage/acceptance';
import type { CompletionEvent } from '../core/usage/completionEvent';
import type { Feature, UsageRecord } from '../core/usage/usageRecord';
import type { BackendUsage, HardFailure } from '../core/usage/limits';
import { PLAN_HISTORY_MS, PlanUsage } from '../core/usage/planUsage';
import { requestDraw, type PlanDraw } from '../core/usage/planDraw';
import { meterRequest } from '../core/usage/meterRequest';
import { InFlightSpend, reservationOf, worstCaseUsage } from '../core/usage/inFlightSpend';
import { requestCost } from '../backends/backendPrices';
import { log } from '../log';

/** How often a window picks up the other windows' requests. */
const REFRESH_MS = 3_000;
const CHECKPOINT_MS = 5 * 60_000;
const SHOW_LOG = 'Show Log';
const RELOAD = 'Reload Window';

/** A failure of this window's own request: what the ledger line does not carry. */
interface OwnFailure {
  message: string;
  /** When it lifts, where the server said (Gemini's spent day: midnight Pacific). */
  resetsAt?: number;
}

export interface RequestOutcome {
  config: ProviderConfig;
  feature: Feature;
  /** The model that answered, as the server named it. */
  model: string;
  /** The model the entry asked for, when the server may name another: the user's price is for it. */
  askedModel?: string;
  startedAt: number;
  /**
   * Reported by the backend, or the provider's estimate for a request cut short (see
   * `Provider.estimateFimUsage`); undefined when neither has a count, for an estimate from the text.
   */
  usage?: Usage;
  /** What was sent, for an estimate when nothing was reported (a cancelled request may still be billed). */
  promptText?: string;
  outputText?: string;
  /** Of `outputText`, the model's reasoning. */
  reasoningText?: string;
  error?: ProviderError;
}

/**
 * The host's side of the usage ledger: opens it in global storage without holding up activation,
 * records every request, and keeps the totals current across windows.
 */
export class UsageMeter implements vscode.Disposable {
  private ledger: UsageLedger | undefined;
  /**
   * Why the ledger is not open and never will be in this window (it failed to open); undefined
   * while it opens or once it is open. Budgets cannot be checked then: what was spent is unknown.
   */
  get unavailable(): string | undefined {
    return this.failure;
  }
  private failure: string | undefined;
  private readonly pending: { record: NewUsageRecord; failure?: OwnFailure }[] = [];
  private readonly pendingEvents: NewCompletionEvent[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly served = new vscode.EventEmitter<{ backend: string; time: number }>();
  /** A request of a backend was served, in this window or another. */
  readonly onDidServe = this.served.event;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Finish times of each backend's requests in the last minute, from every window. */
  private readonly recent = new Map<string, number[]>();
  /** Each backend's last quota, balance or auth failure since its last success, from every window. */
  private readonly failures = new Map<string, HardFailure>();
  /**
   * The failure this window is appending right now: its message and, where the server said, when it
   * lifts (Gemini's spent day: midnight Pacific). The ledger carries neither, and the append reaches
   * `observe` at once; a refusal from another window is taken as its line says, never with these.
   */
  private appending?: OwnFailure;
  /** Backends on a subscription plan, whose every request time is kept for the plan's windows. */
  private planBackends: ReadonlySet<string> = new Set();
  /** Each plan backend's models that draw more than one unit of its quota. */
  private planDraws: ReadonlyMap<string, PlanDraw> = new Map();
  private readonly plans = new PlanUsage(
    (backend) => this.planBackends.has(backend),
    (record) => requestDraw(this.planDraws.get(record.backend), record.model, record.time),
  );
  private readonly inFlightChanged = new vscode.EventEmitter<void>();
  /** A request of this window started or ended while its worst case was held. */
  readonly onDidChangeInFlight = this.inFlightChanged.event;
  /** What this window's requests under way may still cost; never recorded, never shown as spent. */
  readonly inFlight = new InFlightSpend(() => this.inFlightChanged.fire());

  constructor(storageDir: string, retentionDays: number) {
    UsageLedger.open({
      dir: storageDir,
      retentionDays,
      warn: (message) => log().warn(message),
      onWriteFailed: (error) => {
        // Budgets in other windows, and in this one after a reload, count only what is on disk.
        const text = `Switchboard could not write its usage ledger in ${storageDir} (${String(error)}). Requests are counted in this window only: other windows, and this one after a reload, will not see their cost against budgets. Free disk space or fix the folder's permissions.`;
        log().error(text);
        void vscode.window.showWarningMessage(text, SHOW_LOG).then((choice) => {
          if (choice === SHOW_LOG) log().show();
        });
      },
    })
      .then((ledger) => {
        this.ledger = ledger;
        ledger.onRecords((records) => {
          for (const record of records) this.observe(record);
          this.plans.add(records, Date.now());
          this.changed.fire();
        });
        ledger.onEvents(() => this.changed.fire());
        if (this.planBackends.size) void this.scanPlanHistory();
        for (const { record, failure } of this.pending.splice(0)) this.append(ledger, record, failure);
        for (const event of this.pendingEvents.splice(0)) ledger.appendEvent(event);
        this.timers.push(
          setInterval(
            () =>
              void ledger
                .refresh()
                .catch((error: unknown) => log().warn(`Usage ledger refresh failed: ${String(error)}`)),
            REFRESH_MS,
          ),
          setInterval(() => void ledger.checkpoint().catch(() => {}), CHECKPOINT_MS),
        );
        for (const timer of this.timers) timer.unref();
        this.changed.fire();
      })
      .catch((error: unknown) => this.openFailed(storageDir, error));
  }

  /**
   * The ledger cannot be opened (no permission, a file where its folder should be, unreadable):
   * nothing is recorded in this window and no budget can be checked. Said once, with the way out;
   * the rest of the extension goes on.
   */
  private openFailed(storageDir: string, error: unknown): void {
    this.pending.length = 0;
    this.pendingEvents.length = 0;
    this.failure = `the usage ledger could not be opened in ${storageDir} (${String(error)})`;
    const text = `Switchboard could not open its usage ledger in ${storageDir} (${String(error)}). Spending is not recorded in this window, and budgets cannot be checked: where a budget is set to pause, automatic completion on the backends it covers is paused and chat asks before each request. Fix the folder's permissions (or move away a file in its place), then reload the window.`;
    log().error(text);
    void vscode.window.showWarningMessage(text, SHOW_LOG, RELOAD).then((choice) => {
      if (choice === SHOW_LOG) log().show();
      if (choice === RELOAD) void vscode.commands.executeCommand('workbench.action.reloadWindow');
    });
    this.changed.fire();
  }

  /**
   * Records the request and returns what was recorded (tokens, cost, latency, outcome), with the
   * record's id once the ledger is open (completion events link to it).
   */
  record(outcome: RequestOutcome): NewUsageRecord & { id?: string } {
    const { config, error } = outcome;
    const metered = meterRequest(outcome, (usage: Usage) =>
      requestCost(config, outcome.model, usage, outcome.askedModel),
    );
    const { usage: counted, price } = metered;
    const record: NewUsageRecord = {
      backend: config.id,
      // Kept with the spend, so it still reads as the user's name once the backend is removed.
      ...(config.name !== config.id && { backendName: config.name }),
      model: outcome.model,
      feature: outcome.feature,
      inputTokens: counted.inputTokens,
      outputTokens: counted.outputTokens,
      cacheReadTokens: counted.cacheReadTokens,
      cacheWriteTokens: counted.cacheWriteTokens,
      reported: counted.reported,
      costMicros: price.micros,
      currency: price.micros === null ? 'USD' : price.currency,
      latencyMs: Date.now() - outcome.startedAt,
      outcome: error?.kind ?? 'ok',
      ...(price.source === 'plan' && { inPlan: true }),
      ...(metered.unserved && { unserved: true }),
    };
    const failure = error && {
      message: error.message,
      ...(error.resetAt !== undefined && { resetsAt: error.resetAt }),
    };
    try {
      if (this.ledger) return this.append(this.ledger, record, failure);
      // A ledger that failed to open never will in this window: nothing is kept to write later.
      if (!this.unavailable) this.pending.push({ record, ...(failure && { failure }) });
    } catch (appendError) {
      log().error(`Could not write to the usage ledger: ${String(appendError)}`);
    }
    return record;
  }

  /** Appends one of this window's records; `observe` sees it at once, with what the ledger does not keep. */
  private append(ledger: UsageLedger, record: NewUsageRecord, failure: OwnFailure | undefined): UsageRecord {
    this.appending = failure;
    try {
      return ledger.append(record);
    } finally {
      this.appending = undefined;
    }
  }

  /**
   * Holds a request's worst case while it runs (its prompt's estimated tokens at the input price,
   * `maxOutputTokens` at the output price), so budgets count it before it is recorded. Call the
   * returned release on every way out, after `record`; it may be called more than once. Nothing is
   * held where the price is unknown or nothing is spent (local, free, a plan).
   */
  reserve(config: ProviderConfig, model: string, promptText: string, maxOutputTokens: number): () => void {
    const price = requestCost(config, model, worstCaseUsage(promptText, maxOutputTokens));
    return this.inFlight.hold(reservationOf(config.id, price));
  }

  /** Records what became of a completion suggestion (shown, accepted, kept). */
  recordEvent(event: NewCompletionEvent): void {
    try {
      if (this.ledger) this.ledger.appendEvent(event);
      else if (!this.unavailable) this.pendingEvents.push(event);
    } catch (appendError) {
      log().error(`Could not write to the usage ledger: ${String(appendError)}`);
    }
  }

  /** What one backend's completions were worth since a UTC day (all its models together), from every window. */
  acceptanceOf(backend: string, fromDay: string): AcceptanceFigures | undefined {
    const ledger = this.ledger;
    if (!ledger) return undefined;
    const totals = ledger.rollups.sum({ ...sinceSpan(fromDay, Date.now()), backend, feature: 'completion' });
    const requests = emptyRequestTotals();
    requests.requests = totals.requests;
    requests.includedRequests = totals.planRequests;
    requests.unservedRequests = totals.unservedRequests;
    requests.cost = totals.cost;
    requests.unpricedRequests = totals.unpricedRequests;
    const counts = sumCounts(ledger.acceptance.byModel({ ...sinceSpan(fromDay, Date.now()), backend }).values());
    return acceptanceFigures(backend, '', requests, counts);
  }

  /** The completion events still on disk, from every window, streamed; for the usage dashboard. */
  events(filter: { from?: number; to?: number } = {}): AsyncIterable<CompletionEvent> {
    if (!this.ledger) throw new Error('the usage ledger is not open');
    return this.ledger.events(filter);
  }

  private observe(record: UsageRecord): void {
    const now = Date.now();
    const times = (this.recent.get(record.backend) ?? []).filter((time) => keepForLastMinute(time, now));
    if (keepForLastMinute(record.time, now)) times.push(record.time);
    this.recent.set(record.backend, times);
    if (record.outcome === 'ok') {
      this.failures.delete(record.backend);
      this.served.fire({ backend: record.backend, time: record.time });
    } else if (isBlockingKind(record.outcome)) {
      const own = this.appending;
      this.failures.set(record.backend, {
        kind: record.outcome,
        message: own?.message ?? record.outcome.replace(/-/g, ' '),
        at: record.time,
        ...(own?.resetsAt !== undefined && { resetsAt: own.resetsAt }),
      });
    }
  }

  /** What the limits need to know about one backend. */
  usageOf(backend: string): BackendUsage {
    const now = Date.now();
    const today = this.today(backend);
    return {
      requestsLastMinute: (this.recent.get(backend) ?? []).filter((time) => inLastMinute(time, now)).length,
      // "13 of 12 requests today" after a refusal would count a request the server never served.
      requestsToday: today ? today.requests - today.unservedRequests : 0,
      costToday: today?.cost ?? {},
      costMonth: this.month(backend)?.cost ?? {},
    };
  }

  /**
   * Which backends are on a plan. A backend new to the list has its last month read from the
   * records on disk (every window's), so its windows are right from the start.
   */
  trackPlans(backends: readonly string[], draws: ReadonlyMap<string, PlanDraw> = new Map()): void {
    const added = backends.some((backend) => !this.planBackends.has(backend));
    this.planBackends = new Set(backends);
    this.planDraws = draws;
    if (added && this.ledger) void this.scanPlanHistory();
  }

  /** Finish times of a plan backend's requests over the last month, from every window, ascending. */
  planTimes(backend: string): readonly number[] {
    return this.plans.timesOf(backend);
  }

  private async scanPlanHistory(): Promise<void> {
    const ledger = this.ledger;
    if (!ledger) return;
    const now = Date.now();
    const found: UsageRecord[] = [];
    try {
      for await (const record of ledger.records({ from: now - PLAN_HISTORY_MS }))
        if (this.planBackends.has(record.backend)) found.push(record);
    } catch (error) {
      log().warn(`Could not read the plan history from the usage ledger: ${String(error)}`);
    }
    if (this.plans.add(found, now)) this.changed.fire();
  }

  failureOf(backend: string): HardFailure | undefined {
    return this.failures.get(backend);
  }

  /** Input and output tokens one backend sent to and got from a model since a UTC day, from every window. */
  tokensSince(backend: string, model: string, fromDay: string): number {
    const totals = this.ledger?.rollups.sum({ ...sinceSpan(fromDay, Date.now()), backend, model });
    return totals ? totals.inputTokens + totals.outputTokens : 0;
  }

  /** Today's totals (UTC day), for one backend or all. */
  today(backend?: string): Totals | undefined {
    return this.ledger?.rollups.sum({ ...todaySpan(Date.now()), backend });
  }

  /** What one backend's requests for some features cost on one UTC day, from every window. */
  costOn(backend: string, features: readonly Feature[], day: string): Amounts {
    const cost: Amounts = {};
    for (const feature of features)
      addAmounts(cost, this.ledger?.rollups.sum({ fromDay: day, toDay: day, backend, feature }).cost ?? {});
    return cost;
  }

  /** This calendar month's totals (UTC), for one backend or all. */
  month(backend?: string): Totals | undefined {
    return this.ledger?.rollups.sum({ ...monthSpan(Date.now()), backend });
  }

  /** Writes every record still on disk to `file`, as CSV or JSON; returns how many. */
  async export(file: string, format: ExportFormat): Promise<number> {
    if (!this.ledger) throw new Error('the usage ledger is not open');
    await this.ledger.refresh();
    return exportUsageToFile(this.ledger.records(), format, file, this.ledger.events());
  }

  /** The raw records still on disk, from every window, streamed; for the usage dashboard. */
  records(filter: { from?: number; to?: number } = {}): AsyncIterable<UsageRecord> {
    if (!this.ledger) throw new Error('the usage ledger is not open');
    return this.ledger.records(filter);
  }

  get ready(): boolean {
    return this.ledger !== undefined;
  }

  /** Why there is nothing to show yet: the ledger is still opening, or could not be opened at all. */
  notReadyText(): string {
    return this.failure
      ? `Switchboard: ${this.failure}, so no usage can be shown. See the Switchboard log.`
      : 'Switchboard: the usage ledger is still opening; try again in a moment.';
  }

  dispose(): void {
    for (const timer of this.timers) clearInterval(timer);
    void this.ledger?.close();
    this.changed.dispose();
    this.served.dispose();
    this.inFlightChanged.dispose();
  }
}

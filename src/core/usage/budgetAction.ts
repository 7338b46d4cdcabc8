/**
 * What a reached budget does. A budget that only warns is not a budget: by default, at 100%
 * automatic completion pauses for the backends the budget covers until the budget resets, and a
 * chat request that would start past it asks first. `warn` keeps a budget to a warning for those
 * who want that. Requests already sent are never touched: they finish and are recorded.
 *
 * A request under way counts at its worst case (`inFlightSpend.ts`) until it ends: a budget is
 * reached for the next request when what was spent and what is under way reach it together. A
 * request that starts with room left goes, however large its own worst case: were it refused for
 * that, a small budget could never be spent at all.
 */
import type { LimitReading } from './limits';
import type { Amounts, Currency } from './money';

export type BudgetAction = 'pause' | 'warn';

export const DEFAULT_BUDGET_ACTION: BudgetAction = 'pause';

/** `action` as a setting gives it: anything but "warn" holds, so a typo never turns a budget off. */
export function budgetActionOf(value: unknown): BudgetAction {
  return value === 'warn' ? 'warn' : DEFAULT_BUDGET_ACTION;
}

/** A reading of a spending budget (dollars or yuan, per day or month), not of a request count or quota. */
export function isBudgetReading(reading: LimitReading): boolean {
  return (
    reading.kind === 'usd-per-day' ||
    reading.kind === 'usd-per-month' ||
    reading.kind === 'cny-per-day' ||
    reading.kind === 'cny-per-month'
  );
}

/** One place budgets are set: `switchboard.budget` (all backends) or a provider entry's `limits`. */
export interface BudgetScope {
  /** The backend a provider's `limits` cover; undefined for `switchboard.budget`, which covers all. */
  backend?: string;
  /** Whose spending: "Qwen", or "all backends". */
  name: string;
  action: BudgetAction;
  /** The scope's readings as `evaluateLimits` made them; only its budget readings count here. */
  readings: readonly LimitReading[];
}

/** A budget that holds completion (and makes chat ask) until `until`, its reset. */
export interface BudgetHold {
  backend?: string;
  name: string;
  reading: LimitReading;
  action: BudgetAction;
  until: number;
  /** Chosen by hand ("Pause completion until reset") before the budget was reached. */
  manual?: boolean;
  /**
   * Micro-units the requests under way may still cost, when only with them is the budget reached
   * (what was spent, `reading.used`, is below it): the hold ends when they do.
   */
  inFlight?: number;
  /**
   * What was spent cannot be known (the usage ledger could not be opened), so whether the budget
   * is reached cannot be checked: it holds as if reached, until the ledger opens (a reload).
   */
  unchecked?: true;
}

/**
 * What a backend can add to a budget: `'nothing'` for a local, free or plan backend (its requests
 * cost no money per request), the currency it is priced in, or undefined when its price is unknown
 * (then every budget covers it: unknown is never free).
 */
export type BackendSpend = 'nothing' | Currency | undefined;

/**
 * What the requests under way may still cost, per currency: those of one backend for its own
 * budget, those of every backend for the budget over all (`backend` undefined).
 */
export type InFlightAmounts = (backend: string | undefined) => Amounts;

/**
 * Every budget at or past 100% that has not reset by `now`, whatever its action. With `inFlight`,
 * also every budget that what was spent and what is under way reach together.
 */
export function reachedBudgets(scopes: readonly BudgetScope[], now: number, inFlight?: InFlightAmounts): BudgetHold[] {
  return scopes.flatMap((scope) => {
    const reserved = inFlight?.(scope.backend) ?? {};
    return scope.readings.flatMap((reading) => {
      if (!isBudgetReading(reading) || (reading.resetsAt ?? 0) <= now) return [];
      const held = reserved[reading.currency === 'CNY' ? 'CNY' : 'USD'] ?? 0;
      // A budget of 0 is reached before anything is spent: it allows no paid request, not one.
      const spent = reading.fraction >= 1 || reading.limit <= 0;
      if (!spent && !(held > 0 && reading.used + held >= reading.limit)) return [];
      return [
        {
          ...(scope.backend !== undefined && { backend: scope.backend }),
          name: scope.name,
          reading,
          action: scope.action,
          until: reading.resetsAt ?? now,
          ...(!spent && { inFlight: held }),
        },
      ];
    });
  });
}

/** Every budget set, as a hold that cannot be checked: what was spent against it is unknown. */
function uncheckedBudgets(scopes: readonly BudgetScope[], now: number): BudgetHold[] {
  return scopes.flatMap((scope) =>
    scope.readings.filter(isBudgetReading).map((reading): BudgetHold => ({
      ...(scope.backend !== undefined && { backend: scope.backend }),
      name: scope.name,
      reading,
      action: scope.action,
      until: reading.resetsAt ?? now,
      unchecked: true,
    })),
  );
}

/** Whether a budget can be spent by a backend: its own, or the overall one in the backend's currency. */
export function covers(hold: Pick<BudgetHold, 'backend' | 'reading'>, backend: string, spend: BackendSpend): boolean {
  if (spend === 'nothing') return false;
  if (hold.backend !== undefined) return hold.backend === backend;
  return spend === undefined || (hold.reading.currency ?? 'USD') === spend;
}

export interface BudgetDecisionInput {
  scopes: readonly BudgetScope[];
  /** Pauses chosen by hand, each until its budget's reset. */
  manual?: readonly BudgetHold[];
  backend: string;
  spend: BackendSpend;
  now: number;
  /** What this window's requests under way may still cost; without it only what was spent counts. */
  inFlight?: InFlightAmounts;
  /**
   * What was spent is unknown (the usage ledger could not be opened): every budget that pauses
   * holds the backends it covers. A budget promises to stop spending; unable to count, it can keep
   * that promise only by not spending unasked. A budget set to "warn" promised no stop.
   */
  spentUnknown?: boolean;
}

export interface BudgetDecision {
  /** Automatic completion waits until this hold ends (the latest of them); undefined: it may ask. */
  completion?: BudgetHold;
  /** A chat request asks first, naming this budget; undefined: it goes. */
  chat?: BudgetHold;
  /** Reached budgets set to `warn` that cover the backend: said, nothing stopped. */
  warnOnly: BudgetHold[];
}

/** What the budgets say about one backend's next completion and chat request at `now`. */
export function decideBudgets(input: BudgetDecisionInput): BudgetDecision {
  const { backend, spend, now } = input;
  const reached = reachedBudgets(input.scopes, now, input.inFlight).filter((hold) => covers(hold, backend, spend));
  const unchecked = input.spentUnknown ? uncheckedBudgets(input.scopes, now) : [];
  const holding = [...reached, ...unchecked.filter((hold) => covers(hold, backend, spend))].filter(
    (hold) => hold.action === 'pause',
  );
  const manual = (input.manual ?? []).filter((hold) => hold.until > now && covers(hold, backend, spend));
  // A budget really spent says more than one reached only with what is under way, which may end soon.
  const latest = (holds: readonly BudgetHold[]) => {
    const spent = holds.filter((hold) => hold.inFlight === undefined);
    return (spent.length ? spent : holds).reduce<BudgetHold | undefined>(
      (top, hold) => (!top || hold.until > top.until ? hold : top),
      undefined,
    );
  };
  const completion = latest([...holding, ...manual]);
  const chat = latest(holding);
  return {
    ...(completion && { completion }),
    ...(chat && { chat }),
    warnOnly: reached.filter((hold) => hold.action === 'warn'),
  };
}

/** A backend's own budget that cannot count what the backend spends, with what it spends instead. */
export interface UncountedBudget {
  reading: LimitReading;
  /** The currency the backend bills in, or undefined when nobody knows its price. */
  spend: Currency | undefined;
}

/**
 * A backend's own budgets that can never hold it: in a currency it does not bill in (there is no
 * exchange rate), or any when its price is unknown (its requests are recorded with no cost to add).
 * `spends` are what the backend spends per role; a role that spends nothing has nothing to count.
 */
export function uncountedBudgets(
  readings: readonly LimitReading[],
  spends: readonly BackendSpend[],
): UncountedBudget[] {
  return readings.filter(isBudgetReading).flatMap((reading) => {
    const currency = reading.currency ?? 'USD';
    const uncounted = spends.findIndex((spend) => spend === undefined || (spend !== 'nothing' && spend !== currency));
    return uncounted < 0 ? [] : [{ reading, spend: spends[uncounted] as Currency | undefined }];
  });
}

/** The budget reading nearest its end in a scope, for the notification's "Pause completion until reset". */
export function nearestBudget(scope: BudgetScope): LimitReading | undefined {
  return scope.readings
    .filter(isBudgetReading)
    .reduce<LimitReading | undefined>(
      (top, reading) => (!top || reading.fraction > top.fraction ? reading : top),
      undefined,
    );
}

/** At most this many manual pauses are kept: one per budget is all a user can choose. */
const MAX_MANUAL_HOLDS = 32;
const BUDGET_KINDS = new Set(['usd-per-day', 'usd-per-month', 'cny-per-day', 'cny-per-month']);

/**
 * The pauses a user chose by hand, as kept in the editor's global state (shared by every window
 * and kept across reloads): those still running at `now`. Anything malformed is dropped, never
 * trusted: a hold must name a budget reading, a name and a finite end.
 */
export function storedManualHolds(value: unknown, now: number): BudgetHold[] {
  if (!Array.isArray(value)) return [];
  const holds: BudgetHold[] = [];
  for (const item of value.slice(0, MAX_MANUAL_HOLDS)) {
    if (typeof item !== 'object' || item === null) continue;
    const { backend, name, reading, until } = item as Record<string, unknown>;
    if (typeof until !== 'number' || !Number.isFinite(until) || until <= now) continue;
    if (typeof name !== 'string' || (backend !== undefined && typeof backend !== 'string')) continue;
    if (typeof reading !== 'object' || reading === null) continue;
    const { kind, used, limit, fraction, currency, resetsAt } = reading as Record<string, unknown>;
    if (typeof kind !== 'string' || !BUDGET_KINDS.has(kind)) continue;
    if (![used, limit, fraction].every((n) => typeof n === 'number' && Number.isFinite(n))) continue;
    holds.push({
      ...(backend !== undefined && { backend }),
      name: name.slice(0, 200),
      reading: {
        kind: kind as LimitReading['kind'],
        used: used as number,
        limit: limit as number,
        fraction: fraction as number,
        source: 'settings',
        ...(typeof currency === 'string' && { currency: currency.slice(0, 8) }),
        ...(typeof resetsAt === 'number' && Number.isFinite(resetsAt) && { resetsAt }),
      },
      action: 'pause',
      until,
      manual: true,
    });
  }
  return holds;
}

/**
 * What requests on backends reached by a fallback have spent today, against the optional
 * `switchboard.fallbackBudget` ({ "usdPerDay": 1 }, per currency like `switchboard.budget`).
 *
 * The ledger does not know why a request went where it went, so the spend is taken from it by
 * difference: each fallback remembers the target's cost for the moved roles when it began (the
 * baseline), and counts what was added since, today (UTC, like the ledger's days). A fallback
 * that ended keeps what it spent that day. Other windows' requests for the same roles count too,
 * which can only stop fallbacks sooner, never later.
 */
import type { Role } from './backendPrice';
import { addAmount, CURRENCIES, type Amounts, type Currency } from './money';
import { utcDay } from './rollups';

/** Micro-units per currency per day; a currency absent is not capped. */
export type FallbackBudget = Partial<Record<Currency, number>>;

const dailyMicros = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value * 1_000_000) : undefined;

/** The setting as micros per currency, or undefined when it caps nothing (unset, empty, or not numbers). */
export function parseFallbackBudget(value: unknown): FallbackBudget | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const setting = value as Record<string, unknown>;
  const budget: FallbackBudget = {};
  const usd = dailyMicros(setting.usdPerDay);
  const cny = dailyMicros(setting.cnyPerDay);
  if (usd !== undefined) budget.USD = usd;
  if (cny !== undefined) budget.CNY = cny;
  return Object.keys(budget).length ? budget : undefined;
}

/** The target's ledger cost for some roles on one UTC day, in micros per currency, from every window. */
export type CostOn = (backend: string, roles: readonly Role[], day: string) => Amounts;

/** One fallback: `roles` moved from `from` to `target` on `day`. */
export interface Fallback {
  from: string;
  target: string;
  roles: Role[];
  day: string;
  baseline: Amounts;
  /** Set when the roles left the target: the spend of that day, kept until the day is over. */
  ended?: { day: string; spent: Amounts };
}

function difference(after: Amounts, before: Amounts): Amounts {
  const out: Amounts = {};
  for (const currency of CURRENCIES) {
    const micros = (after[currency] ?? 0) - (before[currency] ?? 0);
    if (micros > 0) out[currency] = micros;
  }
  return out;
}

export class FallbackSpend {
  private fallbacks: Fallback[] = [];
  private announcedDay: string | undefined;

  constructor(
    private readonly clock: { now(): number },
    private readonly costOn: CostOn,
  ) {}

  /** A fallback moved `roles` from `from` to `target` now. */
  began(from: string, target: string, roles: readonly Role[]): void {
    const day = utcDay(this.clock.now());
    this.fallbacks.push({ from, target, roles: [...roles], day, baseline: this.costOn(target, roles, day) });
  }

  /** The fallbacks still in force: where each role came from, for a way back. */
  active(): readonly Pick<Fallback, 'from' | 'target' | 'roles'>[] {
    return this.fallbacks.filter((fallback) => !fallback.ended);
  }

  /**
   * Ends the fallbacks whose roles are no longer where the fallback put them (the user switched,
   * or the roles went back): their spend so far is kept for the rest of the day.
   */
  settle(isStillOn: (target: string, role: Role) => boolean): void {
    const today = utcDay(this.clock.now());
    for (const fallback of this.fallbacks) {
      if (fallback.ended || fallback.roles.some((role) => isStillOn(fallback.target, role))) continue;
      fallback.ended = { day: today, spent: this.spentOn(fallback, today) };
    }
    this.fallbacks = this.fallbacks.filter((fallback) => !fallback.ended || fallback.ended.day === today);
  }

  private spentOn(fallback: Fallback, day: string): Amounts {
    const before = fallback.day === day ? fallback.baseline : {};
    return difference(this.costOn(fallback.target, fallback.roles, day), before);
  }

  /** Today's spend on fallback targets, per currency; a new UTC day starts from nothing. */
  spentToday(): Amounts {
    const today = utcDay(this.clock.now());
    const total: Amounts = {};
    for (const fallback of this.fallbacks) {
      const spent = fallback.ended
        ? fallback.ended.day === today
          ? fallback.ended.spent
          : {}
        : this.spentOn(fallback, today);
      for (const currency of CURRENCIES) {
        const micros = spent[currency];
        if (micros) addAmount(total, currency, micros);
      }
    }
    return total;
  }

  /** The currency whose daily cap today's fallback spend has reached, if any. */
  reached(budget: FallbackBudget | undefined): Currency | undefined {
    if (!budget) return undefined;
    const spent = this.spentToday();
    return CURRENCIES.find((currency) => budget[currency] !== undefined && (spent[currency] ?? 0) >= budget[currency]!);
  }

  /** True once per UTC day: the cap is said once, not on every refused fallback. */
  shouldAnnounceCap(): boolean {
    const today = utcDay(this.clock.now());
    if (this.announcedDay === today) return false;
    this.announcedDay = today;
    return true;
  }
}

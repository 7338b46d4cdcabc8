/**
 * What requests on backends reached by a fallback have spent today, against the optional
 * `switchboard.fallbackBudget` ({ "usdPerDay": 1 }, per currency like `switchboard.budget`).
 *
 * The ledger does not know why a request went where it went, so the spend is taken from it by
 * difference: each fallback remembers the target's cost for the moved roles when it began (the
 * baseline), and counts what was added since, today (UTC, like the ledger's days). A fallback
 * that ended keeps what it spent that day. Other windows' requests for the same roles count too,
 * which can only stop fallbacks sooner, never later. With a store, the fallbacks outlive a reload
 * and are shared by every window (see FallbackStore).
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
  /**
   * When the switch was asked for, while its roles are not yet seen on the target: a fallback
   * begins before the settings move (so nothing spent on the target after the switch escapes
   * the count), and is not taken for ended while the settings are still on their way.
   */
  switching?: number;
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

/** What is kept between windows and reloads: the fallbacks of today and the day the cap was said. */
export interface StoredFallbacks {
  fallbacks: Fallback[];
  announcedDay?: string;
}

/**
 * Where the fallbacks are kept (the editor's global state): every window reads it before it
 * decides and writes what it changed, so a reload forgets no fallback and a second window counts
 * the first one's against the same cap.
 */
export interface FallbackStore {
  load(): unknown;
  save(state: StoredFallbacks): void;
}

const MAX_STORED = 64;
/** How long a switch may take to reach the settings before its fallback counts as never made. */
export const SWITCH_LANDS_MS = 30_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function storedAmounts(value: unknown): Amounts | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Amounts = {};
  for (const [currency, micros] of Object.entries(value)) {
    if (!CURRENCIES.includes(currency as Currency)) return undefined;
    if (typeof micros !== 'number' || !Number.isSafeInteger(micros) || micros < 0) return undefined;
    out[currency as Currency] = micros;
  }
  return out;
}

function storedFallback(value: unknown): Fallback | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, target, roles, day, baseline, switching, ended } = value as Record<string, unknown>;
  if (typeof from !== 'string' || typeof target !== 'string' || from.length > 200 || target.length > 200)
    return undefined;
  if (!Array.isArray(roles) || !roles.length || !roles.every((role) => role === 'chat' || role === 'completion'))
    return undefined;
  if (typeof day !== 'string' || !DAY.test(day)) return undefined;
  const base = storedAmounts(baseline);
  if (!base) return undefined;
  const fallback: Fallback = { from, target, roles: [...new Set(roles as Role[])], day, baseline: base };
  if (typeof switching === 'number' && Number.isSafeInteger(switching) && switching >= 0)
    fallback.switching = switching;
  if (ended === undefined) return fallback;
  const { day: endDay, spent } = (typeof ended === 'object' && ended !== null ? ended : {}) as Record<string, unknown>;
  const spentAmounts = storedAmounts(spent);
  if (typeof endDay !== 'string' || !DAY.test(endDay) || !spentAmounts) return undefined;
  return { ...fallback, ended: { day: endDay, spent: spentAmounts } };
}

/** The stored fallbacks as kept, checked: whatever is malformed is dropped, never trusted. */
export function storedFallbacks(value: unknown): StoredFallbacks {
  if (typeof value !== 'object' || value === null) return { fallbacks: [] };
  const { fallbacks, announcedDay } = value as Record<string, unknown>;
  const list = Array.isArray(fallbacks) ? fallbacks.slice(-MAX_STORED) : [];
  return {
    fallbacks: list.map(storedFallback).filter((fallback): fallback is Fallback => fallback !== undefined),
    ...(typeof announcedDay === 'string' && DAY.test(announcedDay) && { announcedDay }),
  };
}

export class FallbackSpend {
  private fallbacks: Fallback[] = [];
  private announcedDay: string | undefined;

  constructor(
    private readonly clock: { now(): number },
    private readonly costOn: CostOn,
    private readonly store?: FallbackStore,
  ) {}

  /**
   * A fallback moves `roles` from `from` to `target` now: called before the settings are written,
   * so that what the target spends from the first request after the switch counts.
   */
  began(from: string, target: string, roles: readonly Role[]): void {
    this.read();
    const now = this.clock.now();
    const day = utcDay(now);
    this.fallbacks.push({
      from,
      target,
      roles: [...roles],
      day,
      baseline: this.costOn(target, roles, day),
      switching: now,
    });
    this.write();
  }

  /**
   * The switch to `target` for `roles` was refused before any setting moved (the user's
   * settings.json could not be written): its fallback never happened, so it counts nothing. Only
   * the latest such switch still on its way is taken back.
   */
  withdraw(target: string, roles: readonly Role[]): void {
    this.read();
    for (let index = this.fallbacks.length - 1; index >= 0; index--) {
      const fallback = this.fallbacks[index]!;
      if (fallback.ended || fallback.switching === undefined || fallback.target !== target) continue;
      if (!fallback.roles.some((role) => roles.includes(role))) continue;
      this.fallbacks.splice(index, 1);
      this.write();
      return;
    }
  }

  /** The fallbacks still in force: where each role came from, for a way back. */
  active(): readonly Pick<Fallback, 'from' | 'target' | 'roles'>[] {
    this.read();
    return this.fallbacks.filter((fallback) => !fallback.ended);
  }

  /** Today's state from the store, where there is one: another window may have changed it. */
  private read(): void {
    if (!this.store) return;
    const stored = storedFallbacks(this.store.load());
    this.fallbacks = stored.fallbacks;
    this.announcedDay = stored.announcedDay;
  }

  private write(): void {
    this.store?.save({
      fallbacks: this.fallbacks,
      ...(this.announcedDay !== undefined && { announcedDay: this.announcedDay }),
    });
  }

  /**
   * Ends the fallbacks whose roles are no longer where the fallback put them (the user switched,
   * or the roles went back): their spend so far is kept for the rest of the day. A switch not yet
   * seen in the settings is waited for, up to SWITCH_LANDS_MS.
   */
  settle(isStillOn: (target: string, role: Role) => boolean): void {
    this.endWhere((fallback) => {
      if (fallback.roles.some((role) => isStillOn(fallback.target, role))) {
        const landed = fallback.switching !== undefined;
        delete fallback.switching;
        return landed ? 'changed' : 'kept';
      }
      return fallback.switching !== undefined && this.clock.now() - fallback.switching < SWITCH_LANDS_MS
        ? 'kept'
        : 'ended';
    });
  }

  /** Ends every fallback in force (its roles were sent back): its spend so far is kept for the day. */
  endAll(): void {
    this.endWhere(() => 'ended');
  }

  private endWhere(verdict: (fallback: Fallback) => 'kept' | 'changed' | 'ended'): void {
    this.read();
    const today = utcDay(this.clock.now());
    const before = this.fallbacks.length;
    let changed = false;
    for (const fallback of this.fallbacks) {
      if (fallback.ended) continue;
      const outcome = verdict(fallback);
      if (outcome === 'kept') continue;
      changed = true;
      if (outcome === 'changed') continue;
      delete fallback.switching;
      fallback.ended = { day: today, spent: this.spentOn(fallback, today) };
    }
    this.fallbacks = this.fallbacks.filter((fallback) => !fallback.ended || fallback.ended.day === today);
    if (changed || this.fallbacks.length !== before) this.write();
  }

  private spentOn(fallback: Fallback, day: string): Amounts {
    const before = fallback.day === day ? fallback.baseline : {};
    return difference(this.costOn(fallback.target, fallback.roles, day), before);
  }

  /** Today's spend on fallback targets, per currency; a new UTC day starts from nothing. */
  spentToday(): Amounts {
    this.read();
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

  /**
   * What the requests under way on the targets of the fallbacks in force may still cost, per
   * currency (each target once). A target's requests for roles that did not move count too: like
   * other windows' requests, that can only stop fallbacks sooner, never later.
   */
  underWay(inFlight: (backend: string) => Amounts): Amounts {
    this.read();
    const total: Amounts = {};
    const targets = new Set(this.fallbacks.filter((fallback) => !fallback.ended).map((fallback) => fallback.target));
    for (const target of targets) {
      const held = inFlight(target);
      for (const currency of CURRENCIES) {
        const micros = held[currency];
        if (micros) addAmount(total, currency, micros);
      }
    }
    return total;
  }

  /**
   * The currency whose daily cap today's fallback spend has reached, if any. With `inFlight`, also
   * one that what was spent and what is under way on fallback targets reach together: requests are
   * recorded only when they end, so several started just below the cap would each see room left.
   */
  reached(budget: FallbackBudget | undefined, inFlight?: (backend: string) => Amounts): Currency | undefined {
    if (!budget) return undefined;
    const spent = this.spentToday();
    const held = inFlight ? this.underWay(inFlight) : {};
    return CURRENCIES.find((currency) => {
      const cap = budget[currency];
      if (cap === undefined) return false;
      const used = spent[currency] ?? 0;
      const pending = held[currency] ?? 0;
      return used >= cap || (pending > 0 && used + pending >= cap);
    });
  }

  /** True once per UTC day: the cap is said once, not on every refused fallback. */
  shouldAnnounceCap(): boolean {
    this.read();
    const today = utcDay(this.clock.now());
    if (this.announcedDay === today) return false;
    this.announcedDay = today;
    this.write();
    return true;
  }
}

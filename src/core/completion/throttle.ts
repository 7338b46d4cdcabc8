/**
 * Completion's gears: when a limit that counts requests runs low, automatic completion yields to
 * chat before the window is gone. From the backend's limit readings, completion's own recent
 * requests and the clock it decides:
 *   - full:   the window lasts at this pace and is below the threshold;
 *   - slowed: past the threshold, or the pace would eat into chat's share before the reset: a longer
 *             pause before each request, spacing them so the rest lasts until the reset;
 *   - manual: nothing left but chat's share (or the spacing would be longer than anyone waits):
 *             only an explicit trigger (Alt+\) sends;
 *   - local:  instead of slowed or manual, when the user named a local backend for this.
 * Manual triggers, type-ahead and the cache are never held: they are the user's or free.
 */
import { sleep, type Clock } from '../clock';
import type { LimitKind, LimitReading } from '../usage/limits';

export type Gear = 'full' | 'slowed' | 'manual' | 'local';

export interface ThrottleSettings {
  /** From this share of a window used, completion slows whatever its pace (0.5–1). */
  threshold: number;
  /** The share of every window kept for chat: completion stops before it (0–0.5). */
  chatShare: number;
  /** Whether a local backend takes completion over instead of slowing or stopping it. */
  hasLowQuotaBackend: boolean;
  /** False: completion never yields (`switchboard.completion.yieldToChat`). */
  enabled: boolean;
}

export const DEFAULT_THROTTLE_SETTINGS: ThrottleSettings = {
  threshold: 0.8,
  chatShare: 0.2,
  hasLowQuotaBackend: false,
  enabled: true,
};

export interface GearDecision {
  gear: Gear;
  /** For `slowed`: how long to wait before the next automatic request. */
  pauseMs: number;
  /** For `slowed`: how much of that is the spacing still owed since the last request. */
  spacingMs?: number;
  /** For `slowed`: the spacing between requests that makes the rest last until the reset. */
  intervalMs?: number;
  /** The limit that decided it; absent in full gear with nothing near. */
  reading?: LimitReading;
  /** Why: the share used passed the threshold, the pace would not last, or only chat's share is left. */
  why?: 'threshold' | 'pace' | 'reserve';
  /** The user chose full speed for this window (`Completion at Full Speed`). */
  overridden?: boolean;
}

/** The least extra pause in slowed gear: clearly longer than the typing debounce. */
export const SLOWED_PAUSE_MS = 1_000;
/** A pause longer than this is no longer "slower": nobody waits that long for ghost text. */
export const MAX_PAUSE_MS = 10_000;
/** Fewer requests than one a minute is manual completion in all but name: say so. */
const MAX_SPACING_MS = 60_000;
/** Completion's pace is its requests over this long at most (the window's own length when shorter). */
const PACE_LOOKBACK_MS = 15 * 60_000;
const MIN_LOOKBACK_MS = 60_000;
/** An override for a limit whose reset is unknown lasts this long. */
const OVERRIDE_UNKNOWN_RESET_MS = 60 * 60_000;

/** Limits that count requests, which completion's requests spend. */
const REQUEST_KINDS: ReadonlySet<LimitKind> = new Set<LimitKind>([
  'requests-per-minute',
  'requests-per-day',
  'server-requests',
  'plan-window',
  'free-requests-per-day',
]);

function countsRequests(reading: LimitReading): boolean {
  if (!REQUEST_KINDS.has(reading.kind)) return false;
  return reading.kind !== 'plan-window' || reading.unit !== 'tokens';
}

const RANK: Record<Gear, number> = { full: 0, slowed: 1, manual: 2, local: 2 };

/** One reading's verdict. */
function gearFor(
  counted: LimitReading,
  now: number,
  recent: readonly number[],
  settings: ThrottleSettings,
): Omit<GearDecision, 'overridden'> {
  const full = { gear: 'full' as const, pauseMs: 0 };
  // A server's count is as old as the response that carried it: completion's requests sent since
  // (one still in flight, say) spend the window too, or a small window lets one more through.
  const unseen =
    counted.observedAt === undefined ? 0 : recent.filter((time) => time >= (counted.observedAt ?? now)).length;
  const reading = unseen
    ? { ...counted, used: counted.used + unseen, fraction: (counted.used + unseen) / Math.max(1, counted.limit) }
    : counted;
  if (reading.limit <= 0 || (reading.resetsAt !== undefined && reading.resetsAt <= now)) return full;
  // What completion may still spend: the window less what is used and less chat's share.
  const spendable = reading.limit * (1 - settings.chatShare) - reading.used;
  if (reading.fraction >= 1 || spendable < 1) return { gear: 'manual', pauseMs: 0, reading, why: 'reserve' };
  const pastThreshold = reading.fraction >= settings.threshold;
  // A provider that tells only a percentage gives no count to pace requests by.
  const timeLeft = reading.resetsAt === undefined || reading.unit === 'percent' ? undefined : reading.resetsAt - now;
  if (timeLeft === undefined)
    return pastThreshold ? { gear: 'slowed', pauseMs: SLOWED_PAUSE_MS, reading, why: 'threshold' } : full;
  const lookback = Math.min(PACE_LOOKBACK_MS, Math.max(MIN_LOOKBACK_MS, timeLeft));
  const sent = recent.filter((time) => time > now - lookback && time <= now);
  // At this pace until the reset, would completion spend more than it may? For a window longer
  // than the lookback, asked only from half the threshold on: a quarter hour's burst says little
  // about the rest of five hours.
  const paceTells = timeLeft <= PACE_LOOKBACK_MS || reading.fraction >= settings.threshold / 2;
  const overPace = paceTells && (sent.length / lookback) * timeLeft > spendable;
  if (!pastThreshold && !overPace) return full;
  // Slowed: space the requests so what completion may spend lasts until the reset.
  const interval = timeLeft / spendable;
  const last = sent.length ? Math.max(...sent) : -Infinity;
  if (interval > MAX_SPACING_MS) return { gear: 'manual', pauseMs: 0, reading, why: 'pace' };
  const spacingMs = Math.max(0, Math.ceil(last + interval - now));
  return {
    gear: 'slowed',
    pauseMs: Math.max(SLOWED_PAUSE_MS, spacingMs),
    spacingMs,
    intervalMs: Math.ceil(interval),
    reading,
    why: pastThreshold ? 'threshold' : 'pace',
  };
}

/**
 * The gear for the backend's readings now. `recent` are completion's own request times (any
 * order); `overrideUntil` is when a "full speed" choice ends.
 */
export function decideGear(
  readings: readonly LimitReading[],
  now: number,
  recent: readonly number[],
  settings: ThrottleSettings,
  overrideUntil = 0,
): GearDecision {
  let worst: Omit<GearDecision, 'overridden'> = { gear: 'full', pauseMs: 0 };
  if (!settings.enabled) return worst;
  for (const reading of readings) {
    if (!countsRequests(reading)) continue;
    const verdict = gearFor(reading, now, recent, settings);
    if (RANK[verdict.gear] > RANK[worst.gear] || (verdict.gear === worst.gear && verdict.pauseMs > worst.pauseMs))
      worst = verdict;
  }
  if (worst.gear === 'full') return worst;
  if (now < overrideUntil)
    return { gear: 'full', pauseMs: 0, ...(worst.reading && { reading: worst.reading }), overridden: true };
  if (settings.hasLowQuotaBackend) return { ...worst, gear: 'local', pauseMs: 0 };
  return worst;
}

/** When a "full speed" choice made now ends: at the reset of the limit that held completion back. */
export function overrideEnds(decision: GearDecision, now: number): number {
  return decision.reading?.resetsAt ?? now + OVERRIDE_UNKNOWN_RESET_MS;
}

/** "82% of 30/min used", "95% of 6,000 in 5 h used": the limit behind a gear, for the status bar. */
export function readingText(reading: LimitReading): string {
  const share = `${Math.min(100, Math.floor(reading.fraction * 100))}%`;
  const count = reading.limit.toLocaleString('en-US');
  switch (reading.kind) {
    case 'requests-per-minute':
      return `${share} of ${count}/min used`;
    case 'requests-per-day':
      return `${share} of ${count}/day used`;
    case 'free-requests-per-day':
      return `${share} of ${count} free/day used`;
    case 'plan-window':
      return reading.unit === 'percent'
        ? `${share} of the plan's ${reading.window ?? 'window'} used`
        : `${share} of ${count} ${reading.window ?? ''} used`.replace(/ {2}/g, ' ');
    default:
      return `${share} of ${count} requests used`;
  }
}

/** The status bar's words for a gear, or undefined in full gear with nothing to say. */
export function gearText(decision: GearDecision, localName?: string): string | undefined {
  const reading = decision.reading;
  if (!reading) return undefined;
  const why = readingText(reading);
  if (decision.overridden) return `completion at full speed · ${why}`;
  switch (decision.gear) {
    case 'slowed':
      return `completion slowed · ${why}`;
    case 'manual':
      return `completion on Alt+\\ only · ${why}`;
    case 'local':
      return `completion on ${localName ?? 'the local backend'} · ${why}`;
    default:
      return undefined;
  }
}

/**
 * Holds completion's automatic requests to its gear: a slowed request waits (and is dropped if a
 * newer keystroke cancels it meanwhile), a manual-only one is not sent. Remembers when requests
 * went out, for the pace.
 */
export class CompletionThrottle {
  private recent: number[] = [];
  private overrideUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly readings: () => readonly LimitReading[],
    private readonly settings: () => ThrottleSettings,
  ) {}

  decide(): GearDecision {
    return decideGear(this.readings(), this.clock.now(), this.recent, this.settings(), this.overrideUntil);
  }

  /**
   * Whether an automatic request to the limited backend may go out now; waits first in slowed
   * gear. False when it must not: manual gear, a newer keystroke cancelled the wait, or the
   * request's turn is further off than anyone waits at a pause (a later pause may have it).
   */
  async admit(signal: AbortSignal): Promise<boolean> {
    let decision = this.decide();
    let waited = 0;
    // The window may move while waiting (chat asked, another document completed): decide again.
    for (let round = 0; decision.gear !== 'full'; round++) {
      if (decision.gear !== 'slowed' || round >= 3) return false;
      const wait = round === 0 ? decision.pauseMs : (decision.spacingMs ?? 0);
      if (wait <= 0) break;
      waited += wait;
      if (waited > MAX_PAUSE_MS || !(await sleep(this.clock, wait, signal))) return false;
      decision = this.decide();
    }
    this.noteRequest();
    return true;
  }

  /** Counts a request that went out without asking (a manual trigger): it spends the window too. */
  noteRequest(): void {
    const now = this.clock.now();
    this.recent = this.recent.filter((time) => time > now - PACE_LOOKBACK_MS);
    this.recent.push(now);
  }

  /** Full speed until the limit that holds completion back resets; returns when, or 0 when nothing does. */
  fullSpeed(): number {
    const decision = decideGear(this.readings(), this.clock.now(), this.recent, this.settings());
    if (decision.gear === 'full') return 0;
    this.overrideUntil = overrideEnds(decision, this.clock.now());
    return this.overrideUntil;
  }

  /** Ends a full-speed choice early. */
  yieldAgain(): void {
    this.overrideUntil = 0;
  }

  get overriddenUntil(): number {
    return this.overrideUntil > this.clock.now() ? this.overrideUntil : 0;
  }
}

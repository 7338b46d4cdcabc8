/**
 * What to tell a user when a backend runs out, and where to send them: plain words, one message
 * per change of state, and the best alternatives first.
 */
import { serverPart } from '../providers/errorWords';
import { formatMoney, formatUnits } from './formatMoney';
import { isBudgetReading } from './budgetAction';
import type { LimitReading, LimitState } from './limits';

const money = formatUnits;
const budget = (r: LimitReading, period: string) =>
  `${formatMoney(r.used, r.currency === 'CNY' ? 'CNY' : 'USD')} of ${period} ${formatMoney(r.limit, r.currency === 'CNY' ? 'CNY' : 'USD')} budget`;

/**
 * "14:00 CET", or "Nov 23, 00:00 UTC" when it is not on the same day, in `timeZone` (default: this
 * machine's zone, so a reset reads in the user's own time, with the zone named).
 */
export function formatReset(resetsAt: number, now: number, timeZone?: string): string {
  const zone = timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const parts = (time: number) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      })
        .formatToParts(time)
        .map((part) => [part.type, part.value]),
    ) as Record<string, string>;
  const at = parts(resetsAt);
  const today = parts(now);
  const time = `${at.hour}:${at.minute} ${at.timeZoneName}`;
  const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
  // A reset at the coming midnight is tonight's, whichever date it formally falls on.
  const tonight = at.hour === '00' && at.minute === '00' && resetsAt - now <= 86_400_000 && resetsAt > now;
  return sameDay || tonight ? time : `${at.month} ${at.day}, ${time}`;
}

const LIMIT_WORDS: Record<LimitReading['kind'], (r: LimitReading) => string> = {
  'requests-per-minute': (r) => `${r.used} of ${r.limit} requests this minute`,
  'requests-per-day': (r) => `${r.used.toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} requests today`,
  'usd-per-day': (r) => budget(r, "today's"),
  'usd-per-month': (r) => budget(r, "this month's"),
  'cny-per-day': (r) => budget(r, "today's"),
  'cny-per-month': (r) => budget(r, "this month's"),
  'server-requests': (r) =>
    `${r.used.toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} requests in the server's window`,
  'server-tokens': (r) =>
    `${r.used.toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} tokens in the server's window`,
  'plan-window': (r) =>
    r.unit === 'percent'
      ? `${Math.round(r.used)}% of the plan ${r.window ?? ''}`.trimEnd()
      : `${r.used.toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} plan ${r.unit ?? 'requests'} ${r.window ?? ''}`.trimEnd(),
  'free-requests-per-day': (r) =>
    `${r.used.toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} free-model requests today`,
  'free-tokens': (r) =>
    r.used >= r.limit
      ? `free tokens for ${r.model ?? 'the model'} used up; calls are now billed`
      : `${(r.limit - r.used).toLocaleString('en-US')} of ${r.limit.toLocaleString('en-US')} free tokens remaining for ${r.model ?? 'the model'}`,
  balance: (r) =>
    r.uncapped
      ? `${money(Math.max(0, r.limit), r.currency)} balance left`
      : `${money(r.used, r.currency)} of the key's ${money(r.limit, r.currency)} budget spent`,
};

export function describeReading(reading: LimitReading): string {
  return LIMIT_WORDS[reading.kind](reading);
}

const count = (n: number) => Math.max(0, n).toLocaleString('en-US');

const REMAINING_WORDS: Record<LimitReading['kind'], (r: LimitReading) => string> = {
  'requests-per-minute': (r) => `${count(r.limit - r.used)} requests this minute`,
  'requests-per-day': (r) => `${count(r.limit - r.used)} requests today`,
  'usd-per-day': (r) => `${formatMoney(Math.max(0, r.limit - r.used), 'USD')} today`,
  'usd-per-month': (r) => `${formatMoney(Math.max(0, r.limit - r.used), 'USD')} this month`,
  'cny-per-day': (r) => `${formatMoney(Math.max(0, r.limit - r.used), 'CNY')} today`,
  'cny-per-month': (r) => `${formatMoney(Math.max(0, r.limit - r.used), 'CNY')} this month`,
  'server-requests': (r) => `${count(r.limit - r.used)} requests`,
  'server-tokens': (r) => `${count(r.limit - r.used)} tokens`,
  balance: (r) =>
    r.uncapped
      ? money(Math.max(0, r.limit), r.currency)
      : `${money(Math.max(0, r.limit - r.used), r.currency)} of key budget`,
  'plan-window': (r) =>
    r.unit === 'percent'
      ? `${Math.max(0, Math.round(100 - r.used))}% of the plan ${r.window ?? ''}`.trimEnd()
      : `${count(r.limit - r.used)} plan ${r.unit ?? 'requests'} ${r.window ?? ''}`.trimEnd(),
  'free-requests-per-day': (r) => `${count(r.limit - r.used)} free-model requests today`,
  'free-tokens': (r) => `${count(r.limit - r.used)} free tokens`,
};

/** What is left under a limit: "1 requests today" reads wrong, so counts say "requests" only from 2. */
export function describeRemaining(reading: LimitReading): string {
  return REMAINING_WORDS[reading.kind](reading)
    .replace(/^1 requests/, '1 request')
    .replace(/^1 tokens/, '1 token');
}

/**
 * The reading nearest its limit, the one that matters now; at an equal share, the one that resets
 * last (a day's 50 requests say more than a minute's 20, which refill at once).
 */
export function closestReading(state: LimitState | undefined): LimitReading | undefined {
  const lasts = (reading: LimitReading) => reading.resetsAt ?? Number.POSITIVE_INFINITY;
  return state?.readings.reduce<LimitReading | undefined>(
    (top, reading) =>
      !top || reading.fraction > top.fraction || (reading.fraction === top.fraction && lasts(reading) > lasts(top))
        ? reading
        : top,
    undefined,
  );
}

/**
 * One sentence on where a backend stands, or undefined when all is well. The server's own words,
 * when it gave some, are apart in `serverWords`, not nested in the sentence.
 */
export function describeState(name: string, state: LimitState, now: number, timeZone?: string): string | undefined {
  if (state.failure) {
    const resetsAt = state.failure.resetsAt;
    switch (state.failure.kind) {
      case 'quota-exhausted':
        return resetsAt !== undefined
          ? `${name} has used up its quota until ${formatReset(resetsAt, now, timeZone)}.`
          : `${name} has used up its quota.`;
      case 'insufficient-balance':
        return `${name} has no balance left: top it up or switch.`;
      case 'auth':
        return `${name} refused the key: set a new key or switch.`;
      default:
        return `${name} stopped answering.`;
    }
  }
  const worst = state.worst;
  if (!worst) return undefined;
  const reset = worst.resetsAt !== undefined ? `; it resets at ${formatReset(worst.resetsAt, now, timeZone)}` : '';
  if (state.level === 'exhausted') return `${name} reached its limit: ${describeReading(worst)}${reset}.`;
  return `${name} is at ${Math.floor(worst.fraction * 100)}% of a limit: ${describeReading(worst)}${reset}.`;
}

/**
 * What to add when a backend is out by a limit on requests the user set (`limits.requestsPerDay`,
 * `requestsPerMinute`) and completion still asks it at every pause (`completionAsks`: it serves
 * completion, which does not yield to chat): that limit warns and offers the switch, it stops no
 * request (a budget does), and "reached its limit" alone reads as if it had. Undefined when
 * something does stop them: the server's refusal, a budget reached (its own or, with `overall`,
 * the one over all backends), or the limit being a preset's or the server's count.
 */
export function stillSentNote(state: LimitState, completionAsks: boolean, overall?: LimitState): string | undefined {
  const worst = state.worst;
  if (!completionAsks || state.level !== 'exhausted' || state.failure || worst?.source !== 'settings') return undefined;
  if (worst.kind !== 'requests-per-day' && worst.kind !== 'requests-per-minute') return undefined;
  const budgetReached = (readings: readonly LimitReading[]) =>
    readings.some((reading) => isBudgetReading(reading) && reading.fraction >= 1);
  if (budgetReached(state.readings) || (overall && budgetReached(overall.readings))) return undefined;
  return 'Completion still asks it at every pause until you switch: a limit on requests only warns, a budget pauses completion.';
}

/** What the server itself said about a failure, when it said something. */
export function serverWords(state: LimitState): string | undefined {
  const words = state.failure && serverPart(state.failure.message.trim()).trim();
  return words ? words : undefined;
}

/**
 * One event, one notification: the level rising (to a warning, to out) is the event. Running out
 * by a limit and then by the server's quota is one event; a refused key is another, since its
 * remedy differs.
 */
export function stateKey(state: LimitState): string {
  if (state.level !== 'exhausted') return state.level;
  if (state.failure?.kind === 'auth') return 'exhausted:auth';
  // Each budget reached, at its amount: one raised ("Raise budget…") and reached again is news.
  const budgets = state.readings.filter((reading) => isBudgetReading(reading) && reading.fraction >= 1);
  return ['exhausted', ...budgets.map((reading) => `${reading.kind}=${reading.limit}`)].join(':');
}

/**
 * Remembers the last state each backend was announced in. `shouldAnnounce` is true only when the
 * state changes to a worse one: no storm while a backend stays out, no repeat on every request.
 */
export class StateAnnouncer {
  private readonly last = new Map<string, string>();

  shouldAnnounce(backend: string, state: LimitState): boolean {
    const key = stateKey(state);
    const previous = this.last.get(backend) ?? 'ok';
    if (key === previous) return false;
    // Going from exhausted back to a warning is an improvement, not news; remember the worse one.
    if (previous.startsWith('exhausted') && state.level === 'warning') return false;
    this.last.set(backend, key);
    return state.level !== 'ok';
  }

  /** The limit is gone (a budget removed): set again and reached, it is news again. */
  forget(backend: string): void {
    this.last.delete(backend);
  }
}

export interface Candidate {
  id: string;
  name: string;
  level: 'ok' | 'warning' | 'exhausted';
  /** Has what it needs to work: a key, or none required. */
  ready: boolean;
  local: boolean;
  /** Input + output USD per 1M tokens, when known. */
  pricePerMTok?: number;
  configured: boolean;
}

/** Best first: configured and healthy, then cheapest (unknown prices last), a local backend always offered. */
export function rankAlternatives(currentId: string, candidates: readonly Candidate[], count = 2): Candidate[] {
  const usable = candidates.filter((c) => c.id !== currentId && c.ready && c.level !== 'exhausted');
  const score = (c: Candidate) => [
    c.configured ? 0 : 1,
    c.level === 'ok' ? 0 : 1,
    c.local ? 0 : (c.pricePerMTok ?? Number.MAX_SAFE_INTEGER),
  ];
  const sorted = [...usable].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
    return a.name.localeCompare(b.name);
  });
  const picked = sorted.slice(0, count);
  const local = sorted.find((c) => c.local);
  if (local && !picked.includes(local)) picked.push(local);
  return picked;
}

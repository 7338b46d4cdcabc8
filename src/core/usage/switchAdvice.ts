/**
 * What to tell a user when a backend runs out, and where to send them: plain words, one message
 * per change of state, and the best alternatives first.
 */
import { formatMoney, formatUnits } from './formatMoney';
import type { LimitReading, LimitState } from './limits';

const money = formatUnits;
const budget = (r: LimitReading, period: string) =>
  `${formatMoney(r.used, r.currency === 'CNY' ? 'CNY' : 'USD')} of ${period} ${formatMoney(r.limit, r.currency === 'CNY' ? 'CNY' : 'USD')} budget`;

/** "00:00 UTC", or "Nov 23, 00:00 UTC" when it is not today. */
export function formatReset(resetsAt: number, now: number): string {
  const at = new Date(resetsAt);
  const time = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
  const sameDay = new Date(now).toISOString().slice(0, 10) === at.toISOString().slice(0, 10);
  const nextMidnight = resetsAt % 86_400_000 === 0 && resetsAt - now <= 86_400_000;
  if (sameDay || nextMidnight) return time;
  return `${at.toLocaleString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })}, ${time}`;
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
      : `${money(r.used, r.currency)} of ${money(r.limit, r.currency)} spent`,
};

export function describeReading(reading: LimitReading): string {
  return LIMIT_WORDS[reading.kind](reading);
}

/** One sentence on where a backend stands, or undefined when all is well. */
export function describeState(name: string, state: LimitState, now: number): string | undefined {
  if (state.failure) {
    const reset = state.failure.resetsAt !== undefined ? ` Resets ${formatReset(state.failure.resetsAt, now)}.` : '';
    switch (state.failure.kind) {
      case 'quota-exhausted':
        return `${name}: quota used up (${state.failure.message}).${reset}`;
      case 'insufficient-balance':
        return `${name}: the account balance is used up (${state.failure.message}). Top it up or switch.`;
      case 'auth':
        return `${name}: the key or login was refused (${state.failure.message}). Set a new key or switch.`;
      default:
        return `${name}: ${state.failure.message}`;
    }
  }
  const worst = state.worst;
  if (!worst) return undefined;
  const reset = worst.resetsAt !== undefined ? `, resets ${formatReset(worst.resetsAt, now)}` : '';
  if (state.level === 'exhausted') return `${name}: limit reached, ${describeReading(worst)}${reset}.`;
  return `${name}: ${Math.floor(worst.fraction * 100)}% used, ${describeReading(worst)}${reset}.`;
}

/** A stable key for "the same situation", so a notification is shown once per change. */
export function stateKey(state: LimitState): string {
  if (state.level === 'ok') return 'ok';
  if (state.failure) return `${state.level}:${state.failure.kind}`;
  return `${state.level}:${state.worst?.kind ?? ''}`;
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
    this.last.set(backend, key);
    if (key === previous || state.level === 'ok') return false;
    // Going from exhausted back to a warning is an improvement, not news.
    return !(previous.startsWith('exhausted') && state.level === 'warning');
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

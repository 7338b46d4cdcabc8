/**
 * The words of the status bar item, which must stay short (VS Code's own items share the bar):
 * the backends by their short labels, both when chat and completion differ, and one figure that
 * says what it is. Everything else goes in the tooltip.
 */
import { shortLabel } from '../settings/backendLabel';
import type { LimitReading, LimitState } from './limits';

/**
 * "Qwen", or "Qwen · chat: Backup" when chat is served by another backend. A role without a
 * backend (pinned to one that was removed, until the user picks) says "none": alone, the other's
 * name would read as serving both.
 */
export function rolesLabel(completion: string | undefined, chat: string | undefined): string {
  if (completion === undefined && chat === undefined) return 'Switchboard: no backend';
  if (completion === undefined) return `completion: none · chat: ${shortLabel(chat ?? '', 16)}`;
  if (chat === undefined) return `${shortLabel(completion, 16)} · chat: none`;
  if (chat === completion) return shortLabel(completion);
  return `${shortLabel(completion, 16)} · chat: ${shortLabel(chat, 16)}`;
}

// A percentage says it is what is spent or used, never what is left ("82% of the balance" read
// as 82% left), and whose limit it is.
const SHORT: Record<LimitReading['kind'], string> = {
  'requests-per-minute': 'requests this minute',
  'requests-per-day': 'requests today',
  'usd-per-day': 'of today’s budget spent',
  'usd-per-month': 'of the month’s budget spent',
  'cny-per-day': 'of today’s yuan budget spent',
  'cny-per-month': 'of the month’s yuan budget spent',
  'server-requests': 'requests in the server’s window',
  'server-tokens': 'of the server’s tokens used',
  // A capped balance is a key's budget: OpenRouter's key limit, a LiteLLM key's max_budget.
  balance: 'of key budget spent',
  'plan-window': 'of the plan window used',
  'free-requests-per-day': 'free requests today',
  'free-tokens': 'of the free tokens used',
};

/** The figure for a limit nearing or at its end: "4/5 requests today", "92% of today’s budget spent". */
export function limitFigure(reading: LimitReading): string {
  if (
    reading.kind === 'requests-per-minute' ||
    reading.kind === 'requests-per-day' ||
    reading.kind === 'server-requests'
  )
    return `${reading.used.toLocaleString('en-US')}/${reading.limit.toLocaleString('en-US')} ${SHORT[reading.kind]}`;
  if (reading.kind === 'balance' && reading.uncapped) return reading.limit > 0 ? 'balance low' : 'balance used up';
  return `${Math.min(999, Math.floor(reading.fraction * 100))}% ${SHORT[reading.kind]}`;
}

/** Why a backend stopped, in two or three words. */
export function failureFigure(state: LimitState): string | undefined {
  const kind = state.failure?.kind;
  switch (kind) {
    case undefined:
      return undefined;
    case 'quota-exhausted':
      return 'quota used up';
    case 'insufficient-balance':
      return 'balance used up';
    case 'auth':
      return 'key refused';
    default:
      return kind.replace(/-/g, ' ');
  }
}

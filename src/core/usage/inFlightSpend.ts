/**
 * What the requests under way may still cost. A budget weighs what was spent and recorded; a
 * request is recorded only when it ends, so several that start just below a budget (an answer
 * streaming, the Alt+\ candidates, completions) would each see room left and together run well
 * past it. While a request runs, its worst case is held here and the budget counts it too; when it
 * ends, the hold goes and what it really cost is recorded as always.
 *
 * In memory, per window: never written anywhere, so nothing outlives the requests it stands for.
 */
import type { Usage } from '../providers/types';
import { estimateTokens } from '../providers/usage';
import { addAmount, type Amounts, type Currency } from './money';
import type { Price } from './pricing';

/**
 * Chat requests set no output limit, so their true worst case is the model's own maximum, which
 * nothing here knows. They count this many output tokens, what Switchboard asks Anthropic for
 * (which requires a limit); a longer answer (a reasoning model's, say) is counted at what it
 * really cost once it ends.
 */
export const CHAT_RESERVED_OUTPUT_TOKENS = 4_096;

/** One request under way, held at its worst case in the currency it is billed in. */
export interface Reservation {
  backend: string;
  currency: Currency;
  /** Integer micro-units, above zero. */
  micros: number;
}

/** A request's worst case: the prompt's estimated tokens as input, and every output token it may write. */
export function worstCaseUsage(promptText: string, maxOutputTokens: number): Usage {
  return {
    inputTokens: estimateTokens(promptText),
    outputTokens: Math.max(0, Math.ceil(maxOutputTokens)),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reported: false,
  };
}

/**
 * What to hold for a request whose worst case is priced `price`: nothing when the price is
 * unknown (money is never made up), or when the request costs nothing (local, free, a plan).
 */
export function reservationOf(backend: string, price: Price): Reservation | undefined {
  if (price.micros === null || price.micros <= 0 || price.source === 'plan') return undefined;
  return { backend, currency: price.currency, micros: price.micros };
}

/** The requests of this window under way, each held until its release. */
export class InFlightSpend {
  private readonly held = new Set<Reservation>();

  /** `changed` hears every hold and release, so what a budget decides can be shown again. */
  constructor(private readonly changed: () => void = () => {}) {}

  /**
   * Holds `reservation` until the returned function is called; calling it again does nothing, so
   * every way out of a request may call it. Nothing to hold gives a release that does nothing.
   */
  hold(reservation: Reservation | undefined): () => void {
    if (!reservation) return () => {};
    // Its own object: the same figures held twice are two requests.
    const entry = { ...reservation };
    this.held.add(entry);
    this.changed();
    return () => {
      if (this.held.delete(entry)) this.changed();
    };
  }

  /** What is held, per currency: one backend's, or every backend's. */
  reserved(backend?: string): Amounts {
    const amounts: Amounts = {};
    for (const entry of this.held)
      if (backend === undefined || entry.backend === backend) addAmount(amounts, entry.currency, entry.micros);
    return amounts;
  }

  /** How many requests are held now. */
  get size(): number {
    return this.held.size;
  }
}

/**
 * "Set price…": the user's price for one backend's model, written into its entry of
 * `switchboard.providers` (user settings). Pure, so the rules are tested without an editor.
 */
import { isRecord } from '../jsonValue';
import type { Currency } from '../usage/money';

/** A price per 1M tokens as typed: a plain non-negative decimal ("0.3", "12"), at most 1,000,000. */
export function parsePerMTok(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,7}(\.\d{1,6})?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value <= 1_000_000 ? value : undefined;
}

export interface NewPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  currency: Currency;
}

/**
 * The provider entries with `model`'s price set on entry `id`; undefined when no entry has that
 * id (it is not in user settings). Other entries and other prices are kept as they were.
 */
export function withPrice(
  entries: readonly unknown[],
  id: string,
  model: string,
  price: NewPrice,
): unknown[] | undefined {
  const index = entries.findIndex((entry) => isRecord(entry) && entry.id === id);
  if (index < 0) return undefined;
  const entry = entries[index] as Record<string, unknown>;
  const prices = isRecord(entry.prices) ? entry.prices : {};
  const written = {
    ...(price.currency !== 'USD' && { currency: price.currency }),
    inputPerMTok: price.inputPerMTok,
    outputPerMTok: price.outputPerMTok,
  };
  const next = [...entries];
  next[index] = { ...entry, prices: { ...prices, [model]: written } };
  return next;
}

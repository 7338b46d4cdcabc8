/**
 * How a configured backend is paid for, decided in one place for every view and guard that needs
 * it (the switch picker's marks, the paid-fallback guard): local, free, plan or paid.
 */
import { billingOf } from '../providers/presets';
import type { Usage } from '../providers/types';
import { priceOverrideFor, type ProviderConfig } from '../settings/providerSettings';
import type { BackendSpend } from './budgetAction';
import { formatMoney } from './formatMoney';
import {
  backendPerMTok,
  modelFor,
  requestPrice,
  type PerMTok,
  type PerMTokLookup,
  type PriceTable,
  type Role,
} from './backendPrice';

export type CostClass = 'local' | 'free' | 'plan' | 'paid';

export interface BackendCost {
  costClass: CostClass;
  /** The role's model price per 1M tokens, when known (a paid backend's may be unknown). */
  price?: PerMTok;
}

const isZero = (price: PerMTok) => price.input === 0 && price.output === 0;

/**
 * The class of `config` for `role`, in the order the meter prices a request: the user's own price
 * wins, then a local server, then a plan (the entry's or the preset's), then what the preset and
 * the price lists say. Unknown is never free: a remote server whose price nobody knows is paid.
 */
export function backendCost(config: ProviderConfig, role: Role, lookup: PerMTokLookup): BackendCost {
  const model = modelFor(config, role);
  const override = priceOverrideFor(config, model);
  const billing = billingOf(config.preset);
  if (override) {
    const price: PerMTok = {
      input: override.inputPerMTok,
      output: override.outputPerMTok,
      currency: override.currency ?? 'USD',
    };
    if (!isZero(price)) return { costClass: 'paid', price };
    return { costClass: billing === 'local' ? 'local' : 'free', price };
  }
  if (billing === 'local') return { costClass: 'local' };
  if (config.plan || billing === 'plan') return { costClass: 'plan' };
  if (billing === 'free') return { costClass: 'free' };
  // OpenRouter's `:free` variants cost nothing by definition (its requests are still counted).
  if (config.preset.id === 'openrouter' && model.endsWith(':free')) return { costClass: 'free' };
  const price = backendPerMTok(config, model, lookup);
  if (price) return { costClass: isZero(price) ? 'free' : 'paid', price };
  // Unknown is never free: the user's own server with no price may be a rented GPU, or a gateway
  // (LiteLLM listens on 127.0.0.1 by default) that forwards to a metered API. A price of 0 says free.
  return { costClass: 'paid' };
}

/**
 * What a backend can spend for a budget to weigh: nothing (local, free, plan, or priced at zero),
 * a currency, or undefined when nobody knows its price. In the same order as the meter prices a
 * request: the user's own price wins, so a "local" server on a rented GPU that the user priced
 * spends, and its budget stops it.
 */
export function backendSpend(config: ProviderConfig, role: Role, lookup: PerMTokLookup): BackendSpend {
  const { costClass, price } = backendCost(config, role, lookup);
  if (costClass !== 'paid') return 'nothing';
  return price ? (price.currency ?? 'USD') : undefined;
}

export function costClassOf(config: ProviderConfig, role: Role, lookup: PerMTokLookup): CostClass {
  return backendCost(config, role, lookup).costClass;
}

/**
 * Whether `config` is a local server nobody priced, for either role: its requests cost nothing by
 * definition. Reads no price list (a local class is decided before one is consulted).
 */
export function freeLocal(config: ProviderConfig): boolean {
  if (billingOf(config.preset) !== 'local') return false;
  return (['completion', 'chat'] as const).every(
    (role) => backendCost(config, role, () => undefined).costClass === 'local',
  );
}

/**
 * The size of a typical request, for an estimate before any is made: a completion sends the code
 * around the cursor and gets a line or a few back; a chat turn sends a conversation with context.
 */
export const TYPICAL_USAGE: Readonly<Record<Role, Usage>> = {
  completion: { inputTokens: 1_500, outputTokens: 60, cacheReadTokens: 0, cacheWriteTokens: 0, reported: false },
  chat: { inputTokens: 4_000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0, reported: false },
};

/**
 * "~$0.002/request" for a typical request of `role` on `config`, or "price unknown" (never $0 for
 * a price nobody knows). Throws nothing: a price table that fails to load is an unknown price.
 */
export function requestEstimateText(config: ProviderConfig, role: Role, table: () => PriceTable): string {
  let micros: number | null = null;
  let currency: 'USD' | 'CNY' = 'USD';
  try {
    const price = requestPrice(config, modelFor(config, role), TYPICAL_USAGE[role], table);
    if (price.micros !== null) {
      micros = price.micros;
      currency = price.currency;
    }
  } catch {
    micros = null;
  }
  return micros === null ? 'price unknown' : `~${formatMoney(micros, currency)}/request`;
}

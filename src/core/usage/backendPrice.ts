/**
 * A backend's price, worked out in one place for every view that shows or ranks it (the switch
 * picker, the chat header, Add Provider, the notifications' "switch to …" order) and for the
 * meter: the user's own price for the model wins, then the price lists, and unknown stays unknown.
 */
import { billingOf, type Preset } from '../providers/presets';
import type { Usage } from '../providers/types';
import { priceOverrideFor, type ProviderConfig } from '../settings/providerSettings';
import { formatPrice } from './formatMoney';
import type { PerMTok, Price, PriceInput } from './pricing';

export type { PerMTok };

/** `pricePerMTok` from pricing.ts, passed in so the price data loads only where it is used. */
export type PerMTokLookup = (presetId: string, model: string, local: boolean, baseUrl?: string) => PerMTok | undefined;

/** The price data's half of pricing, which the editor side loads lazily (it is large). */
export interface PriceTable {
  pricePerMTok: PerMTokLookup;
  priceRequest(input: PriceInput): Price;
}

export type Role = 'chat' | 'completion';

/** The model a backend uses for a role. */
export function modelFor(config: ProviderConfig, role: Role): string {
  return role === 'chat' ? config.chatModel : config.completionModel;
}

export function backendPerMTok(config: ProviderConfig, model: string, lookup: PerMTokLookup): PerMTok | undefined {
  const override = priceOverrideFor(config, model);
  if (override)
    return { input: override.inputPerMTok, output: override.outputPerMTok, currency: override.currency ?? 'USD' };
  try {
    return lookup(config.preset.id, model, config.preset.local === true, config.baseUrl);
  } catch {
    // The price data failed to load: the price is unknown, which is never the same as free.
    return undefined;
  }
}

/** Today's price per 1M tokens of `model` on `config`; undefined when nobody knows it. */
export function pricePerMTokOf(config: ProviderConfig, model: string, table: () => PriceTable): PerMTok | undefined {
  return backendPerMTok(config, model, (presetId, m, local, baseUrl) =>
    table().pricePerMTok(presetId, m, local, baseUrl),
  );
}

/** Whether "Set price…" should be offered: a paid or user-priced backend whose price nobody knows. */
export function needsPrice(config: ProviderConfig, model: string, lookup: PerMTokLookup): boolean {
  const billing = billingOf(config.preset);
  return (billing === 'paid' || billing === 'user') && backendPerMTok(config, model, lookup) === undefined;
}

/** What Add Provider shows for a preset: its default chat model's price, or how it is paid for. */
export function presetPriceText(preset: Preset, lookup: PerMTokLookup): string {
  const billing = billingOf(preset);
  if (billing === 'local') return 'local, free';
  // A plan's model is named: the Coding Plan's name says Alibaba, and its users look for Qwen.
  if (billing === 'plan')
    return preset.protocol === 'vscode-lm' ? 'included in a plan' : `${preset.chatModel}: included in the plan`;
  if (billing === 'free') return 'free';
  let price: PerMTok | undefined;
  try {
    price = lookup(preset.id, preset.chatModel, false, preset.baseUrl);
  } catch {
    price = undefined;
  }
  if (price) return `${preset.chatModel}: ${formatPrice(price)}`;
  return billing === 'user' ? 'price unknown: yours to set' : 'price unknown: set it after adding';
}

/**
 * Input plus output per 1M tokens, the figure alternatives are ranked by. Prices in another
 * currency than US dollars are not comparable without an exchange rate, so they rank as unknown.
 */
export function rankingPrice(price: PerMTok | undefined): number | undefined {
  if (!price || (price.currency ?? 'USD') !== 'USD') return undefined;
  return price.input + price.output;
}

/**
 * What one request cost, in its currency (micros null when the price is unknown). Throws when the
 * price data cannot load. `model` is the one that answered, as the server named it; `asked`, when
 * given, the one the entry asked for. A server may answer under another name (an Azure deployment
 * as its dated model, llama-server as its GGUF file), and the user's price is for the model asked:
 * "Set price…" offers the entry's models.
 */
export function requestPrice(
  config: ProviderConfig,
  model: string,
  usage: Usage,
  table: () => PriceTable,
  asked?: string,
): Price {
  return table().priceRequest({
    presetId: config.preset.id,
    baseUrl: config.baseUrl,
    local: config.preset.local === true,
    plan: config.plan !== undefined,
    model,
    usage,
    override: (asked === undefined ? undefined : config.prices[asked]) ?? priceOverrideFor(config, model),
  });
}

/** The micro-units of {@link requestPrice}, or null when the price is unknown. */
export function requestCostMicros(
  config: ProviderConfig,
  model: string,
  usage: Usage,
  table: () => PriceTable,
  asked?: string,
): number | null {
  return requestPrice(config, model, usage, table, asked).micros;
}

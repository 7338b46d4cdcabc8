/**
 * A backend's price, worked out in one place for every view that shows or ranks it (the switch
 * picker, the chat header, the notifications' "switch to …" order) and for the meter: the user's
 * own price for the model wins, then the price dataset, and unknown stays unknown.
 */
import type { Usage } from '../providers/types';
import { priceOverrideFor, type ProviderConfig } from '../settings/providerSettings';
import type { Price, PriceInput } from './pricing';

/** USD per 1M input and output tokens. */
export interface PerMTok {
  input: number;
  output: number;
}

/** The price dataset's half of pricing, which the editor side loads lazily (it is large). */
export interface PriceTable {
  pricePerMTok(presetId: string, model: string, local: boolean): PerMTok | undefined;
  priceRequest(input: PriceInput): Price;
}

export type Role = 'chat' | 'completion';

/** The model a backend uses for a role. */
export function modelFor(config: ProviderConfig, role: Role): string {
  return role === 'chat' ? config.chatModel : config.completionModel;
}

/** Today's price per 1M tokens of `model` on `config`; undefined when nobody knows it. */
export function pricePerMTokOf(config: ProviderConfig, model: string, table: () => PriceTable): PerMTok | undefined {
  const override = priceOverrideFor(config, model);
  if (override) return { input: override.inputPerMTok, output: override.outputPerMTok };
  try {
    return table().pricePerMTok(config.preset.id, model, config.preset.local === true);
  } catch {
    // The dataset failed to load: the price is unknown, which is never the same as free.
    return undefined;
  }
}

/** Input plus output per 1M tokens, the figure alternatives are ranked by. */
export function rankingPrice(price: PerMTok | undefined): number | undefined {
  return price && price.input + price.output;
}

/** What one request cost in micro-dollars, or null when the price is unknown. Throws when the dataset cannot load. */
export function requestCostMicros(
  config: ProviderConfig,
  model: string,
  usage: Usage,
  table: () => PriceTable,
): number | null {
  return table().priceRequest({
    presetId: config.preset.id,
    local: config.preset.local === true,
    plan: config.plan !== undefined,
    model,
    usage,
    override: priceOverrideFor(config, model),
  }).micros;
}

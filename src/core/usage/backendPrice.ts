/**
 * A backend's price per 1M tokens for a model: the user's own price when they set one, else the
 * price lists'. The one place the picker, the chat header and Add Provider read it from.
 */
import { billingOf, type Preset } from '../providers/presets';
import { priceOverrideFor, type ProviderConfig } from '../settings/providerSettings';
import { formatPrice } from './formatMoney';
import type { PerMTok } from './pricing';

/** `pricePerMTok` from pricing.ts, passed in so the price data loads only where it is used. */
export type PerMTokLookup = (presetId: string, model: string, local: boolean, baseUrl?: string) => PerMTok | undefined;

export function backendPerMTok(config: ProviderConfig, model: string, lookup: PerMTokLookup): PerMTok | undefined {
  const override = priceOverrideFor(config, model);
  if (override)
    return { input: override.inputPerMTok, output: override.outputPerMTok, currency: override.currency ?? 'USD' };
  try {
    return lookup(config.preset.id, model, config.preset.local === true, config.baseUrl);
  } catch {
    return undefined;
  }
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
  if (billing === 'plan') return 'included in a plan';
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

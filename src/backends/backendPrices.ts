import type { Usage } from '../core/providers/types';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { modelFor, pricePerMTokOf, requestPrice, type PerMTok, type Role } from '../core/usage/backendPrice';
import type { Price } from '../core/usage/pricing';
import { log } from '../log';
import { loadProviderRuntime } from './lazyRuntime';

/** A backend's price per 1M tokens for a role; loads the price dataset, so only when a view needs it. */
export function backendPrice(config: ProviderConfig, role: Role): PerMTok | undefined {
  return pricePerMTokOf(config, modelFor(config, role), loadProviderRuntime);
}

/** What one request cost, in its currency; unknown (and a line in the log) when it cannot be priced. */
export function requestCost(config: ProviderConfig, model: string, usage: Usage, asked?: string): Price {
  try {
    return requestPrice(config, model, usage, loadProviderRuntime, asked);
  } catch (error) {
    log().warn(`Could not price a request to ${config.id}: ${String(error)}`);
    return { micros: null, source: 'unknown' };
  }
}

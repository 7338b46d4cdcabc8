import type { Usage } from '../core/providers/types';
import type { ProviderConfig } from '../core/settings/providerSettings';
import { modelFor, pricePerMTokOf, requestCostMicros, type PerMTok, type Role } from '../core/usage/backendPrice';
import { log } from '../log';
import { loadProviderRuntime } from './lazyRuntime';

/** A backend's price per 1M tokens for a role; loads the price dataset, so only when a view needs it. */
export function backendPrice(config: ProviderConfig, role: Role): PerMTok | undefined {
  return pricePerMTokOf(config, modelFor(config, role), loadProviderRuntime);
}

/** What one request cost, in micro-dollars; null (and a line in the log) when it cannot be priced. */
export function requestCost(config: ProviderConfig, model: string, usage: Usage): number | null {
  try {
    return requestCostMicros(config, model, usage, loadProviderRuntime);
  } catch (error) {
    log().warn(`Could not price a request to ${config.id}: ${String(error)}`);
    return null;
  }
}

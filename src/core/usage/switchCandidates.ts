/**
 * The backends worth offering as "switch to …", built once for every place that offers them (the
 * limit notification, the chat's failure card, the fallback order): configured ones with their
 * readiness, state and price, and ones found on this machine that are not configured yet.
 */
import { isLoopbackUrl } from '../net/loopback';
import { nameWithHost } from '../net/serverLabel';
import { findPreset } from '../providers/presets';
import type { Level } from './limits';
import { rankingPrice, type PerMTok } from './backendPrice';
import type { Candidate } from './switchAdvice';

export interface ConfiguredBackendFacts {
  config: {
    readonly id: string;
    readonly name: string;
    readonly baseUrl: string;
    readonly preset: { readonly id: string; readonly local?: boolean };
    /** Set for a subscription plan: nothing more to pay per request. */
    readonly plan?: unknown;
  };
  /** Has a key where it needs one. */
  ready: boolean;
  level: Level | undefined;
  price: PerMTok | undefined;
}

export interface FoundBackend {
  entry: { readonly id: string; readonly name: string; readonly preset: string; readonly baseUrl?: string };
  /** Set when the backend no longer serves (a free tier that ended). */
  discontinued?: string;
}

export function switchCandidates(
  configured: readonly ConfiguredBackendFacts[],
  found: readonly FoundBackend[] = [],
): Candidate[] {
  return [
    ...configured.map(({ config, ready, level, price }) => ({
      id: config.id,
      // The host beside the name wherever it is not the preset's own: the user sees where a key would go.
      name: nameWithHost(config.name, config.preset.id, config.baseUrl),
      level: level ?? 'ok',
      ready,
      // Offered as the always-there way out only when it really runs on this machine.
      local: config.preset.local === true && isLoopbackUrl(config.baseUrl),
      // Nothing more to pay per request on a plan: ranked with the free ones.
      pricePerMTok: config.plan ? 0 : rankingPrice(price),
      configured: true,
    })),
    ...found.map((backend) => ({
      id: backend.entry.id,
      name: nameWithHost(backend.entry.name, backend.entry.preset, backend.entry.baseUrl),
      level: 'ok' as const,
      ready: !backend.discontinued,
      local: isLoopbackUrl(backend.entry.baseUrl ?? findPreset(backend.entry.preset)?.baseUrl),
      configured: false,
    })),
  ];
}

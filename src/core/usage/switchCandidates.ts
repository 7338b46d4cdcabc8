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

/**
 * The candidates' names as buttons and lists show them. A notification's buttons share one row and
 * VS Code cuts a long label short, so a backend the user configured goes by its own name, which
 * they chose; the host comes beside it only where two candidates would read alike. A server found
 * on some other host (Qwen Code's settings, the environment) always shows it: the user sees where
 * a key would go before the click.
 */
export function switchCandidates(
  configured: readonly ConfiguredBackendFacts[],
  found: readonly FoundBackend[] = [],
): Candidate[] {
  const candidates: (Candidate & { withHost: string })[] = [
    ...configured.map(({ config, ready, level, price }) => ({
      id: config.id,
      name: config.name,
      withHost: nameWithHost(config.name, config.preset.id, config.baseUrl),
      level: level ?? 'ok',
      ready,
      // Offered as the always-there way out only when it really runs on this machine.
      local: config.preset.local === true && isLoopbackUrl(config.baseUrl),
      // Nothing more to pay per request on a plan: ranked with the free ones.
      pricePerMTok: config.plan ? 0 : rankingPrice(price),
      configured: true,
    })),
    ...found.map((backend) => {
      const baseUrl = backend.entry.baseUrl ?? findPreset(backend.entry.preset)?.baseUrl;
      const withHost = nameWithHost(backend.entry.name, backend.entry.preset, backend.entry.baseUrl);
      return {
        id: backend.entry.id,
        name: isLoopbackUrl(baseUrl) ? backend.entry.name : withHost,
        withHost,
        level: 'ok' as const,
        ready: !backend.discontinued,
        local: isLoopbackUrl(baseUrl),
        configured: false,
      };
    }),
  ];
  const seen = new Map<string, number>();
  for (const candidate of candidates) seen.set(candidate.name, (seen.get(candidate.name) ?? 0) + 1);
  return candidates.map(({ withHost, ...candidate }) =>
    (seen.get(candidate.name) ?? 0) > 1 ? { ...candidate, name: withHost } : candidate,
  );
}

import type { Level } from '../core/usage/limits';
import type { Role } from '../core/usage/backendPrice';
import { switchCandidates } from '../core/usage/switchCandidates';
import { rankAlternatives, type Candidate } from '../core/usage/switchAdvice';
import { backendPrice } from './backendPrices';
import type { Backends } from './backends';

/**
 * Every backend `role` could move to, with its readiness, state and price; `includeFound` adds
 * backends found on this machine that are not configured yet. Loads the price dataset.
 */
export async function backendCandidates(
  backends: Backends,
  role: Role,
  levelOf: (backendId: string) => Level | undefined,
  includeFound: boolean,
): Promise<Candidate[]> {
  const configured = await Promise.all(
    backends.current().providers.map(async (config) => ({
      config,
      ready: await backends.isReady(config),
      level: levelOf(config.id),
      price: backendPrice(config, role),
    })),
  );
  return switchCandidates(configured, includeFound ? backends.detected() : []);
}

/** The best of them to switch to from `currentId`, ranked once for every place that offers a switch. */
export async function switchAlternatives(
  backends: Backends,
  currentId: string | undefined,
  role: Role,
  levelOf: (backendId: string) => Level | undefined,
  includeFound = false,
): Promise<Candidate[]> {
  return rankAlternatives(currentId ?? '', await backendCandidates(backends, role, levelOf, includeFound));
}

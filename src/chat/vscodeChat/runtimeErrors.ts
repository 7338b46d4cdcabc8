import { ProviderError } from '../../core/providers/providerError';

/** Any failure as a `ProviderError` (ProviderError is recognised across bundles, see its brand). */
export function asProviderError(error: unknown, providerId: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({ kind: 'server', providerId, message });
}

/** Validates kinds read back from stored conversations. */
import type { ProviderErrorKind } from '../providers/providerError';

const KINDS: ReadonlySet<string> = new Set<ProviderErrorKind>([
  'auth',
  'quota-exhausted',
  'insufficient-balance',
  'rate-limited',
  'overloaded',
  'context-too-long',
  'bad-request',
  'model-not-found',
  'network',
  'timeout',
  'cancelled',
  'server',
]);

export function isProviderErrorKind(kind: string): kind is ProviderErrorKind {
  return KINDS.has(kind);
}

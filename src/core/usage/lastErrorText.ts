/**
 * The status bar tooltip's "last error" as a sentence a user acts on: whose backend, what happened,
 * what helps. The chat's explanation of a failure is reused, so both say the same; the server's
 * raw words and status stay on the "details" page.
 */
import { explainFailure, type FailureFacts } from '../chat/explainFailure';
import type { ProviderErrorKind } from '../providers/providerError';

/** The failed completion request's backend, as the user named it. */
export interface FailedBackend {
  id: string;
  name: string;
  /** The completion model it was asked for. */
  model: string;
  protocol?: string;
}

/** What is read of the error: its kind decides, never its message text. */
export interface LastError {
  kind: ProviderErrorKind;
  message: string;
  resetAt?: number;
  limitSource?: string;
  code?: string;
}

/**
 * "Could not reach Ollama. There is no connection, …", or undefined for a request the user
 * cancelled (no failure). The chat's words that speak of a conversation are said for completion.
 */
export function lastErrorText(error: LastError, backend: FailedBackend, now: number): string | undefined {
  if (error.kind === 'cancelled') return undefined;
  const facts: FailureFacts = {
    kind: error.kind,
    message: error.message,
    providerId: backend.id,
    backendName: backend.name,
    model: backend.model,
    ...(backend.protocol !== undefined && { protocol: backend.protocol }),
    ...(error.resetAt !== undefined && { resetAt: error.resetAt }),
    ...(error.limitSource !== undefined && { limitSource: error.limitSource }),
    ...(error.code !== undefined && { code: error.code }),
  };
  const explained = explainFailure(facts, now);
  let { headline, detail } = explained;
  if (error.kind === 'context-too-long') {
    headline = `The code sent around the cursor was too long for ${backend.model} on ${backend.name}.`;
    detail = 'A model with a larger context window helps.';
  } else if (error.kind === 'model-not-found' && !detail.startsWith('Run '))
    detail = 'Check completionModel in the switchboard.providers setting, or switch to another backend.';
  return [headline, detail, explained.resets].filter(Boolean).join(' ');
}

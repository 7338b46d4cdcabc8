/**
 * A failed chat request in plain words: what happened, whose limit it was, when it lifts, and
 * what the user can do about it. Decided by the error's kind, never by its message text.
 */
import { isProviderErrorKind, ProviderError, type ProviderErrorKind } from '../providers/providerError';
import { missingModelAdvice } from '../providers/missingModel';
import { formatReset } from '../usage/switchAdvice';

/** Beyond the backend's kinds: no backend configured, and a failure that is no `ProviderError`. */
export type FailureKind = ProviderErrorKind | 'no-backend' | 'unknown';

/** What is kept of a failure, in the conversation and in history. */
export interface FailureFacts {
  kind: FailureKind;
  /** The client's message, already redacted and shortened by it. */
  message: string;
  providerId?: string;
  backendName?: string;
  model?: string;
  /** The backend's protocol (`ollama`), where what helps depends on the kind of server. */
  protocol?: string;
  status?: number;
  /** Epoch ms when the limit lifts, when the backend said. */
  resetAt?: number;
  limitSource?: string;
  /** The backend's own error code, when it gave one (`AllocationQuota.FreeTierOnly`). */
  code?: string;
}

/** In order of usefulness: the first is the one to offer most prominently. */
export type FailureAction = 'retry' | 'switch' | 'set-key' | 'new-chat';

export interface FailureExplanation {
  /** What happened, in one sentence. */
  headline: string;
  /** Whose problem it is and what helps. */
  detail: string;
  /** When the limit lifts, when known. */
  resets?: string;
  actions: FailureAction[];
}

/** The facts worth keeping from whatever a request threw. */
export function failureFacts(
  thrown: unknown,
  backend?: { id: string; name: string; model: string; protocol?: string },
): FailureFacts {
  const base = backend
    ? {
        providerId: backend.id,
        backendName: backend.name,
        model: backend.model,
        ...(backend.protocol !== undefined && { protocol: backend.protocol }),
      }
    : {};
  const error = thrown;
  if (ProviderError.is(error)) {
    return {
      ...base,
      kind: error.kind,
      message: error.message,
      status: error.status,
      resetAt: error.resetAt,
      limitSource: error.limitSource,
      ...(error.code !== undefined && { code: error.code }),
    };
  }
  return { ...base, kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

/** A kind read back from storage, which may be from another version. */
export function failureKind(kind: string): FailureKind {
  return isProviderErrorKind(kind) || kind === 'no-backend' ? kind : 'unknown';
}

/** Model Studio's answer when its free quota is spent and the account takes nothing else. */
const FREE_TIER_ONLY = 'allocationquota.freetieronly';

/** OpenRouter names the limit that ran out (https://openrouter.ai/docs/api_reference/limits). */
const LIMIT_SOURCES: Record<string, string> = {
  openrouter_credits: "your OpenRouter account's credits",
  openrouter_key_limit: 'the spending limit set on this OpenRouter key',
};

/** "in 45 seconds", "in 3 minutes", "in 2 hours". */
function fromNow(resetAt: number, now: number): string {
  const seconds = Math.max(1, Math.round((resetAt - now) / 1000));
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `in ${minutes} minutes`;
  return `in ${Math.round(minutes / 60)} hours`;
}

function resetWords(facts: FailureFacts, now: number): string | undefined {
  if (facts.resetAt === undefined) return undefined;
  if (facts.resetAt <= now) return 'It should have lifted by now.';
  return `It lifts at ${formatReset(facts.resetAt, now)} (${fromNow(facts.resetAt, now)}).`;
}

export function explainFailure(facts: FailureFacts, now: number): FailureExplanation {
  const name = facts.backendName ?? facts.providerId ?? 'The backend';
  const whose = (facts.limitSource && LIMIT_SOURCES[facts.limitSource]) ?? `${name}'s limit on your account`;
  const resets = resetWords(facts, now);
  switch (facts.kind) {
    case 'rate-limited':
      return {
        headline: `${name} is limiting how fast requests can be sent.`,
        detail: `This is ${whose}, not a problem with your question; it lifts by itself.`,
        resets: resets ?? 'It usually lifts within a minute.',
        actions: ['retry', 'switch'],
      };
    case 'quota-exhausted':
      if (facts.code?.toLowerCase() === FREE_TIER_ONLY)
        return {
          headline: `Your Model Studio free quota for ${facts.model ?? 'this model'} is used up, and "Free Quota Only" is on.`,
          detail: `Model Studio stops these calls instead of billing them (403 AllocationQuota.FreeTierOnly). To keep using ${name}, turn off "Free Quota Only" in the Model Studio console (calls are then billed pay-as-you-go), or switch to another backend.`,
          actions: ['switch'],
        };
      return {
        headline: `Your ${name} quota is used up.`,
        detail: `This is ${whose}. Requests fail until it resets or the limit is raised; another backend can answer now.`,
        resets: resets ?? `${name} did not say when it resets.`,
        actions: ['switch', 'retry'],
      };
    case 'insufficient-balance':
      return {
        headline: `Your ${name} account has run out of credit.`,
        detail: `This is ${facts.limitSource ? whose : `your ${name} balance`}. Top it up on ${name}'s website, or switch to another backend.`,
        actions: ['switch', 'retry'],
      };
    case 'auth':
      // The editor's models take no key: VS Code asks the user before another extension may use them.
      if (facts.protocol === 'vscode-lm')
        return {
          headline: `VS Code did not let Switchboard use ${facts.model && facts.model !== 'auto' ? facts.model : 'its language models'}.`,
          detail:
            'Using the models another extension provides (GitHub Copilot Chat, for one) needs your consent and that extension signed in. Retry and choose Allow when VS Code asks, or switch to another backend.',
          actions: ['retry', 'switch'],
        };
      return {
        headline: `${name} refused the API key.`,
        detail: `The key is missing, wrong, revoked or expired. Set a new key for ${name}, or switch to another backend.`,
        actions: ['set-key', 'switch', 'retry'],
      };
    case 'overloaded':
      return {
        headline: `${name} is overloaded right now.`,
        detail: `This is on ${name}'s side, not a limit of yours; it usually passes within minutes.`,
        resets,
        actions: ['retry', 'switch'],
      };
    case 'context-too-long':
      return {
        headline: `The conversation is too long for ${facts.model ?? 'the model'}.`,
        detail: 'Remove some context chips or start a new chat; a model with a larger context window also helps.',
        actions: ['new-chat', 'switch'],
      };
    case 'bad-request':
      return {
        headline: `${name} rejected the request as invalid.`,
        detail: `Often a model or option the backend does not support. Its own words: ${facts.message}`,
        actions: ['retry', 'switch'],
      };
    case 'model-not-found':
      return {
        headline: `${name} does not offer the model ${facts.model ? `"${facts.model}"` : 'that was asked for'}.`,
        detail:
          missingModelAdvice(facts) ??
          'Check chatModel in the switchboard.providers setting, or switch to another backend.',
        actions: ['switch', 'retry'],
      };
    case 'network':
      return {
        headline: `Could not reach ${name}.`,
        detail:
          'There is no connection, the address is wrong, or the server is down (a local server may not be running).',
        actions: ['retry', 'switch'],
      };
    case 'timeout':
      return {
        headline: `${name} took too long to answer.`,
        detail: 'The request timed out; the backend may be slow or busy.',
        actions: ['retry', 'switch'],
      };
    case 'server':
      return {
        headline: `${name} had an internal error${facts.status !== undefined ? ` (HTTP ${facts.status})` : ''}.`,
        detail: `The problem is on ${name}'s side; trying again usually works.`,
        resets,
        actions: ['retry', 'switch'],
      };
    case 'cancelled':
      return { headline: 'Stopped.', detail: 'The request was cancelled.', actions: ['retry'] };
    case 'no-backend':
      return {
        headline: 'No chat backend is set up.',
        detail: 'Choose one in the backend picker above, or add a provider.',
        actions: ['switch'],
      };
    case 'unknown':
      return {
        headline: 'The request failed.',
        detail: facts.message,
        actions: ['retry', 'switch'],
      };
  }
}

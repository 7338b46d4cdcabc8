/**
 * Every backend failure becomes one `ProviderError` with a `kind`; callers switch on the kind,
 * never on message text.
 */
import { plainServerText } from './serverText';
import type { Usage } from './types';

/** Every kind of backend failure, declared once; stored records and conversations are checked against it. */
export const PROVIDER_ERROR_KINDS = [
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
] as const;

export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(PROVIDER_ERROR_KINDS);

/** Validates a kind read back from storage (a conversation, a ledger record). */
export function isProviderErrorKind(kind: string): kind is ProviderErrorKind {
  return KINDS.has(kind);
}

/**
 * Kinds after which the backend will not serve until something changes (the quota resets, the
 * balance is topped up, a new key is set): they block the backend, unlike a passing failure.
 */
const BLOCKING: ReadonlySet<string> = new Set<ProviderErrorKind>(['quota-exhausted', 'insufficient-balance', 'auth']);

export function isBlockingKind(kind: string): kind is ProviderErrorKind {
  return BLOCKING.has(kind);
}

/**
 * Kinds with which a server turns a request away before serving it: the account (a bad key, a
 * spent quota or balance), the load (a rate limit, an overload) or a model it does not have.
 */
const REFUSALS: ReadonlySet<string> = new Set<ProviderErrorKind>([
  'auth',
  'quota-exhausted',
  'insufficient-balance',
  'rate-limited',
  'overloaded',
  'model-not-found',
]);

/**
 * Whether the server refused the request with an error status in place of an answer, or answered
 * with a redirect Switchboard would not follow, so it never ran the model and billed nothing. The same kinds inside a stream (after a 200) do not count: the
 * model had started. Nor do a server error (it may come after the model ran) or a request the
 * server judged and rejected (some vendors bill a 400 such as a content filter's).
 */
export function wasRefused(error: { kind: string; status?: number }): boolean {
  if (error.status === undefined) return false;
  // A redirect Switchboard would not follow: the server pointed elsewhere and served nothing.
  return REFUSALS.has(error.kind) || (error.status >= 300 && error.status < 400);
}

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  providerId: string;
  message: string;
  status?: number;
  /** Whether sending the same request again later can succeed. */
  retryable?: boolean;
  /** Milliseconds the backend asked us to wait, when it said. */
  retryAfterMs?: number;
  /** The backend's own error code or type, when it gave one. */
  code?: string;
  /** Which limit ran out, when the backend names it (OpenRouter `metadata.limit_source`). */
  limitSource?: string;
  /** Epoch ms when a rate limit lifts, when known from a header. */
  resetAt?: number;
  /** The backend's request id, for a support ticket. */
  requestId?: string;
  /**
   * The request never went out (no connection was made, Switchboard refused to send it, or it was
   * cancelled before its body was written: see sendTrace.ts): it cost nothing.
   */
  notSent?: boolean;
  /**
   * What the request used, as far as the client knows, when it failed after the server had counted
   * part of it: an Anthropic stream cut off after `message_start` has its input exact and its
   * output estimated from the text that came. Billed in place of an estimate from the text alone.
   */
  usage?: Usage;
}

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate-limited',
  'overloaded',
  'network',
  'timeout',
  'server',
]);

/**
 * The SDK clients are bundled apart from the extension (dist/providerRuntime.js, loaded lazily),
 * so each bundle has its own copy of this class and a plain `instanceof` fails across them. A
 * registry symbol marks every instance, whichever copy made it.
 */
const BRAND = Symbol.for('switchboard.ProviderError');

export class ProviderError extends Error {
  readonly [BRAND] = true;
  readonly kind: ProviderErrorKind;
  readonly providerId: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly limitSource?: string;
  readonly resetAt?: number;
  readonly requestId?: string;
  readonly notSent?: boolean;
  readonly usage?: Usage;

  constructor(init: ProviderErrorInit) {
    // Messages carry a server's words and reach notifications: made inert and bounded here, once.
    super(plainServerText(init.message));
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.providerId = init.providerId;
    this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE.has(init.kind);
    this.retryAfterMs = init.retryAfterMs;
    this.code = init.code === undefined ? undefined : plainServerText(init.code, 80);
    this.limitSource = init.limitSource === undefined ? undefined : plainServerText(init.limitSource, 80);
    this.resetAt = init.resetAt;
    this.requestId = init.requestId === undefined ? undefined : plainServerText(init.requestId, 120);
    if (init.notSent) this.notSent = true;
    if (init.usage) this.usage = init.usage;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  static is(value: unknown, kind?: ProviderErrorKind): value is ProviderError {
    return value instanceof ProviderError && (kind === undefined || value.kind === kind);
  }
}

/** Whether an error of this kind can succeed if sent again later (quota, balance and auth never do). */
export function isRetryableKind(kind: ProviderErrorKind): boolean {
  return RETRYABLE.has(kind);
}

/** The kind implied by an HTTP status alone, for when a body carries no better signal. */
export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'insufficient-balance';
  if (status === 404) return 'model-not-found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context-too-long';
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad-request';
}

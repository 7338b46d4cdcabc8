/**
 * What the emulator remembers of each request. Credentials are never stored: a test can assert
 * that auth was sent without the key ending up in a log, a snapshot or a failure message.
 */
import type { IncomingMessage } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Request headers, lower-cased, without any credential header (see `hasAuth`). */
  headers: Record<string, string>;
  /** Whether the request carried a credential (Authorization, x-api-key, api-key). */
  hasAuth: boolean;
  body: unknown;
  /** Set when the client went away before the response finished. */
  aborted: boolean;
  /**
   * Output tokens the model generated for this request, streamed or whole: what a server bills. A
   * stream the client closes stops here, where the rest would have been generated, and billed.
   */
  generatedTokens: number;
  /**
   * Ollama only: the context window the request ran with, and the prompt tokens it dropped from
   * the start because the prompt did not fit (0 when it did); for a chat, the whole messages it
   * left out from the front, which those tokens include.
   */
  context?: { numCtx: number; truncatedTokens: number; droppedMessages?: number };
  /** The HTTP status once headers went out; undefined while none did (or the socket was reset). */
  status?: number;
}

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
]);
const AUTH_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'];

export function recordRequest(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || CREDENTIAL_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method ?? 'GET',
    path,
    headers,
    hasAuth: AUTH_HEADERS.some((name) => Boolean(req.headers[name])),
    body,
    aborted: false,
    generatedTokens: 0,
  };
}

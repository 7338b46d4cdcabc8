/**
 * Plain HTTP for the few endpoints the SDKs cannot reach (Ollama's /api/*). Errors come out as
 * ProviderErrors, classified like any SDK error.
 */
import { classifyHttpError } from './classifyError';
import type { Deadline } from './deadline';
import { guardedFetch } from './guardedFetch';
import { ProviderError } from './providerError';
import { neverReachedServer } from './connectFailure';
import { redactSecrets } from './redact';
import { abortError } from './sdkErrors';

export interface JsonCall {
  providerId: string;
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  apiKey?: string;
  deadline: Deadline;
  /** See `ProviderHooks.confirmPlainHttpKey`. */
  confirmPlainHttpKey?: (origin: string) => Promise<boolean>;
}

export async function callJson<T>(call: JsonCall): Promise<{ data: T; headers: Headers }> {
  let response: Response;
  try {
    const transport = guardedFetch({
      providerId: call.providerId,
      apiKey: call.apiKey,
      confirmPlainHttpKey: call.confirmPlainHttpKey,
    });
    response = await transport(call.url, {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers: { ...(call.body !== undefined && { 'content-type': 'application/json' }), ...call.headers },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.deadline.signal,
    });
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (call.deadline.signal.aborted) throw abortError(call.providerId, call.deadline);
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new ProviderError({
      kind: 'network',
      providerId: call.providerId,
      message: redactSecrets(`Could not reach ${new URL(call.url).origin}: ${cause}`, [call.apiKey]),
      notSent: neverReachedServer(error),
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw call.deadline.signal.aborted
      ? abortError(call.providerId, call.deadline)
      : new ProviderError({
          kind: 'network',
          providerId: call.providerId,
          message: 'The connection closed before the answer was complete.',
        });
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  if (!response.ok) {
    throw classifyHttpError({
      providerId: call.providerId,
      status: response.status,
      body,
      headers: response.headers,
      apiKey: call.apiKey,
    });
  }
  if (typeof body !== 'object' || body === null) {
    throw new ProviderError({
      kind: 'server',
      providerId: call.providerId,
      message: `The backend answered ${new URL(call.url).pathname} with something other than JSON.`,
    });
  }
  return { data: body as T, headers: response.headers };
}

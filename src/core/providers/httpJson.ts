/**
 * Plain HTTP for the few endpoints the SDKs cannot reach (Ollama's /api/*). Errors come out as
 * ProviderErrors, classified like any SDK error.
 */
import { classifyHttpError } from './classifyError';
import type { Deadline } from './deadline';
import { guardedFetch, type BodyLimits } from './guardedFetch';
import { ProviderError } from './providerError';
import { connectionDetail, neverReachedServer } from './connectFailure';
import { redactSecrets } from './redact';
import { abortError } from './sdkErrors';
import { withSendTrace } from './sendTrace';

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
  /** Tighter bounds than guardedFetch's for what the server may send. */
  limits?: Partial<BodyLimits>;
}

export async function callJson<T>(call: JsonCall): Promise<{ data: T; headers: Headers }> {
  const response = await send(call);
  const text = await readAll(response, call);
  const body = parsed(text);
  if (!response.ok) throw httpError(call, response, body);
  if (typeof body !== 'object' || body === null) throw notJson(call);
  return { data: body as T, headers: response.headers };
}

/**
 * A call answered with newline-delimited JSON (Ollama's streams): `onLine` hears each object as
 * it arrives (see `openJsonLines`). `onLine` returning 'stop' ends the call there: the rest of the
 * stream is cancelled, unread.
 */
export async function callJsonLines(
  call: JsonCall,
  onLine: (line: Record<string, unknown>) => 'stop' | void,
): Promise<Headers> {
  const { headers, lines } = await openJsonLines(call);
  for await (const line of lines) if (onLine(line) === 'stop') break;
  return headers;
}

/**
 * Sends a call answered with newline-delimited JSON; settles once the server answered, with the
 * objects still to read. An error status is read whole and classified like any other; every chunk
 * tells the deadline the server is alive; a line that is not a JSON object is a broken stream.
 * Leaving the loop over `lines` early cancels the rest of the stream, unread.
 */
export async function openJsonLines(
  call: JsonCall,
): Promise<{ headers: Headers; lines: AsyncGenerator<Record<string, unknown>, void, undefined> }> {
  const response = await send(call);
  if (!response.ok) throw httpError(call, response, parsed(await readAll(response, call)));
  if (!response.body) throw notJson(call);
  return { headers: response.headers, lines: readLines(response.body, call) };
}

async function* readLines(
  body: ReadableStream<Uint8Array>,
  call: JsonCall,
): AsyncGenerator<Record<string, unknown>, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let finished = false;
  const take = (line: string): Record<string, unknown> | undefined => {
    if (!line.trim()) return undefined;
    const value = parsed(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notJson(call);
    return value as Record<string, unknown>;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      call.deadline.alive();
      pending += decoder.decode(value, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const object = take(line);
        if (object) yield object;
      }
    }
    const last = take(pending + decoder.decode());
    if (last) yield last;
    // A stream can end quietly when it is aborted: a cut-off answer is not an answer.
    if (call.deadline.signal.aborted) throw abortError(call.providerId, call.deadline);
    finished = true;
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw cutShort(call);
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

async function send(call: JsonCall): Promise<Response> {
  try {
    const transport = guardedFetch({
      providerId: call.providerId,
      apiKey: call.apiKey,
      confirmPlainHttpKey: call.confirmPlainHttpKey,
      limits: call.limits,
    });
    return await withSendTrace(call.deadline.sent, () =>
      transport(call.url, {
        method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
        headers: { ...(call.body !== undefined && { 'content-type': 'application/json' }), ...call.headers },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: call.deadline.signal,
      }),
    );
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (call.deadline.signal.aborted) throw abortError(call.providerId, call.deadline);
    const cause = connectionDetail(error, new URL(call.url).hostname);
    throw new ProviderError({
      kind: 'network',
      providerId: call.providerId,
      message: redactSecrets(`Could not reach ${new URL(call.url).origin}: ${cause}`, [call.apiKey]),
      notSent: neverReachedServer(error),
    });
  }
}

async function readAll(response: Response, call: JsonCall): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw cutShort(call);
  }
}

function cutShort(call: JsonCall): ProviderError {
  return call.deadline.signal.aborted
    ? abortError(call.providerId, call.deadline)
    : new ProviderError({
        kind: 'network',
        providerId: call.providerId,
        message: 'The connection closed before the answer was complete.',
      });
}

/** JSON when it parses; otherwise the text itself, for an error message. */
function parsed(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function httpError(call: JsonCall, response: Response, body: unknown): ProviderError {
  return classifyHttpError({
    providerId: call.providerId,
    status: response.status,
    body,
    headers: response.headers,
    apiKey: call.apiKey,
  });
}

function notJson(call: JsonCall): ProviderError {
  return new ProviderError({
    kind: 'server',
    providerId: call.providerId,
    message: `The backend answered ${new URL(call.url).pathname} with something other than JSON.`,
  });
}

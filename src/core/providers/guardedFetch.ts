/**
 * The one fetch every client uses, so what a server sends and where a request goes are checked
 * in one place:
 * - A redirect is followed only within the same origin (or up to https on the same host). A
 *   request carries a prompt or a key, and a server must not be able to send either elsewhere.
 * - A key goes over plain http only to this machine, or to a server the user confirmed.
 * - Every body is bounded: an error body is cut at 64 KB, any other at 16 MB, a stream at 64 MB,
 *   and a line of a stream at 1 MB. A server cannot grow the extension host's memory at will.
 * - An event stream ends at `data: [DONE]`: a server or proxy that keeps the connection open after
 *   it (or sends more) cannot hold a finished answer open until it times out.
 */
import { isLoopbackHost } from '../net/loopback';
import { ProviderError } from './providerError';

export interface BodyLimits {
  errorBodyBytes: number;
  bodyBytes: number;
  streamBytes: number;
  lineBytes: number;
}

export const BODY_LIMITS: BodyLimits = {
  errorBodyBytes: 64 * 1024,
  bodyBytes: 16 * 1024 * 1024,
  streamBytes: 64 * 1024 * 1024,
  lineBytes: 1024 * 1024,
};

export interface FetchGuardOptions {
  providerId: string;
  /** The key this client sends, to know whether a request carries it. */
  apiKey?: string;
  /**
   * Asked before a key goes over plain http to a host that is not this machine; resolve true to
   * send it. Without it such a request is refused.
   */
  confirmPlainHttpKey?: (origin: string) => Promise<boolean>;
  limits?: Partial<BodyLimits>;
  /** The underlying fetch; the global one by default. */
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 5;
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Statuses whose Response may not be given a body. */
const NO_BODY: ReadonlySet<number> = new Set([101, 204, 205, 304]);
/** Headers that carry a credential whatever their value looks like. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'];
/** What the OpenAI SDK sends when a local server needs no key (it insists on one). */
const NO_KEY = 'Bearer no-key';

function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

function carriesKey(url: URL, headers: Headers, apiKey: string | undefined): boolean {
  if (apiKey && apiKey.length >= 4 && url.href.includes(encodeURIComponent(apiKey))) return true;
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers.get(name);
    if (value && value !== NO_KEY) return true;
  }
  if (apiKey) for (const [, value] of headers) if (value.includes(apiKey)) return true;
  return false;
}

/**
 * A request Switchboard will not make. `notSent` when nothing went out; `status` when the server
 * answered with the redirect refused: either way no model ran, and nothing is billed.
 */
function refuse(providerId: string, message: string, how: { notSent: true } | { status: number }): ProviderError {
  return new ProviderError({ kind: 'bad-request', providerId, message, retryable: false, ...how });
}

export function guardedFetch(options: FetchGuardOptions): typeof fetch {
  const limits = { ...BODY_LIMITS, ...options.limits };
  const base = options.fetch ?? ((input, init) => fetch(input, init));
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = urlOf(input);
    let request: RequestInit = { ...init, redirect: 'manual' };
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const withKey = carriesKey(url, headers, options.apiKey);
    for (let hop = 0; ; hop++) {
      if (withKey && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        const allowed = (await options.confirmPlainHttpKey?.(url.origin)) ?? false;
        if (!allowed) {
          throw refuse(
            options.providerId,
            `Your key was not sent to ${url.origin}: plain http can be read on the way, and the server is not this machine. Use https, or allow http for this server when Switchboard asks.`,
            { notSent: true },
          );
        }
      }
      const response = await base(input instanceof Request && hop === 0 ? input : url.href, request);
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return bounded(response, limits, options.providerId);
      await response.body?.cancel().catch(() => {});
      const next = new URL(location, url);
      const sameOrigin = next.origin === url.origin;
      const upgrade = next.hostname === url.hostname && url.protocol === 'http:' && next.protocol === 'https:';
      if (!sameOrigin && !upgrade) {
        throw refuse(
          options.providerId,
          `${url.origin} redirected the request to ${next.origin}, another server; Switchboard does not send your prompt or key there. If you trust it, set that address as the base URL.`,
          { status: response.status },
        );
      }
      if (hop >= MAX_REDIRECTS)
        throw refuse(options.providerId, `${url.origin} redirected the request too many times.`, {
          status: response.status,
        });
      // 303 (and, as browsers do, 301/302 after a POST) asks for a GET without the body.
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && request.method === 'POST')
      )
        request = { ...request, method: 'GET', body: undefined };
      url = next;
    }
  };
  return guarded as typeof fetch;
}

/**
 * The response with a body that stops at the limits. An error body is cut short quietly (its
 * start says what went wrong); any other body that runs over fails the read with a ProviderError.
 */
export function bounded(response: Response, limits: BodyLimits, providerId: string): Response {
  if (!response.body || NO_BODY.has(response.status)) return response;
  const type = response.headers.get('content-type') ?? '';
  const streamed = response.ok && /event-stream|ndjson|jsonl/i.test(type);
  const doneLine = streamed && /event-stream/i.test(type) ? new DoneLine() : undefined;
  const limit = !response.ok ? limits.errorBodyBytes : streamed ? limits.streamBytes : limits.bodyBytes;
  const reader = response.body.getReader();
  let total = 0;
  let line = 0;
  const tooMuch = (what: string) =>
    new ProviderError({
      kind: 'server',
      providerId,
      message: `The backend sent ${what}; Switchboard stopped reading it.`,
      retryable: false,
    });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      if (total + value.length > limit) {
        void reader.cancel().catch(() => {});
        if (!response.ok) {
          controller.enqueue(value.subarray(0, limit - total));
          total = limit;
          return controller.close();
        }
        return controller.error(tooMuch(`more than ${Math.round(limit / 1024 / 1024)} MB`));
      }
      total += value.length;
      if (streamed) {
        let run = line;
        let start = 0;
        for (let newline = value.indexOf(0x0a); newline !== -1; newline = value.indexOf(0x0a, start)) {
          run += newline - start;
          if (run > limits.lineBytes) break;
          run = 0;
          start = newline + 1;
        }
        if (run <= limits.lineBytes) run += value.length - start;
        if (run > limits.lineBytes) {
          void reader.cancel().catch(() => {});
          return controller.error(tooMuch(`a line longer than ${Math.round(limits.lineBytes / 1024)} KB`));
        }
        line = run;
      }
      const end = doneLine?.endIn(value) ?? -1;
      if (end === -1) return controller.enqueue(value);
      // OpenAI's end of stream: what follows is no part of the answer (the SDK would read on, unseen).
      controller.enqueue(value.subarray(0, end));
      controller.close();
      void reader.cancel().catch(() => {});
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const limited = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // The SDKs read these when they report an error.
  Object.defineProperty(limited, 'url', { value: response.url });
  Object.defineProperty(limited, 'redirected', { value: response.redirected });
  return limited;
}

/** Finds the `data: [DONE]` line that ends an OpenAI-style event stream, across chunks. */
class DoneLine {
  /** The start of the line under way, as far as a `[DONE]` line could reach. */
  private head = '';
  private tooLong = false;

  /** Where the chunk's `[DONE]` line ends (after its line break), or -1. */
  endIn(chunk: Uint8Array): number {
    for (let start = 0; ;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.tooLong) {
        this.head += String.fromCharCode(...chunk.subarray(start, Math.min(end, start + DONE_LINE_CHARS)));
        this.tooLong = this.head.length >= DONE_LINE_CHARS;
      }
      if (newline === -1) return -1;
      if (!this.tooLong && DONE_LINE.test(this.head)) return newline + 1;
      this.head = '';
      this.tooLong = false;
      start = newline + 1;
    }
  }
}

/** SSE allows one space after the colon, or none, and a CR before the LF. */
const DONE_LINE = /^data: ?\[DONE\]\r?$/;
/** Longer than any line DONE_LINE matches. */
const DONE_LINE_CHARS = 16;

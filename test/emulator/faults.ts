/**
 * Scripted failures. A fault applies to the next `times` requests (default 1) whose path matches
 * and that got past auth and quota, i.e. the requests that would otherwise have been served.
 */

/** A fault that acts inside a response body; `afterChunks` counts stream frames already sent. */
export type StreamFault =
  /** The socket is reset (RST) after N frames; a non-streaming request is reset before headers. */
  | { kind: 'reset'; afterChunks?: number }
  /**
   * A `data:` line (an NDJSON line for Ollama) with invalid JSON after N frames; the stream then
   * goes on. A non-streaming request gets a 200 whose JSON body is cut in half.
   */
  | { kind: 'malformed-sse'; afterChunks?: number }
  /** Headers (and N frames) are sent, then nothing until the client gives up or the emulator closes. */
  | { kind: 'stall'; afterChunks?: number }
  /**
   * The backend's own mid-stream error after N frames, then the stream ends (Anthropic
   * `event: error`, OpenRouter's error chunk with `finish_reason: "error"`, an `{"error": …}`
   * line for Ollama, an OpenAI-style `{"error": …}` data line elsewhere). A non-streaming request
   * gets the backend's 500 instead.
   */
  | { kind: 'error-event'; afterChunks?: number }
  /**
   * The response ends cleanly after N frames, before the stream's own closing frames (Anthropic's
   * `message_delta` and `message_stop`, the OpenAI-style usage chunk and `data: [DONE]`, Ollama's
   * `done` line): what a proxy or load balancer that closes a long stream early leaves. A
   * non-streaming request gets a 200 whose JSON body ends early.
   */
  | { kind: 'truncate'; afterChunks?: number }
  /**
   * The whole stream and its trailer (`data: [DONE]`) are sent, then one more frame, and the
   * response is held open until the client goes: a server or proxy that keeps the connection after
   * the answer ended. A non-streaming request is answered as usual.
   */
  | { kind: 'linger'; afterChunks?: number };

export type Fault =
  | StreamFault
  /** The backend's own 5xx body: 500, 502 or 503 (529 is Anthropic's "overloaded"). */
  | { kind: 'server-error'; status?: number }
  /** A delay before the response headers, on top of `latencyMs`. */
  | { kind: 'slow-headers'; delayMs: number }
  /**
   * A hostile or broken server's oversized answer, written in 64 KB pieces: an error body
   * (`status` ≥ 400, a JSON error whose message never ends), a 200 JSON body that never ends, or a
   * 200 event stream whose first `data:` line never ends. Stops at `bytes` or when the client goes.
   */
  | { kind: 'huge-body'; bytes: number; status?: number; stream?: boolean }
  /** A redirect (307 by default) to `location`, before anything is served. */
  | { kind: 'redirect'; location: string; status?: number };

export type FaultKind = Fault['kind'];

export type FaultSpec = Fault & {
  /** Exact path (`/v1/messages`) or a pattern; every path when absent. */
  path?: string | RegExp;
  /** How many matching requests it applies to; default 1. */
  times?: number;
};

export const DEFAULT_AFTER_CHUNKS: Record<StreamFault['kind'], number> = {
  reset: 2,
  'malformed-sse': 1,
  stall: 0,
  'error-event': 2,
  truncate: 2,
  // Acts at the end of the stream only (see EventStream.end).
  linger: Number.POSITIVE_INFINITY,
};

interface Pending {
  fault: Fault;
  path: string | RegExp | undefined;
  remaining: number;
}

export class FaultQueue {
  private readonly pending: Pending[] = [];

  add(spec: FaultSpec): void {
    const { path, times, ...fault } = spec;
    const remaining = times ?? 1;
    if (!Number.isInteger(remaining) || remaining < 1)
      throw new Error(`fault times must be a positive integer, not ${String(times)}`);
    this.pending.push({ fault: fault as Fault, path, remaining });
  }

  /** The first scripted fault that matches this path, used up by one. */
  take(path: string): Fault | undefined {
    const index = this.pending.findIndex((entry) => matches(entry.path, path));
    const entry = this.pending[index];
    if (!entry) return undefined;
    if (--entry.remaining === 0) this.pending.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.pending.length = 0;
  }

  get size(): number {
    return this.pending.length;
  }
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

export function isStreamFault(fault: Fault | undefined): fault is StreamFault {
  return fault !== undefined && fault.kind in DEFAULT_AFTER_CHUNKS;
}

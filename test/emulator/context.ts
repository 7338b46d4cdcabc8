/**
 * One request as the protocol handlers see it: the parsed body, the live settings, and the ways
 * to answer (JSON, a stream, a reset). Waits are cancelled when the client or the emulator goes
 * away, so nothing outlives `close()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { serverFailure, type Reply, type StreamFrame } from './errors';
import { isStreamFault, type Fault, type FaultQueue } from './faults';
import type { Dialect, EmulatorSettings, UsageReport } from './options';
import type { PrefixCache } from './prefixCache';
import { backendQuota, QuotaTracker } from './quota';
import type { RecordedRequest } from './recording';
import { EventStream, type StreamFormat } from './sse';

/** What lives as long as the emulator does. */
export interface EmulatorState {
  /** The live options object: `configure()` assigns into it. */
  settings: EmulatorSettings;
  requests: RecordedRequest[];
  /** One tracker per backend, made on first use. */
  quotas: Map<Dialect, QuotaTracker>;
  faults: FaultQueue;
  /** Prompt prefixes Anthropic would hold in its cache (for cache_read vs cache_creation). */
  promptCache: Set<string>;
  /** Recent prompts per backend, for the implicit prefix cache (`implicitPrefixCache`). */
  prefixCache: PrefixCache;
  /** Source of deterministic ids. */
  sequence: number;
  now(): number;
}

export class RequestContext {
  dialect: Dialect = 'openai';
  requestId = '';
  /** Headers every response to this request carries (request id, rate limits). */
  readonly responseHeaders: Record<string, string> = {};
  /** A scripted fault that acts on the body of this response. */
  fault: Fault | undefined;
  private readonly controller = new AbortController();
  private resetByFault = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly state: EmulatorState,
    readonly path: string,
    readonly body: unknown,
    readonly record: RecordedRequest,
  ) {
    res.on('close', () => {
      if (!res.writableFinished && !this.resetByFault) record.aborted = true;
      this.controller.abort();
    });
  }

  get settings(): EmulatorSettings {
    return this.state.settings;
  }

  /** A usage object as this server reports it: the emulator's own, or what `reportUsage` makes of it. */
  reported<T extends Record<string, unknown>>(usage: T, where: UsageReport): Record<string, unknown> {
    return this.state.settings.reportUsage?.(usage, where) ?? usage;
  }

  /** The quota tracker of this request's backend. */
  get quota(): QuotaTracker {
    let tracker = this.state.quotas.get(this.dialect);
    if (!tracker) {
      const dialect = this.dialect;
      tracker = new QuotaTracker(
        () => backendQuota(this.state.settings, dialect),
        () => this.state.now(),
      );
      this.state.quotas.set(dialect, tracker);
    }
    return tracker;
  }

  /** Aborted once the response is over, whoever ended it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The JSON body as an object (an empty one when it was not an object). */
  get json(): Record<string, unknown> {
    return typeof this.body === 'object' && this.body !== null && !Array.isArray(this.body)
      ? (this.body as Record<string, unknown>)
      : {};
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  now(): number {
    return this.state.now();
  }

  /** A deterministic id: `prefix` followed by the emulator-wide sequence number. */
  nextId(prefix: string, width = 6): string {
    return `${prefix}${String(++this.state.sequence).padStart(width, '0')}`;
  }

  /** Resolves true after `ms`, or false as soon as the response is over. */
  async sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (ms <= 0) return true;
    try {
      await delay(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Waits as long as generating `tokens` takes at `tokensPerSecond`; once generated they count in
   * the record's `generatedTokens`, as a server bills them, whether or not the client reads them.
   */
  async pace(tokens = 1): Promise<boolean> {
    const tps = this.settings.tokensPerSecond;
    const generated = tps ? await this.sleep((1000 * tokens) / tps) : !this.signal.aborted;
    if (generated) this.record.generatedTokens += tokens;
    return generated;
  }

  waitUntilClosed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.signal.aborted) resolve();
      else this.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  writeHead(status: number, headers: Record<string, string | number>): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.record.status = status;
    this.res.writeHead(status, { ...this.responseHeaders, ...headers });
  }

  /** Sends a complete answer. */
  send(reply: Reply): void {
    if (this.res.headersSent || this.res.destroyed) return;
    const text = typeof reply.body === 'string' && reply.contentType !== undefined;
    const payload = text ? (reply.body as string) : JSON.stringify(reply.body);
    this.writeHead(reply.status, {
      'content-type': reply.contentType ?? 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...reply.headers,
    });
    this.res.end(payload);
  }

  /** Sends a 200 JSON answer, unless a scripted fault says otherwise. */
  async ok(body: unknown, headers: Record<string, string> = {}): Promise<void> {
    const fault = this.takeStreamFault();
    switch (fault?.kind) {
      case 'reset':
        return this.resetSocket();
      case 'stall':
        this.writeHead(200, { 'content-type': 'application/json' });
        this.res.flushHeaders();
        return this.waitUntilClosed();
      case 'malformed-sse':
      case 'truncate': {
        const payload = JSON.stringify(body);
        const cut = payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
        this.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(cut),
          ...headers,
        });
        this.res.end(cut);
        return;
      }
      case 'error-event':
        return this.send(serverFailure(this.dialect, 500, this.requestId));
      case 'linger':
      case undefined:
        return this.send({ status: 200, body, headers });
    }
  }

  /** Starts a 200 stream; frames go through `EventStream`, which applies any scripted fault. */
  stream(format: StreamFormat, failure: StreamFrame, headers: Record<string, string> = {}): EventStream {
    const stream = new EventStream(this, format, failure, this.takeStreamFault());
    stream.open(headers);
    return stream;
  }

  /**
   * Writes an oversized answer in 64 KB pieces, honouring back-pressure, until `bytes` are out or
   * the client hangs up: a JSON error or body whose message never ends, or an event stream whose
   * first line never ends.
   */
  async sendHuge(fault: { bytes: number; status?: number; stream?: boolean }): Promise<void> {
    const status = fault.status ?? 200;
    const head = fault.stream ? 'data: {"choices":[{"delta":{"content":"' : '{"error":{"message":"';
    this.writeHead(status, { 'content-type': fault.stream ? 'text/event-stream' : 'application/json' });
    const piece = Buffer.alloc(64 * 1024, 'A');
    let sent = 0;
    const write = (data: Buffer | string) =>
      new Promise<boolean>((resolve) => {
        if (this.res.destroyed || this.signal.aborted) return resolve(false);
        if (this.res.write(data)) resolve(true);
        else {
          const done = (ok: boolean) => {
            this.res.off('drain', onDrain);
            this.res.off('close', onClose);
            resolve(ok);
          };
          const onDrain = () => done(true);
          const onClose = () => done(false);
          this.res.once('drain', onDrain);
          this.res.once('close', onClose);
        }
      });
    if (!(await write(head))) return;
    while (sent < fault.bytes) {
      if (!(await write(piece))) return;
      sent += piece.length;
    }
    this.res.end(fault.stream ? '"}}]}\n\n' : '"}}');
  }

  /** Drops the connection with a TCP reset, as a crashed upstream or proxy would. */
  resetSocket(): void {
    this.resetByFault = true;
    this.req.socket.resetAndDestroy();
  }

  private takeStreamFault() {
    const fault = this.fault;
    if (!isStreamFault(fault)) return undefined;
    this.fault = undefined;
    return fault;
  }
}

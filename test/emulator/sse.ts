/**
 * Streaming bodies: Server-Sent Events (OpenAI-compatible backends, Anthropic) and newline-
 * delimited JSON (Ollama). Scripted stream faults act here, counted in frames.
 * SSE framing: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type { RequestContext } from './context';
import type { StreamFrame } from './errors';
import { DEFAULT_AFTER_CHUNKS, type StreamFault } from './faults';

export type StreamFormat = 'sse' | 'ndjson';

const CONTENT_TYPES: Record<StreamFormat, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** A frame whose JSON never closes: what a proxy that cuts a line in half leaves behind. */
const MALFORMED: Record<StreamFormat, string> = {
  sse: 'data: {"id":"emulator-malformed","choices":[{"index":0,"delta":{"content":"unterminated\n\n',
  ndjson: '{"model":"emulator","response":"unterminated\n',
};

export class EventStream {
  private frames = 0;
  private done = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly format: StreamFormat,
    private readonly failure: StreamFrame,
    private fault: StreamFault | undefined,
  ) {}

  open(headers: Record<string, string>): void {
    this.ctx.writeHead(200, {
      'content-type': CONTENT_TYPES[this.format],
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    this.ctx.res.flushHeaders();
  }

  /** Writes one frame (after the stream's pace when `paced`); false once the stream is over. */
  async send(frame: StreamFrame, paced = false): Promise<boolean> {
    if (!this.live) return false;
    if (paced && !(await this.ctx.pace())) return false;
    if (!(await this.applyFault(false))) return false;
    this.write(frame);
    this.frames += 1;
    return this.live;
  }

  /** An SSE comment line, which parsers must skip (OpenRouter sends `: OPENROUTER PROCESSING`). */
  comment(text: string): void {
    if (this.live && this.format === 'sse') this.ctx.res.write(`: ${text}\n\n`);
  }

  /** Ends the stream, after `trailer` (such as `data: [DONE]`) unless a fault ended it first. */
  async end(trailer?: string): Promise<void> {
    if (!this.live) return;
    // A fault scripted past the last frame still happens, at the end.
    if (this.fault?.kind === 'linger') {
      this.fault = undefined;
      this.done = true;
      if (trailer !== undefined) this.ctx.res.write(trailer);
      // Nothing after the trailer belongs to the answer: a client must neither show it nor wait for it.
      this.ctx.res.write(
        this.format === 'sse' ? 'data: {"choices":[{"index":0,"delta":{"content":"AFTER-DONE"}}]}\n\n' : '',
      );
      return this.ctx.waitUntilClosed();
    }
    if (!(await this.applyFault(true))) return;
    this.done = true;
    this.ctx.res.end(trailer);
  }

  private get live(): boolean {
    return !this.done && !this.ctx.res.destroyed && !this.ctx.signal.aborted;
  }

  private write(frame: StreamFrame): void {
    const json = JSON.stringify(frame.data);
    if (this.format === 'ndjson') this.ctx.res.write(`${json}\n`);
    else this.ctx.res.write(`${frame.event ? `event: ${frame.event}\n` : ''}data: ${json}\n\n`);
  }

  /** Applies the scripted fault when its frame count is reached; false when it ended the stream. */
  private async applyFault(atEnd: boolean): Promise<boolean> {
    const fault = this.fault;
    if (!fault) return true;
    if (!atEnd && this.frames < (fault.afterChunks ?? DEFAULT_AFTER_CHUNKS[fault.kind])) return true;
    this.fault = undefined;
    switch (fault.kind) {
      case 'malformed-sse':
        this.ctx.res.write(MALFORMED[this.format]);
        return true;
      case 'reset':
        this.done = true;
        this.ctx.resetSocket();
        return false;
      case 'stall':
        this.done = true;
        await this.ctx.waitUntilClosed();
        return false;
      case 'error-event':
        this.done = true;
        this.write(this.failure);
        this.ctx.res.end();
        return false;
      case 'truncate':
        this.done = true;
        this.ctx.res.end();
        return false;
      case 'linger':
        return true;
    }
  }
}

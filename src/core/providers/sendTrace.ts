/**
 * Whether a request's body left this machine. A request cancelled while its connection was still
 * being made (TCP, TLS, a proxy) never reached a server and costs nothing; one cancelled after its
 * body went out may still be billed. fetch says neither, so this listens to what Node's fetch
 * (undici) publishes on its diagnostics channels: `undici:request:create` when a request is handed
 * to a connection pool, `undici:request:bodySent` once its whole body is written to the socket.
 * The create event runs in the caller's async context, which ties the request to the call
 * (`withSendTrace`); the body-sent event carries the same request object.
 *
 * Nothing is claimed without evidence: a call is "never sent" only when its request was seen
 * handed over, never seen written, and this process has seen some body written at all (a Node
 * whose fetch publishes nothing keeps every cancelled request estimated, as before).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';

/** What is known of one call's requests (a retried call makes several). */
export class SendTrace {
  /** A request of this call was handed to a connection. */
  dispatched = false;
  /** A request of this call was written out whole. */
  bodySent = false;

  /** True only when the call's request is known to have gone nowhere. */
  neverSent(): boolean {
    return this.dispatched && !this.bodySent && bodiesSeen;
  }
}

const current = new AsyncLocalStorage<SendTrace>();
/** undici's request objects, while in flight, to the call they belong to. */
const traces = new WeakMap<object, SendTrace>();
let bodiesSeen = false;

subscribe('undici:request:create', (message) => {
  const trace = current.getStore();
  const request = (message as { request?: unknown }).request;
  if (!trace || typeof request !== 'object' || request === null) return;
  trace.dispatched = true;
  traces.set(request, trace);
});

subscribe('undici:request:bodySent', (message) => {
  const request = (message as { request?: unknown }).request;
  if (typeof request !== 'object' || request === null) return;
  bodiesSeen = true;
  const trace = traces.get(request);
  if (trace) trace.bodySent = true;
});

/** Runs `send` (which starts the fetch) with its requests counted to `trace`. */
export function withSendTrace<T>(trace: SendTrace, send: () => T): T {
  return current.run(trace, send);
}

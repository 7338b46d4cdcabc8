/**
 * Whether a failed request never reached the server: no connection was made (refused, no such
 * host, no route, connect timeout, a certificate refused before any request byte went out). Such a
 * request cannot have been billed, so it costs nothing and has no tokens. A connection that broke
 * after the request was sent is not one of these: the server may have served and billed it.
 */

const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** Walks the `cause` chain (SDK error → fetch's TypeError → the socket error), a few links deep. */
export function neverReachedServer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
    // undici refuses the fetch spec's blocked ports before connecting, with no code.
    if (message === 'bad port') return true;
    current = cause;
  }
  return false;
}

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

const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * Why a connection to `host` failed, in words a user can act on, from the socket error at the end
 * of the `cause` chain (fetch itself says only "fetch failed"). Its own message when the code is
 * not one of the usual ones.
 */
export function connectionDetail(error: unknown, host: string): string {
  let current: unknown = error;
  let deepest: { code?: string; message?: string } = {};
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    deepest = {
      code: typeof code === 'string' ? code : deepest.code,
      message: typeof message === 'string' && message ? message : deepest.message,
    };
    if (typeof code === 'string') break;
    current = cause;
  }
  const code = deepest.code ?? '';
  if (code === 'ECONNREFUSED') return 'the connection was refused: is the server running at that address and port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${host} could not be found: check the address, or whether this machine is offline or needs a proxy (VS Code's http.proxy setting).`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return 'the connection timed out: a firewall or a proxy may be in the way (VS Code’s http.proxy setting).';
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `no route to ${host}: is this machine offline?`;
  if (code === 'ECONNRESET') return 'the connection was reset by the server or something in between.';
  if (CERTIFICATE_CODE.test(code))
    return `the certificate of ${host} was not accepted (${code}): a company proxy that inspects TLS needs its certificate trusted by this machine.`;
  if (deepest.message === 'bad port') return 'that port is one browsers and Node never connect to.';
  return deepest.message ?? 'the connection failed.';
}

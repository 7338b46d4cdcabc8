/**
 * Whether a URL points at this machine. Decided on the parsed host, never on the text: a string
 * prefix check lets `http://127.0.0.1.attacker.example` pass, and WHATWG URL parsing is what turns
 * `http://2130706433/` or `http://0x7f.1/` into the 127.0.0.1 they really are.
 */

/** `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`; anything else (or no URL) is not local. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return isLoopbackHost(parsed.hostname);
}

/** `hostname` as `URL.hostname` gives it: lower case, IPv4 in dotted decimal, IPv6 in brackets. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255) && octets[1] === '127';
}

/** The host to show beside a backend's name so the user can recognise the server; undefined without a URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

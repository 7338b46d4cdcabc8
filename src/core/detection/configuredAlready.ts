/**
 * Whether a backend found on this machine is one the user has configured already. A found entry
 * with an address is the same backend as a configured one at that address, whatever preset either
 * names: an `OPENAI_BASE_URL` pointing at the team's LiteLLM gateway is that gateway, and offering
 * it as somewhere to switch to would send the same requests to the same budget. One without an
 * address (a vendor's key variable) is the configured entry of its preset.
 */
export function configuredAlready(
  found: { preset: string; baseUrl?: string },
  configured: readonly { presetId: string; baseUrl: string }[],
): boolean {
  return configured.some((provider) =>
    found.baseUrl === undefined ? provider.presetId === found.preset : sameServer(provider.baseUrl, found.baseUrl),
  );
}

/** One server, written with or without a trailing slash or `/v1`. */
export function sameServer(a: string, b: string): boolean {
  const root = (url: string) => url.replace(/\/+$/, '').replace(/\/v1$/, '');
  return root(a) === root(b);
}

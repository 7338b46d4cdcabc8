/**
 * Removes secrets from text that may reach a log, an error message or the ledger.
 * Servers sometimes echo the key back ("Incorrect API key provided: sk-…"), so every
 * message from a backend passes through here.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real keys are long.
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  // Key-shaped tokens we were not told about: sk-…, sk-ant-…, sk-or-v1-…, bearer tokens.
  return out
    .replace(/\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]{10,}/g, '$1…[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, '$1[redacted]');
}

/**
 * Removes secrets from text that may reach a log, an error message or the ledger.
 * Servers sometimes echo the key back ("Incorrect API key provided: sk-…"), so every
 * message from a backend passes through here, and so does everything written to the log.
 */

/**
 * Keys this process has loaded (API keys, OAuth tokens), redacted wherever they appear. The SDK
 * clients are bundled apart from the extension, so the set hangs off a registry symbol that every
 * bundle's copy of this module finds.
 */
const REGISTRY = Symbol.for('switchboard.knownSecrets');
const known: Set<string> = ((globalThis as { [REGISTRY]?: Set<string> })[REGISTRY] ??= new Set<string>());

/** Very short values would redact ordinary words; real keys are long. */
const MIN_SECRET_CHARS = 8;

/** Marks a value as a secret, so the log redacts it even where its shape is unknown. */
export function rememberSecret(value: string | undefined): void {
  if (value && value.trim().length >= MIN_SECRET_CHARS) known.add(value.trim());
}

/**
 * Key shapes we may not have been told about. Each keeps only a prefix that names the kind of
 * key (never its random part), so a log still says which key was involved.
 */
const SHAPES: readonly [RegExp, string][] = [
  // OpenAI (sk-, sk-proj-), Alibaba Coding Plan (sk-sp-), Anthropic (sk-ant-api03-), OpenRouter (sk-or-v1-), DeepSeek, Moonshot.
  [/\b(sk-(?:ant-(?:api\d+-|oat\d+-)?|sp-|or-v1-|proj-|svcacct-)?)[A-Za-z0-9_-]{12,}/g, '$1…[redacted]'],
  // Google (Gemini) API keys.
  [/\bAIza[0-9A-Za-z_-]{20,}/g, 'AIza…[redacted]'],
  // Groq, xAI, GitHub and Hugging Face tokens.
  [/\b(gsk_|xai-|gh[pousr]_|github_pat_|hf_)[A-Za-z0-9_]{16,}/g, '$1…[redacted]'],
  // JSON Web Tokens (most OAuth access and id tokens).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted jwt]'],
  // Authorization headers. "Basic" is also an English word: only a credential-looking value (with a digit) goes.
  [/\b(Bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1$2[redacted]'],
  [/\b(Basic)(\s+)(?=[A-Za-z0-9+/=]*\d)[A-Za-z0-9+/=]{12,}/g, '$1$2[redacted]'],
  // OAuth and key fields in JSON, form bodies, headers and query strings.
  [
    /\b((?:access_token|refresh_token|id_token|client_secret|api[_-]?key|x-api-key|x-goog-api-key|authorization|password)["']?\s*[:=]\s*["']?)(?!\[redacted)[^\s"'&,;}]{6,}/gi,
    '$1[redacted]',
  ],
  [/([?&](?:key|token|access_token|api_key|apikey)=)[^&\s#"']+/gi, '$1[redacted]'],
];

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of [...secrets, ...known]) {
    if (secret && secret.length >= MIN_SECRET_CHARS) out = out.split(secret).join('[redacted]');
  }
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

/**
 * What the official SDKs would take from the environment, kept out. Both read variables meant for
 * their own vendor and add them to every request of every client, whatever its base URL: the
 * OpenAI SDK `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID` and the headers in `OPENAI_CUSTOM_HEADERS`; the
 * Anthropic SDK `ANTHROPIC_AUTH_TOKEN`, a default credential chain when it is given no key, and
 * `ANTHROPIC_CUSTOM_HEADERS`. A DeepSeek or Ollama backend would receive a corporate OpenAI
 * project id or a gateway token meant for someone else. Switchboard sends the key the user set for
 * the backend (secret storage, or the variable its entry names) and the headers its entry lists;
 * nothing else.
 */

/** The variables whose `Name: value` lines the SDKs add as headers. */
const CUSTOM_HEADER_VARIABLES = ['OPENAI_CUSTOM_HEADERS', 'ANTHROPIC_CUSTOM_HEADERS'];
/** Headers the OpenAI SDK sets from `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`. */
const OPENAI_ACCOUNT_HEADERS = ['OpenAI-Organization', 'OpenAI-Project'];

/**
 * The `defaultHeaders` for an SDK client: the backend's own headers, and every header the SDK
 * could add from the environment set to null, which the SDKs read as "do not send". A header the
 * user listed for the backend is theirs and is kept. An `Authorization` line in the environment
 * would replace the backend's key (the SDKs apply it after their own): it is set to the key the
 * client sends, `Bearer <key>` in both SDKs (`no-key` where the backend takes none).
 */
export function clientHeaders(
  configured: Readonly<Record<string, string>>,
  apiKey: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | null> {
  const own = new Set(Object.keys(configured).map((name) => name.toLowerCase()));
  const headers: Record<string, string | null> = {};
  const names = [...OPENAI_ACCOUNT_HEADERS];
  for (const variable of CUSTOM_HEADER_VARIABLES) {
    // The SDKs' own reading: one `Name: value` per line.
    for (const line of (env[variable] ?? '').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) names.push(line.slice(0, colon).trim());
    }
  }
  for (const name of names) {
    if (!name || own.has(name.toLowerCase())) continue;
    headers[name] = name.toLowerCase() === 'authorization' ? `Bearer ${apiKey ?? 'no-key'}` : null;
  }
  return { ...headers, ...configured };
}

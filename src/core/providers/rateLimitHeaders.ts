/**
 * Reads the rate-limit state a backend reports in its response headers into one shape.
 * Header families:
 * - OpenAI-style `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, reset as a duration
 *   such as `6m0s` or `12ms` (https://community.openai.com/t/how-to-get-rate-limit-reset-time-for-response-api/1268905).
 * - Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 *   reset as an RFC 3339 time (https://docs.aws.amazon.com/claude-platform/latest/userguide/rate-limits.html).
 * - Generic `retry-after` (seconds or HTTP date), `retry-after-ms`, and the unsuffixed
 *   `x-ratelimit-*` / `ratelimit-*` family that OpenRouter and most gateways send.
 * Header values come from servers we do not control: anything unreadable is skipped, never thrown.
 */

/** Response headers as `fetch` gives them or as a plain record (Node's `IncomingHttpHeaders`, SDK errors). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** One limit window: how big it is, what is left, and when it refills. */
export interface RateLimitWindow {
  limit?: number;
  remaining?: number;
  /** Epoch ms. */
  resetAt?: number;
}

/** Everything the headers of one response said about rate limits. */
export interface RateLimitSnapshot {
  requests?: RateLimitWindow;
  tokens?: RateLimitWindow;
  inputTokens?: RateLimitWindow;
  outputTokens?: RateLimitWindow;
  /** What `retry-after-ms` / `retry-after` asked for; never derived from a window. */
  retryAfterMs?: number;
  requestId?: string;
  /** The `now` passed in, so a reader can tell how stale the snapshot is. */
  observedAt: number;
}

type WindowKey = 'requests' | 'tokens' | 'inputTokens' | 'outputTokens';

/** Reads a header by name, case-insensitively, from either kind of source. */
export function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    const h = headers as Headers;
    return (name) => h.get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    // Repeated headers arrive as arrays; the first value is the one a server means.
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') lower.set(key.toLowerCase(), first);
  }
  return (name) => lower.get(name.toLowerCase());
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(ms|us|µs|ns|h|m|s)/y;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds in a Go-style duration (`6m0s`, `12ms`, `0.5s`, `1h2m3.5s`), as OpenAI sends in
 * `x-ratelimit-reset-*`. A bare number counts as seconds, which is what Azure OpenAI sends there.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (PLAIN_NUMBER.test(s)) return Number(s) * 1_000;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    DURATION_PART.lastIndex = pos;
    const match = DURATION_PART.exec(s);
    if (!match?.[1] || !match[2]) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2]] ?? NaN);
    pos = DURATION_PART.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}

function parseCount(text: string | undefined): number | undefined {
  // Azure OpenAI sends -1 for "unknown"; a negative count means nothing, nor does one past 2^53.
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const count = Number(text.trim());
  return Number.isSafeInteger(count) ? count : undefined;
}

/**
 * The longest wait a header is taken at: every limit a backend publishes resets within a month. A
 * reset further off is a broken or hostile header, and one past year 275760 is no date at all (the
 * status bar could not write it).
 */
const MAX_WAIT_MS = 366 * 86_400_000;

/** `at`, when it is a time within `MAX_WAIT_MS` of `now`. */
function nearTime(at: number | undefined, now: number): number | undefined {
  return at !== undefined && Number.isFinite(at) && at - now <= MAX_WAIT_MS ? at : undefined;
}

/** `ms`, when it is a wait of at most `MAX_WAIT_MS`. */
function nearWait(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms <= MAX_WAIT_MS ? ms : undefined;
}

function parseSeconds(text: string | undefined): number | undefined {
  if (text === undefined || !PLAIN_NUMBER.test(text.trim())) return undefined;
  return Number(text.trim());
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function parseRfc3339(text: string | undefined): number | undefined {
  if (text === undefined || !RFC3339.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

function parseHttpDate(text: string): number | undefined {
  // `Date.parse` accepts nearly anything ("1" is the year 2001), so insist on the GMT zone that
  // every HTTP-date form carries (RFC 9110 §5.6.7).
  if (!/\bGMT$/.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

/** `retry-after`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past means "now". */
function parseRetryAfter(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseSeconds(text);
  if (seconds !== undefined) return seconds * 1_000;
  const date = parseHttpDate(text);
  return date === undefined ? undefined : Math.max(0, date - now);
}

// Epoch values this large are unmistakable: 1e9 s is 2001-09-09 and 1e12 ms the same instant, and
// no server asks a client to wait 31 years.
const EPOCH_SECONDS_FROM = 1e9;
const EPOCH_MS_FROM = 1e12;

/**
 * `x-ratelimit-reset` / `ratelimit-reset` carry one number whose meaning varies by server: the
 * IETF draft and many gateways send seconds to wait, GitHub-style APIs an epoch in seconds, and
 * OpenRouter an epoch in milliseconds. Telling them apart by size is safe (see above). An
 * RFC 3339 or HTTP date is accepted too.
 */
function parseGenericReset(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const value = parseSeconds(text);
  if (value === undefined) return parseRfc3339(text) ?? parseHttpDate(text);
  if (value >= EPOCH_MS_FROM) return Math.round(value);
  if (value >= EPOCH_SECONDS_FROM) return Math.round(value * 1_000);
  return now + Math.round(value * 1_000);
}

function makeWindow(limit?: number, remaining?: number, resetAt?: number): RateLimitWindow | undefined {
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return {
    ...(limit !== undefined && { limit }),
    ...(remaining !== undefined && { remaining }),
    ...(resetAt !== undefined && { resetAt }),
  };
}

/** Fills what `primary` lacks from `fallback`. */
function mergeWindows(primary?: RateLimitWindow, fallback?: RateLimitWindow): RateLimitWindow | undefined {
  if (!primary || !fallback) return primary ?? fallback;
  return makeWindow(
    primary.limit ?? fallback.limit,
    primary.remaining ?? fallback.remaining,
    primary.resetAt ?? fallback.resetAt,
  );
}

const OPENAI_WINDOWS: readonly [WindowKey, string][] = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
];
const ANTHROPIC_WINDOWS: readonly [WindowKey, string][] = [
  ['requests', 'requests'],
  ['tokens', 'tokens'],
  ['inputTokens', 'input-tokens'],
  ['outputTokens', 'output-tokens'],
];

/**
 * The rate-limit state in one response's headers, or `undefined` when no rate-limit value could
 * be read at all (DeepSeek, for one, sends none).
 */
export function parseRateLimitHeaders(headers: HeaderSource, now: number): RateLimitSnapshot | undefined {
  const get = headerGetter(headers);
  const windows: Partial<Record<WindowKey, RateLimitWindow>> = {};

  for (const [key, name] of OPENAI_WINDOWS) {
    const reset = get(`x-ratelimit-reset-${name}`);
    const delay = nearWait(reset === undefined ? undefined : parseDuration(reset));
    windows[key] = makeWindow(
      parseCount(get(`x-ratelimit-limit-${name}`)),
      parseCount(get(`x-ratelimit-remaining-${name}`)),
      delay === undefined ? undefined : now + Math.round(delay),
    );
  }
  for (const [key, name] of ANTHROPIC_WINDOWS) {
    const anthropic = makeWindow(
      parseCount(get(`anthropic-ratelimit-${name}-limit`)),
      parseCount(get(`anthropic-ratelimit-${name}-remaining`)),
      nearTime(parseRfc3339(get(`anthropic-ratelimit-${name}-reset`)), now),
    );
    windows[key] = mergeWindows(windows[key], anthropic);
  }
  // The unsuffixed family counts requests at the gateways that send it (OpenRouter's free-model caps).
  const generic = makeWindow(
    parseCount(get('x-ratelimit-limit') ?? get('ratelimit-limit')),
    parseCount(get('x-ratelimit-remaining') ?? get('ratelimit-remaining')),
    nearTime(parseGenericReset(get('x-ratelimit-reset'), now) ?? parseGenericReset(get('ratelimit-reset'), now), now),
  );
  windows.requests = mergeWindows(windows.requests, generic);

  const retryAfterMs = nearWait(parseRetryAfterMs(get('retry-after-ms')) ?? parseRetryAfter(get('retry-after'), now));
  const found = Object.values(windows).some((w) => w !== undefined) || retryAfterMs !== undefined;
  if (!found) return undefined;

  const requestId = get('x-request-id') ?? get('request-id');
  const snapshot: RateLimitSnapshot = { observedAt: now };
  for (const key of Object.keys(windows) as WindowKey[]) {
    const window = windows[key];
    if (window) snapshot[key] = window;
  }
  if (retryAfterMs !== undefined) snapshot.retryAfterMs = retryAfterMs;
  if (requestId) snapshot.requestId = requestId;
  return snapshot;
}

function parseRetryAfterMs(text: string | undefined): number | undefined {
  const ms = parseSeconds(text);
  return ms === undefined ? undefined : Math.round(ms);
}

/**
 * How long to wait before the limit that blocked a request lifts: what the server asked for, or
 * else the latest reset among windows with nothing left. `undefined` when the headers do not say
 * which window is exhausted, so the caller falls back to its own backoff rather than a guess.
 */
export function waitFromSnapshot(snapshot: RateLimitSnapshot, now: number): number | undefined {
  if (snapshot.retryAfterMs !== undefined) return snapshot.retryAfterMs;
  let latest: number | undefined;
  for (const window of [snapshot.requests, snapshot.tokens, snapshot.inputTokens, snapshot.outputTokens]) {
    if (window?.remaining === 0 && window.resetAt !== undefined) latest = Math.max(latest ?? -Infinity, window.resetAt);
  }
  return latest === undefined ? undefined : Math.max(0, latest - now);
}

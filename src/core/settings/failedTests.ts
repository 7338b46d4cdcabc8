/**
 * Failed connection tests, kept across reloads and shared by windows: a backend added with
 * "Add Anyway" (or given a key its server refused) reads as failing until one of its requests is
 * served, a test passes, or its entry points somewhere else.
 */

/** What a failed connection test said, when, and against which server. */
export interface FailedTest {
  detail: string;
  at: number;
  /** Where the backend pointed when it was tested: pointed elsewhere since, the failure is old news. */
  baseUrl: string;
}

/** One entry per configured backend at most; a stored value past this is not ours. */
const MAX_STORED = 100;
const MAX_DETAIL = 500;
const MAX_URL = 2048;

/** The failure as kept: the test's words bounded, so a server's long error page stays out of storage. */
export function failedTest(detail: string, at: number, baseUrl: string): FailedTest {
  const trimmed = detail.trim();
  return {
    detail: trimmed.length > MAX_DETAIL ? `${trimmed.slice(0, MAX_DETAIL - 1)}…` : trimmed,
    at,
    baseUrl,
  };
}

/**
 * The failures worth showing, from what storage holds (checked field by field: another version
 * may have written it) and the backends configured now. A backend gone, or pointed at another
 * server since its test, is dropped.
 */
export function storedFailedTests(
  value: unknown,
  providers: readonly { id: string; baseUrl: string }[],
): Map<string, FailedTest> {
  const kept = new Map<string, FailedTest>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return kept;
  const pointing = new Map(providers.map((provider) => [provider.id, provider.baseUrl]));
  for (const [id, item] of Object.entries(value).slice(0, MAX_STORED)) {
    if (typeof item !== 'object' || item === null) continue;
    const { detail, at, baseUrl } = item as Record<string, unknown>;
    if (typeof detail !== 'string' || typeof baseUrl !== 'string' || baseUrl.length > MAX_URL) continue;
    if (typeof at !== 'number' || !Number.isFinite(at)) continue;
    if (pointing.get(id) !== baseUrl) continue;
    kept.set(id, failedTest(detail, at, baseUrl));
  }
  return kept;
}

/** The failures as storage keeps them. */
export function failedTestsToStore(failures: ReadonlyMap<string, FailedTest>): Record<string, FailedTest> {
  return Object.fromEntries(failures);
}

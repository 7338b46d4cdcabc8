/**
 * A repository cannot raise what the user spends. Settings that cost money when raised (prompt
 * size, answer length, how often requests go out, where completion runs) take the user's value
 * (or the default), and a workspace or folder value only where it lowers spend. A cloned
 * repository can make Switchboard cheaper or quieter, never dearer.
 */

/** The values of one setting at each scope, as VS Code's `inspect()` reports them. */
export interface ScopedValue {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

const repositoryValues = (scoped: ScopedValue | undefined): unknown[] => [
  scoped?.workspaceValue,
  scoped?.workspaceFolderValue,
];

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The user's number; a repository's only when it is lower (`'lower'`) or higher (`'higher'`) and so cheaper. */
export function cheaperNumber(scoped: ScopedValue | undefined, cheaper: 'lower' | 'higher'): unknown {
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  // With no number of the user's own (an adaptive debounce), only the caller knows what is cheaper.
  if (!finite(user)) return user;
  let value = user;
  for (const candidate of repositoryValues(scoped)) {
    if (finite(candidate)) value = cheaper === 'lower' ? Math.min(value, candidate) : Math.max(value, candidate);
  }
  return value;
}

/**
 * One of `choices`, listed from the cheapest: the user's (or the default) when it is one of them,
 * else `fallback`; a repository's only when it is cheaper.
 */
export function cheaperChoice<T extends string>(
  scoped: ScopedValue | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  const rank = (value: unknown) => choices.indexOf(value as T);
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  let best = rank(user) === -1 ? choices.indexOf(fallback) : rank(user);
  for (const candidate of repositoryValues(scoped)) {
    const candidateRank = rank(candidate);
    if (candidateRank !== -1 && candidateRank < best) best = candidateRank;
  }
  return choices[best] ?? fallback;
}

/** A switch that costs money when on: on only if the user has it on and no repository turns it off. */
export function cheaperSwitch(scoped: ScopedValue | undefined, fallback = true): boolean {
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  if ((typeof user === 'boolean' ? user : fallback) === false) return false;
  return !repositoryValues(scoped).includes(false);
}

/**
 * A switch that saves money when on (reuse of earlier answers): on if the user has it on or a
 * repository turns it on; a repository cannot turn it off.
 */
export function savingSwitch(scoped: ScopedValue | undefined, fallback = true): boolean {
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  if ((typeof user === 'boolean' ? user : fallback) === true) return true;
  return repositoryValues(scoped).includes(true);
}

/** Which scope keeps a switch off: the user's own settings, a repository's, or both. */
export function switchOffBy(scoped: ScopedValue | undefined): { user: boolean; workspace: boolean; folder: boolean } {
  const user = scoped?.globalValue ?? scoped?.defaultValue;
  return {
    user: user === false,
    workspace: scoped?.workspaceValue === false,
    folder: scoped?.workspaceFolderValue === false,
  };
}

export type LanguageMap = Record<string, boolean>;

export function languageMap(value: unknown): LanguageMap | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const map: LanguageMap = {};
  for (const [language, on] of Object.entries(value)) if (typeof on === 'boolean') map[language] = on;
  return map;
}

/** Whether a map lets completion run in a language: its own entry, else `*`, else on. */
export function mapAllows(map: LanguageMap | undefined, language: string): boolean {
  return map?.[language] ?? map?.['*'] ?? true;
}

/** The user's own language map: their setting, else the default. Never a repository's entries. */
export function userLanguages(scoped: ScopedValue | undefined): LanguageMap {
  return languageMap(scoped?.globalValue) ?? languageMap(scoped?.defaultValue) ?? {};
}

/**
 * One map that allows a language only where the user's map and every repository map allow it:
 * a repository can switch languages off, never on.
 */
export function cheaperLanguages(scoped: ScopedValue | undefined): LanguageMap {
  const user = userLanguages(scoped);
  const repository: LanguageMap[] = [];
  for (const value of repositoryValues(scoped)) {
    const map = languageMap(value);
    if (map) repository.push(map);
  }
  const keys = new Set([...Object.keys(user), ...repository.flatMap((map) => Object.keys(map))]);
  keys.add('*');
  const merged: LanguageMap = {};
  for (const key of keys) {
    // '*' stands for every language no map names.
    const allows = (map: LanguageMap | undefined) => (key === '*' ? (map?.['*'] ?? true) : mapAllows(map, key));
    merged[key] = allows(user) && repository.every(allows);
  }
  return merged;
}

/**
 * Where no request is sent, because the completion could not be shown or the user does not want
 * one. Checked on every keystroke before anything else, so it must stay cheap.
 */
export interface RequestPolicy {
  enabled: boolean;
  /** Per-language switches; `"*"` sets the default for languages not listed. */
  languages: Readonly<Record<string, boolean>>;
  /** Files longer than this many characters get no completions. */
  maxFileChars: number;
  /** Untitled scratch buffers get no completions when true. */
  skipUntitled: boolean;
  /** Epoch milliseconds until which completions are snoozed; 0 when not snoozed. */
  snoozedUntil: number;
}

export type SkipReason = 'disabled' | 'language' | 'snoozed' | 'untitled' | 'file-size' | 'mid-word';

export interface PolicyInput {
  text: string;
  offset: number;
  languageId: string;
  untitled?: boolean;
}

export function languageEnabled(languages: Readonly<Record<string, boolean>>, languageId: string): boolean {
  return languages[languageId] ?? languages['*'] ?? true;
}

/** Why no request should be made here, or undefined when one may be. */
export function skipReason(policy: RequestPolicy, input: PolicyInput, now: number): SkipReason | undefined {
  if (!policy.enabled) return 'disabled';
  if (policy.snoozedUntil > now) return 'snoozed';
  if (!languageEnabled(policy.languages, input.languageId)) return 'language';
  if (input.untitled && policy.skipUntitled) return 'untitled';
  if (input.text.length > policy.maxFileChars) return 'file-size';
  // Right before an identifier character the ghost text would have to sit inside a word: VS Code
  // shows it poorly and it is rarely wanted. Before closers, quotes or spaces a completion fits.
  // The whole code point: a letter outside the BMP (`𠮷`, `𝑥`) is two UTF-16 units.
  const next = input.text.codePointAt(input.offset);
  if (next !== undefined && /[\p{L}\p{N}_$]/u.test(String.fromCodePoint(next))) return 'mid-word';
  return undefined;
}

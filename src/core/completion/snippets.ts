/**
 * Chooses which pieces of other files of the same language go into a completion prompt. Similarity
 * is Jaccard over identifier sets: crude, but it needs no index and runs before every request, so
 * it has to stay cheap even for a handful of files thousands of lines long.
 */
import { estimateTokens } from '../providers/usage';
import type { ContextSnippet } from './prompt';

/** How many windows to pick, how long each is, and how many tokens they may use together. */
export interface SnippetOptions {
  maxSnippets: number;
  /** Lines per window; {@link DEFAULT_MAX_LINES_PER_SNIPPET} when omitted. */
  maxLinesPerSnippet?: number;
  /** Ceiling on the summed `estimateTokens` of the chosen texts. */
  tokenBudget: number;
  /** Windows for which this returns true are passed over (the prompt builder skips text it already holds). */
  exclude?: (text: string) => boolean;
  /**
   * Picks which window of each chosen file is shown, while `query` still ranks the files. The
   * prompt builder passes text that changes less often than `query`, so the shown windows, which
   * open the prompt, stay the same from one request to the next.
   */
  windowQuery?: string;
}

/** Twenty lines: enough to show a function's signature and body start, small enough for three in a prompt. */
export const DEFAULT_MAX_LINES_PER_SNIPPET = 20;

// Words that nearly every file of some language contains: counting them would make any two files look alike.
const COMMON_WORDS = new Set(
  (
    'abstract as async await boolean break case catch class const continue def default del do elif else enum ' +
    'export extends false final fn for from func function if impl import in int interface let mut new nil none ' +
    'null number of package pass private protected pub public return self static str string struct super switch ' +
    'this throw true try type use var void while with yield'
  ).split(' '),
);

// Identifier-like words; the look-behind stops `0x1F` or `a1b` from yielding a fragment.
const IDENTIFIER = /(?<![\w$])[A-Za-z_$][\w$]*/g;

function addWords(text: string, into: Set<string>): void {
  for (const match of text.matchAll(IDENTIFIER)) {
    // Case folded so `userName` and `UserName` meet; one-letter names (i, x, _) are loop noise.
    const word = match[0].toLowerCase();
    if (word.length > 1 && !COMMON_WORDS.has(word)) into.add(word);
  }
}

interface IndexedWindow {
  readonly startLine: number;
  readonly start: number;
  readonly end: number;
  readonly words: ReadonlySet<string>;
}

interface CandidateIndex {
  readonly text: string;
  readonly windowLines: number;
  readonly windows: readonly IndexedWindow[];
}

// Candidates are mostly the same open files request after request, so their tokenisation is kept,
// keyed by path and checked against the text; bounded so a long session cannot grow it.
const INDEX_CACHE_LIMIT = 32;
const indexCache = new Map<string, CandidateIndex>();

function indexFor(candidate: ContextSnippet, windowLines: number): CandidateIndex {
  const cached = indexCache.get(candidate.path);
  if (cached && cached.text === candidate.text && cached.windowLines === windowLines) {
    // Re-inserted so the Map's insertion order doubles as recency order.
    indexCache.delete(candidate.path);
    indexCache.set(candidate.path, cached);
    return cached;
  }
  const built: CandidateIndex = {
    text: candidate.text,
    windowLines,
    windows: buildWindows(candidate.text, windowLines),
  };
  indexCache.delete(candidate.path);
  indexCache.set(candidate.path, built);
  if (indexCache.size > INDEX_CACHE_LIMIT) {
    const oldest = indexCache.keys().next().value;
    if (oldest !== undefined) indexCache.delete(oldest);
  }
  return built;
}

function buildWindows(text: string, windowLines: number): IndexedWindow[] {
  const lineStarts = [0];
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
  // A final newline does not open another line worth showing.
  if (lineStarts.length > 1 && lineStarts[lineStarts.length - 1] === text.length) lineStarts.pop();
  const lineCount = lineStarts.length;
  // Where a line's text ends, without its newline (or the final one) and without a CRLF's '\r'.
  const lineEnd = (line: number): number => {
    const next = lineStarts[line + 1];
    let end = next === undefined ? text.length : next - 1;
    if (next === undefined && text.endsWith('\n')) end--;
    if (end > (lineStarts[line] ?? 0) && text[end - 1] === '\r') end--;
    return end;
  };
  const lineWords = lineStarts.map((start, line) => {
    const words = new Set<string>();
    addWords(text.slice(start, lineEnd(line)), words);
    return words;
  });

  // Windows overlap by half, so a block of related code never falls only across a window edge.
  const step = Math.max(1, Math.floor(windowLines / 2));
  const lastStart = Math.max(0, lineCount - windowLines);
  const windows: IndexedWindow[] = [];
  for (let next = 0; ; next += step) {
    const first = Math.min(next, lastStart);
    const last = Math.min(first + windowLines, lineCount) - 1;
    const words = new Set<string>();
    for (let line = first; line <= last; line++) for (const word of lineWords[line] ?? []) words.add(word);
    if (words.size > 0) windows.push({ startLine: first, start: lineStarts[first] ?? 0, end: lineEnd(last), words });
    if (first >= lastStart) break;
  }
  return windows;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared === 0 ? 0 : shared / (a.size + b.size - shared);
}

interface Scored {
  path: string;
  startLine: number;
  score: number;
  text: string;
}

// Best first; code-unit string comparison rather than localeCompare, which can vary with the ICU build.
function byRelevance(a: Scored, b: Scored): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.startLine !== b.startLine) return a.startLine - b.startLine;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

function bestWindow(
  candidate: ContextSnippet,
  index: CandidateIndex,
  query: ReadonlySet<string>,
  exclude: SnippetOptions['exclude'],
): Scored | undefined {
  const scored: { entry: Scored; window: IndexedWindow }[] = [];
  for (const window of index.windows) {
    const score = jaccard(window.words, query);
    if (score > 0)
      scored.push({ entry: { path: candidate.path, startLine: window.startLine, score, text: '' }, window });
  }
  scored.sort((a, b) => byRelevance(a.entry, b.entry));
  for (const { entry, window } of scored) {
    const text = index.text.slice(window.start, window.end);
    if (!exclude?.(text)) return { ...entry, text };
  }
  return undefined;
}

/**
 * Picks the windows of the candidate files most similar to `query` (Jaccard similarity over
 * identifier-like words), at most one per file, within the token budget. The result runs from least
 * to most relevant, so the best window ends up nearest the cursor; equal scores fall back to path,
 * then line, so the input order never matters.
 */
export function selectSnippets(
  candidates: readonly ContextSnippet[],
  query: string,
  options: SnippetOptions,
): ContextSnippet[] {
  const maxSnippets = Math.floor(options.maxSnippets);
  if (!(maxSnippets > 0) || !(options.tokenBudget > 0)) return [];
  const queryWords = new Set<string>();
  addWords(query, queryWords);
  if (queryWords.size === 0) return [];
  const windowLines = Math.max(1, Math.floor(options.maxLinesPerSnippet ?? DEFAULT_MAX_LINES_PER_SNIPPET));

  const windowWords = new Set<string>();
  if (options.windowQuery !== undefined) addWords(options.windowQuery, windowWords);

  const ranked: Scored[] = [];
  for (const candidate of candidates) {
    const index = indexFor(candidate, windowLines);
    const best = bestWindow(candidate, index, queryWords, options.exclude);
    if (!best) continue;
    const shown = windowWords.size > 0 ? bestWindow(candidate, index, windowWords, options.exclude) : undefined;
    ranked.push(shown ? { ...best, startLine: shown.startLine, text: shown.text } : best);
  }
  ranked.sort(byRelevance);

  const chosen: Scored[] = [];
  let used = 0;
  for (const entry of ranked) {
    if (chosen.length >= maxSnippets) break;
    const cost = estimateTokens(entry.text);
    // Two files holding the same window (a copied helper) would only repeat it.
    if (used + cost > options.tokenBudget || chosen.some((c) => c.text === entry.text)) continue;
    chosen.push(entry);
    used += cost;
  }
  return chosen.reverse().map(({ path, text }) => ({ path, text }));
}

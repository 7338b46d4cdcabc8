/**
 * Decides what of the document, and of other files, goes into one inline-completion request. A FIM
 * model leans hardest on the code just before the cursor, so the prefix gets whatever the suffix
 * and the context snippets leave, and never less than half. The result is a pure function of the
 * input: the same request must give the same bytes, or a server's prompt cache and our own LRU
 * would never recognise it.
 *
 * Hosted backends (DeepSeek, Model Studio, OpenAI) bill the start a prompt shares with a recent
 * one at a fraction of the price. So what changes least comes first and stays byte-identical from
 * one key to the next: the header's files are chosen from the lines above the cursor's line, not
 * from the word being typed, the window shown of each from lines that move only every 512
 * characters, and the prefix window's start moves in 256-character steps rather than with every key.
 */
import { promptPath } from '../fsPaths/promptPath';
import { estimateTokens } from '../providers/usage';
import { commentLine, commentSyntax, type CommentStyle } from './commentSyntax';
import { selectSnippets } from './snippets';

export { commentSyntax, type CommentStyle } from './commentSyntax';

/** A piece of another file of the same language, offered as context. */
export interface ContextSnippet {
  path: string;
  text: string;
}

/** The document and cursor a prompt is built for. */
export interface PromptInput {
  /** The whole current document. */
  text: string;
  /** Cursor offset in `text`; clamped to [0, text.length]. */
  offset: number;
  languageId: string;
  /** Workspace-relative path of the current file, if known; an absolute one is cut to the file name. */
  path?: string;
  /** Candidate windows from other files: already the same language, the current file excluded. */
  snippets?: readonly ContextSnippet[];
  /** 'stable' (the default) keeps consecutive prompts' starts identical; 'legacy' is the order before, for the benchmark's baseline. */
  order?: PromptOrder;
}

/** How a prompt is laid out: see the module comment. 'legacy' exists only to measure what 'stable' saves. */
export type PromptOrder = 'stable' | 'legacy';

/** How the token budget of one prompt is shared out. */
export interface PromptBudget {
  maxPromptTokens: number;
  /** At most this share of the budget for the suffix. */
  suffixShare: number;
  /** At most this share for the header (path line and snippets). */
  snippetShare: number;
  maxSnippets: number;
}

/** 1,500 tokens keeps a small local model quick; a quarter each is the most suffix and snippets may take. */
export const DEFAULT_PROMPT_BUDGET: PromptBudget = Object.freeze({
  maxPromptTokens: 1500,
  suffixShare: 0.25,
  snippetShare: 0.25,
  maxSnippets: 3,
});

/** The parts of a prompt, ready for a FIM template. */
export interface BuiltPrompt {
  /** Current-file text before the cursor, windowed, starting at a line start (no header). */
  prefix: string;
  /** Current-file text after the cursor, windowed, ending just after a newline or at the end of the text. */
  suffix: string;
  /** Comment block for native FIM routes (path line, then the snippets), ending with '\n'; '' when empty. */
  header: string;
  /** The snippets chosen, least relevant first; repo-level templates put them in as separate files. */
  snippets: ContextSnippet[];
  /** Offset in `text` where the prefix window starts. */
  prefixStart: number;
  /** Offset in `text` where the suffix window ends. */
  suffixEnd: number;
  /** `estimateTokens(header + prefix + suffix)`. */
  promptTokens: number;
}

// estimateTokens counts a token per four characters (rounded up), so a limit of n tokens is exactly
// 4n characters: budgets are worked out in characters and hold under estimateTokens.
const CHARS_PER_TOKEN = 4;
// "The last ~20 lines" before the cursor: what the code being written is about.
const QUERY_LINES = 20;
// Comment markers make the rendered header longer than the snippet texts the selector counted.
const HEADER_FIT_ATTEMPTS = 3;
/**
 * The prefix window starts at a multiple of this many characters of the document (then at the
 * next line start), so it stays put for this many keys of typing: 64 tokens, DeepSeek's cache unit.
 * The prefix gives up less than this to it.
 */
export const PREFIX_STEP_CHARS = 256;
// About a dozen lines of code: how far the cursor goes before the shown snippet windows are chosen again.
const WINDOW_QUERY_STEP_CHARS = 512;

interface Limits {
  totalChars: number;
  suffixChars: number;
  headerTokens: number;
  maxSnippets: number;
}

function resolveBudget(partial: Partial<PromptBudget>): Limits {
  const pick = (key: keyof PromptBudget): number => {
    const value = partial[key];
    return value !== undefined && Number.isFinite(value) ? value : DEFAULT_PROMPT_BUDGET[key];
  };
  const total = Math.max(0, Math.floor(pick('maxPromptTokens')));
  const clampShare = (share: number): number => Math.min(1, Math.max(0, share));
  let suffixShare = clampShare(pick('suffixShare'));
  let snippetShare = clampShare(pick('snippetShare'));
  // The prefix is what the model leans on most: the other two never get more than half between them.
  const shared = suffixShare + snippetShare;
  if (shared > 0.5) {
    suffixShare *= 0.5 / shared;
    snippetShare *= 0.5 / shared;
  }
  return {
    totalChars: total * CHARS_PER_TOKEN,
    suffixChars: Math.floor(total * suffixShare) * CHARS_PER_TOKEN,
    headerTokens: Math.floor(total * snippetShare),
    maxSnippets: Math.max(0, Math.floor(pick('maxSnippets'))),
  };
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Where a prefix of at most `maxChars` before `offset` starts: a line start, unless the cursor line
 * is too long. `step` > 1 rounds the earliest allowed start up to a multiple of it, so the start
 * does not follow every key.
 */
function prefixWindowStart(text: string, offset: number, maxChars: number, step = 1): number {
  if (maxChars <= 0) return offset;
  const earliest = offset - maxChars;
  if (earliest <= 0) return 0;
  const cursorLineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  if (earliest > cursorLineStart) {
    // Cut mid-line, but never between the halves of a surrogate pair: a lone half is not valid UTF-16.
    return isLowSurrogate(text.charCodeAt(earliest)) ? earliest + 1 : earliest;
  }
  const limit = Math.min(cursorLineStart, Math.ceil(earliest / step) * step);
  return text[limit - 1] === '\n' ? limit : text.indexOf('\n', limit) + 1;
}

/** Where a suffix of at most `maxChars` after `offset` ends: after a newline, unless the cursor line is too long. */
function suffixWindowEnd(text: string, offset: number, maxChars: number): number {
  if (maxChars <= 0) return offset;
  const limit = offset + maxChars;
  if (limit >= text.length) return text.length;
  const lastNewline = text.lastIndexOf('\n', limit - 1);
  if (lastNewline >= offset) return lastNewline + 1;
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

function renderSnippets(style: CommentStyle, snippets: readonly ContextSnippet[]): string {
  let out = '';
  for (const snippet of snippets) {
    out += commentLine(style, `Snippet from ${snippet.path}:`);
    for (const line of snippet.text.split(/\r?\n/)) out += commentLine(style, line);
  }
  return out;
}

interface Header {
  header: string;
  snippets: ContextSnippet[];
}

function buildHeader(
  input: PromptInput,
  offset: number,
  suffix: string,
  roomAfterSuffix: number,
  limits: Limits,
): Header {
  const { text } = input;
  const stable = input.order !== 'legacy';
  const style = commentSyntax(input.languageId);
  const path = input.path === undefined ? '' : promptPath(input.path);
  const pathLine = path ? commentLine(style, `Path: ${path}`) : '';
  const cap = limits.headerTokens;
  if (estimateTokens(pathLine) > cap) return { header: '', snippets: [] };
  // The chosen snippets are returned for templates that name each file: the same names as here.
  const candidates = (input.snippets ?? []).map((snippet) => ({ ...snippet, path: promptPath(snippet.path) }));
  if (candidates.length === 0 || limits.maxSnippets === 0) return { header: pathLine, snippets: [] };

  // The prefix is never shorter than this window, so every query line is in the final prompt.
  const step = stable ? PREFIX_STEP_CHARS : 1;
  const shortestStart = prefixWindowStart(text, offset, roomAfterSuffix - cap * CHARS_PER_TOKEN, step);
  // The line being typed changes with every key; the lines above it only at Enter, and the
  // snippets they choose open the prompt, where a change costs every cached token after it. On
  // the window's first line there is nothing above to go by.
  const cursorLineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  const queryEnd = stable && cursorLineStart > shortestStart ? cursorLineStart : offset;
  const lastLines = (end: number) => text.slice(shortestStart, end).split('\n').slice(-QUERY_LINES).join('\n');
  const query = lastLines(queryEnd);
  // Which window of a chosen file is shown follows the typing more slowly still: the lines above a
  // point that moves only every WINDOW_QUERY_STEP_CHARS of the document.
  const steadyPoint = Math.floor(cursorLineStart / WINDOW_QUERY_STEP_CHARS) * WINDOW_QUERY_STEP_CHARS;
  const windowQueryEnd = steadyPoint > 0 ? text.lastIndexOf('\n', steadyPoint - 1) + 1 : 0;
  const windowQuery = stable && windowQueryEnd > shortestStart ? lastLines(windowQueryEnd) : undefined;
  // Nor longer than this one: a snippet absent from it cannot repeat what the prompt already shows.
  const widestPrefix = text.slice(prefixWindowStart(text, offset, roomAfterSuffix), offset);
  const exclude = (candidate: string): boolean => {
    const needle = candidate.trim();
    return needle.length > 0 && (widestPrefix.includes(needle) || suffix.includes(needle));
  };

  let chosen: ContextSnippet[] = [];
  let header = pathLine;
  let tokenBudget = cap - estimateTokens(pathLine);
  for (let attempt = 0; attempt < HEADER_FIT_ATTEMPTS && tokenBudget > 0; attempt++) {
    chosen = selectSnippets(candidates, query, { maxSnippets: limits.maxSnippets, tokenBudget, exclude, windowQuery });
    header = pathLine + renderSnippets(style, chosen);
    const over = estimateTokens(header) - cap;
    if (over <= 0) break;
    tokenBudget -= over;
  }
  // Still too long after the retries: the least relevant snippets go first.
  while (chosen.length > 0 && estimateTokens(header) > cap) {
    chosen = chosen.slice(1);
    header = pathLine + renderSnippets(style, chosen);
  }
  return { header, snippets: chosen };
}

/**
 * Builds the prefix, suffix and context header for a completion at `input.offset`. The suffix takes
 * at most `suffixShare` of the budget and the header at most `snippetShare`; the prefix takes what
 * is left. Windows are cut at line boundaries, except when the cursor's own line is longer than its
 * share, where it is cut at the character limit so the text beside the cursor is always kept.
 */
export function buildPrompt(input: PromptInput, budget: Partial<PromptBudget> = {}): BuiltPrompt {
  const { text } = input;
  const offset = Math.min(text.length, Math.max(0, Math.floor(input.offset) || 0));
  const limits = resolveBudget(budget);

  const suffixEnd = suffixWindowEnd(text, offset, limits.suffixChars);
  const suffix = text.slice(offset, suffixEnd);
  const roomAfterSuffix = limits.totalChars - suffix.length;
  const { header, snippets } = buildHeader(input, offset, suffix, roomAfterSuffix, limits);
  const step = input.order === 'legacy' ? 1 : PREFIX_STEP_CHARS;
  const prefixStart = prefixWindowStart(text, offset, roomAfterSuffix - header.length, step);
  const prefix = text.slice(prefixStart, offset);
  return {
    prefix,
    suffix,
    header,
    snippets,
    prefixStart,
    suffixEnd,
    promptTokens: estimateTokens(header + prefix + suffix),
  };
}

/**
 * Where the cursor stands in the code, and how many lines a completion there may span. Simple
 * rules in the spirit of Continue's (Copilot uses tree-sitter plus a small model): the costly
 * mistakes are a block offered inside a comment and several lines offered mid-line, and the
 * annoying one is a single line where the model gave the block the user wanted.
 */
import { scanCode, syntaxFor } from './codeScan';

/** Languages where a line ending in `:` opens an indented block. */
const COLON_BLOCKS = new Set(['python', 'yaml']);

/**
 * What a completion at the cursor may be:
 * - `block`: several lines, to the end of the cursor's block (an empty line, a line that ends with
 *   an opener, an opening triple quote);
 * - `line`: the rest of the line, and more only when the model clearly gives more: a first line
 *   that opens a block (a signature, a header, a selector) gets its block, and an answer that
 *   starts with a line break gets the next line (with its block when it opens one);
 * - `single`: the rest of the line only (mid-line, in a comment or a one-line string).
 */
export type CompletionShape = 'block' | 'line' | 'single';

/**
 * Whether the line before the cursor ends with something that opens a block: `{`, `(`, `[`, `=>`,
 * or `:` where indentation makes blocks (Python, YAML).
 */
export function endsWithOpener(lineBefore: string, languageId: string): boolean {
  const line = lineBefore.trimEnd();
  return /(?:[{([]|=>)$/.test(line) || (COLON_BLOCKS.has(languageId) && line.endsWith(':'));
}

/** Only closers, quotes and separators after the cursor: the line is, for completion, at its end. */
const CLOSERS_ONLY = /^[\s)\]};,'"`]*$/;

/** The shape of a completion at this cursor: see `CompletionShape`. */
export function completionShape(prefix: string, suffix: string, languageId: string): CompletionShape {
  const state = scanCode(prefix, syntaxFor(languageId));
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const lineEnd = suffix.search(/\r?\n/);
  const restOfLine = lineEnd === -1 ? suffix : suffix.slice(0, lineEnd);
  // Right after an opening triple quote (or backtick) the string is the block: a docstring.
  if (state.mode === 'string' && state.spans && lineBefore.trimEnd().endsWith(state.close))
    return restOfLine.trim() === '' ? 'block' : 'single';
  if (state.mode !== 'code') return 'single';
  if (!CLOSERS_ONLY.test(restOfLine)) return 'single';
  if (lineBefore.trim() === '' || endsWithOpener(lineBefore, languageId)) return 'block';
  return 'line';
}

/** Whether a completion at this cursor may span several lines (a `block` or a `line` that grows). */
export function wantsMultiline(prefix: string, suffix: string, languageId: string): boolean {
  return completionShape(prefix, suffix, languageId) !== 'single';
}

/**
 * Where the cursor stands in the code, and whether a completion there may span several lines.
 * Simple rules in the spirit of Continue's (Copilot uses tree-sitter plus a small model): the
 * costly mistakes are a block offered inside a comment and several lines offered mid-line.
 */
import { scanCode, syntaxFor } from './codeScan';

/** Languages where a line ending in `:` opens an indented block. */
const COLON_BLOCKS = new Set(['python', 'yaml']);

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

/**
 * Whether a completion at this cursor may span several lines. Single line in a comment or a string
 * (Python docstrings included) and mid-line; several lines at an empty block (a whitespace-only
 * line) and after an opener at the end of a line; a single line everywhere else.
 */
export function wantsMultiline(prefix: string, suffix: string, languageId: string): boolean {
  if (scanCode(prefix, syntaxFor(languageId)).mode !== 'code') return false;
  const lineEnd = suffix.search(/\r?\n/);
  const restOfLine = lineEnd === -1 ? suffix : suffix.slice(0, lineEnd);
  if (!CLOSERS_ONLY.test(restOfLine)) return false;
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  return lineBefore.trim() === '' || endsWithOpener(lineBefore, languageId);
}

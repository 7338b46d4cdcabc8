/**
 * What post-processing knows about the cursor, read once per call: the text around it with line
 * endings normalised, the cursor line split in two, and the brackets open across it.
 */
import { openBracketsBefore, unmatchedClosers, type BracketContext } from './bracketBalance';
import { syntaxFor } from './codeScan';
import { toLf } from './whitespace';

/** The cursor as every post-processing step sees it. */
export interface Cursor extends BracketContext {
  prefix: string;
  suffix: string;
  lineBefore: string;
  restOfLine: string;
  languageId: string;
}

export function readCursor(rawPrefix: string, rawSuffix: string, languageId: string): Cursor {
  const prefix = toLf(rawPrefix);
  const suffix = toLf(rawSuffix);
  const syntax = syntaxFor(languageId);
  const lineEnd = suffix.indexOf('\n');
  const restOfLine = lineEnd === -1 ? suffix : suffix.slice(0, lineEnd);
  const { open, state } = openBracketsBefore(prefix, syntax);
  const suffixClosers = unmatchedClosers(suffix, syntax, state);
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  return { prefix, suffix, lineBefore, restOfLine, languageId, syntax, state, open, suffixClosers };
}

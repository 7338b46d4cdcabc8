/**
 * Which closers after the cursor a one-line answer takes the place of. An editor closes a bracket
 * or quote as the user opens it (`print(` gets its `)`); an answer that closes it too would write
 * it twice, so the ghost text replaces the editor's. Only a character of the answer that closes
 * something opened before the cursor counts: the `)` of `len(items)` closes the answer's own `(`,
 * and replacing the editor's `)` with it would leave `print(len(items)`.
 */
import { countSuffixClosed, openBracketsBefore, unmatchedClosers, type OpenBracket } from './bracketBalance';
import { codeWindowStart, IN_CODE, scanCode, syntaxFor, type LexicalSyntax, type ScanState } from './codeScan';

/** How far either side of the cursor brackets are read. */
const WINDOW_CHARS = 4 * 1024;
const PARTNER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** The document as `closersReplaced` reads it. */
export interface CursorPlace {
  text: string;
  offset: number;
  languageId: string;
}

/**
 * How many characters after the cursor a one-line answer replaces. When the rest of the line is
 * only closers and quotes (an editor's auto-closing: `}` and a backtick after `${`), those at its
 * start that the answer closes itself, in order (`` user.name}`; ``): inserted in front of them,
 * they would be written twice; replaced, the editor shows them inside the ghost text and
 * accepting keeps one of each.
 */
export function closersReplaced(text: string, at: CursorPlace): number {
  const lineEnd = at.text.indexOf('\n', at.offset);
  const rest = at.text.slice(at.offset, lineEnd === -1 ? undefined : lineEnd).replace(/\s+$/, '');
  if (text.includes('\n') || !/^[)\]}>'"`]{1,8}$/.test(rest)) return 0;
  const syntax = syntaxFor(at.languageId);
  const start = codeWindowStart(at.text, Math.max(0, at.offset - WINDOW_CHARS), syntax);
  const { open, state } = openBracketsBefore(at.text.slice(start, at.offset), syntax);
  const suffix = at.text.slice(at.offset, at.offset + WINDOW_CHARS);
  if (state.mode === 'code') return closedInCode(text, rest, suffix, open, syntax);

  // In a string or comment the scanner sees no brackets (an interpolation's `${` is string to
  // it): there a closer the answer did not open closes one before the cursor.
  const answerEnd = endOf(text, state);
  const restEnd = endOf(rest, state);
  const inside = (piece: string, end: number) => piece.slice(0, end === -1 ? piece.length : end - state.close.length);
  const closers = unopenedClosers(inside(text, answerEnd));
  const restInside = inside(rest, restEnd);
  const replaced = longestPrefix(restInside, (prefix) => isSubsequence(prefix, closers));
  // The rest's quote goes only when the answer ends the cursor's string too.
  if (replaced < restInside.length || restEnd === -1 || answerEnd === -1) return replaced;
  return restEnd + closedInCode(text.slice(answerEnd), rest.slice(restEnd), suffix.slice(restEnd), open, syntax);
}

/**
 * How many of `rest`'s closers the answer, read as code from the cursor, closes itself: brackets
 * open before the cursor, in the order of `rest`'s, that the suffix still closes as many of without
 * them. (`wrap(parse(` + `x)` before one `)` needs that `)` as well: one closes each.)
 */
function closedInCode(
  text: string,
  rest: string,
  suffix: string,
  open: readonly OpenBracket[],
  syntax: LexicalSyntax,
): number {
  const stack = open.map((bracket) => ({ ...bracket, own: false }));
  let closers = '';
  scanCode(text, syntax, IN_CODE, (ch, i) => {
    if ('([{<'.includes(ch)) stack.push({ char: ch, own: true, at: i });
    else if (ch === '>') {
      // `=>` and `->` are arrows; a `<` the answer opened is closed here; any other `>` closes a
      // `<` before the cursor, which the stack does not hold (a comparison opens as many).
      if (/[=-]/.test(text.charAt(i - 1))) return;
      if (stack.at(-1)?.char === '<') stack.pop();
      else closers += ch;
    } else if (PARTNER[ch] !== undefined) {
      // A `<` still open was a comparison.
      while (stack.at(-1)?.char === '<') stack.pop();
      if (stack.at(-1)?.char !== PARTNER[ch]) return;
      if (!stack.pop()?.own) closers += ch;
    }
  });
  const left = stack.filter((bracket) => bracket.char !== '<');
  const suffixClosers = unmatchedClosers(suffix, syntax, IN_CODE);
  const closedBySuffix = countSuffixClosed(left, suffixClosers);
  return longestPrefix(rest, (prefix) => {
    if (/['"`]/.test(prefix) || !isSubsequence(prefix, closers)) return false;
    const brackets = prefix.replace(/>/g, '').length;
    return countSuffixClosed(left, suffixClosers.slice(brackets)) === closedBySuffix;
  });
}

/** The length of the longest start of `text` that `fits`, 0 when none does. */
function longestPrefix(text: string, fits: (prefix: string) => boolean): number {
  for (let length = text.length; length > 0; length--) if (fits(text.slice(0, length))) return length;
  return 0;
}

/** The index just past the end of the string or comment `text` starts in, read as scanCode reads it; -1 when it does not end. */
function endOf(text: string, state: ScanState): number {
  for (let i = 0; i < text.length; i++) {
    if (state.mode === 'string' && text.charAt(i) === '\\') i++;
    else if (text.startsWith(state.close, i)) return i + state.close.length;
  }
  return -1;
}

/** The closers in `text` that no opener in it accounts for, in order. */
function unopenedClosers(text: string): string {
  const opened: string[] = [];
  let closers = '';
  for (const ch of text) {
    if ('([{'.includes(ch)) opened.push(ch);
    else if (PARTNER[ch] === undefined) continue;
    else if (opened.at(-1) === PARTNER[ch]) opened.pop();
    else closers += ch;
  }
  return closers;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let found = 0;
  for (const char of haystack) if (char === needle[found]) found++;
  return found === needle.length;
}
